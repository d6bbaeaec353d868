// Stage 4, the proxy: bodies stream both ways, upstream failures become 502/504 problems,
// hop-by-hop headers stop at the gateway, X-Forwarded-* are set, and limits hold.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { rawRequest } from './helpers/raw-http.js';
import { closedPort, patternByte, patternChunk, startUpstream } from './helpers/upstream.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');

async function setup(t: Test, gateway: Record<string, unknown> = {}, v1Url?: string) {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: v1Url ?? up.url, v2: up.url }, gateway));
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  return { up, ...gw };
}

t.test('a large request body streams to the upstream intact', async (t) => {
  const { url } = await setup(t, { limits: { bodyLimit: '64mb' } });
  const total = 24 * 1024 * 1024;
  const hash = createHash('sha256');
  let offset = 0;
  const body = Readable.from(
    (function* () {
      while (offset < total) {
        const chunk = patternChunk(offset, Math.min(256 * 1024, total - offset));
        offset += chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  // No content-length: the body goes chunked, so nothing can be buffered by length.
  const res = await request(`${url}/v2/orders`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
  const echo = (await res.body.json()) as { bodyBytes: number; bodySha256: string; method: string };
  t.equal(res.statusCode, 200);
  t.equal(echo.method, 'POST');
  t.equal(echo.bodyBytes, total);
  t.equal(echo.bodySha256, hash.digest('hex'));
});

t.test('a large response body streams to the client intact', async (t) => {
  const { url } = await setup(t);
  const total = 32 * 1024 * 1024 + 17;
  const res = await request(`${url}/v2/orders/big?bytes=${total}`);
  t.equal(res.statusCode, 200);
  let received = 0;
  let mismatch = -1;
  let firstChunkBeforeEnd = false;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    if (received === 0 && chunk.length < total) firstChunkBeforeEnd = true;
    for (let i = 0; i < chunk.length; i++) {
      if (mismatch === -1 && chunk[i] !== patternByte(received + i)) mismatch = received + i;
    }
    received += chunk.length;
  }
  t.equal(received, total);
  t.equal(mismatch, -1, 'every byte is the one sent');
  t.ok(firstChunkBeforeEnd, 'the body arrived in pieces, as a stream');
});

t.test('a refused connection is a 502 problem', async (t) => {
  const port = await closedPort();
  const { url, adminUrl } = await setup(t, {}, `http://127.0.0.1:${port}`);
  const res = await request(`${url}/v1/orders/1`);
  const problem = (await res.body.json()) as Record<string, unknown>;
  t.equal(res.statusCode, 502);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(problem, { type: 'urn:sundial:problem:upstream-unavailable', status: 502, code: 'SUNDIAL_ERR_UPSTREAM_UNAVAILABLE' });
  const metrics = await request(`${adminUrl}/metrics`, { headers: { authorization: 'Bearer test-admin-token' } }).then((r) => r.body.text());
  t.match(metrics, /sundial_upstream_errors_total\{route="orders",version="v1",arm="stable",kind="refused"\} 1/);
});

t.test('a reset connection is a 502 problem', async (t) => {
  const { url } = await setup(t);
  const res = await request(`${url}/v2/orders/reset`);
  const problem = (await res.body.json()) as Record<string, unknown>;
  t.equal(res.statusCode, 502);
  t.match(problem, { status: 502, code: 'SUNDIAL_ERR_UPSTREAM_UNAVAILABLE' });
});

t.test('an upstream slower than the timeout is a 504 problem', async (t) => {
  const { url } = await setup(t, { upstream: { connectTimeout: '1s', timeout: '300ms' } });
  const res = await request(`${url}/v2/orders/hang`);
  const problem = (await res.body.json()) as Record<string, unknown>;
  t.equal(res.statusCode, 504);
  t.match(problem, { type: 'urn:sundial:problem:upstream-timeout', status: 504, code: 'SUNDIAL_ERR_UPSTREAM_TIMEOUT' });
});

t.test('a per-version timeout overrides the gateway default', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url }, { upstream: { connectTimeout: '1s', timeout: '30s' } });
  (files['routes/orders.yaml'] as any).versions.v2.timeout = '200ms';
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url } = await startGateway(t, { dir: dir.dir, clock: NOW });
  // An answer after 1.5 s: within the gateway's 30 s, beyond the version's 200 ms.
  const slow = await request(`${url}/v2/orders/slow?ms=1500`);
  await slow.body.dump();
  t.equal(slow.statusCode, 504, "the version's timeout applies");
  const other = await request(`${url}/v1/orders/slow?ms=1500`);
  await other.body.dump();
  t.equal(other.statusCode, 200, 'a version without its own timeout keeps the gateway default');
});

t.test('hop-by-hop headers are dropped both ways; X-Forwarded-* are set', async (t) => {
  const { url, up } = await setup(t);
  const res = await rawRequest(
    url,
    [
      'GET /v2/orders/1?q=1 HTTP/1.1',
      `Host: ${new URL(url).host}`,
      'Connection: close, X-Secret-Hop',
      'X-Secret-Hop: no',
      'Proxy-Authorization: Basic abc',
      'Keep-Alive: timeout=99',
      'X-Keep: yes',
      'X-Forwarded-For: 203.0.113.9',
      '',
      '',
    ].join('\r\n'),
  );
  t.equal(res.status, 200);
  const echo = JSON.parse(res.body.includes('{') ? res.body.slice(res.body.indexOf('{'), res.body.lastIndexOf('}') + 1) : '{}') as {
    headers: Record<string, string>;
    url: string;
  };
  t.equal(echo.url, '/orders/1?q=1', 'the query is forwarded as sent');
  t.equal(echo.headers['x-keep'], 'yes', 'end-to-end headers pass');
  t.notOk('x-secret-hop' in echo.headers, 'a header named by Connection is dropped');
  t.notOk('proxy-authorization' in echo.headers, 'proxy credentials are dropped');
  t.not(echo.headers['keep-alive'], 'timeout=99', "the client's Keep-Alive is not passed on");
  t.equal(echo.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1', 'the client address is appended');
  t.equal(echo.headers['x-forwarded-proto'], 'http');
  t.match(echo.headers['x-forwarded-host'], /^127\.0\.0\.1:\d+$/);
  t.equal(echo.headers.host, new URL(up.url).host, 'Host is the upstream');
  t.equal(res.headers['x-hop'], undefined, "a response header named by the upstream's Connection is dropped");
  t.not(res.headers['keep-alive'], 'timeout=5', "the upstream's Keep-Alive is not passed on");
  t.equal(res.headers['x-upstream'], 'v2');
});

t.test('a request body over the limit is a 413 problem', async (t) => {
  const { url, up } = await setup(t, { limits: { bodyLimit: '1kb' } });
  const declared = await request(`${url}/v2/orders`, { method: 'POST', body: Buffer.alloc(4096, 1), headers: { 'content-type': 'application/json' } });
  const problem = (await declared.body.json()) as Record<string, unknown>;
  t.equal(declared.statusCode, 413, 'a declared length over the limit');
  t.match(problem, { status: 413, code: 'SUNDIAL_ERR_BODY_TOO_LARGE', limit: 1024 });
  t.equal(up.requests.length, 0, 'nothing reached the upstream');

  const chunked = await request(`${url}/v2/orders`, {
    method: 'POST',
    body: Readable.from([Buffer.alloc(800, 1), Buffer.alloc(800, 2)]),
    headers: { 'content-type': 'application/octet-stream' },
  });
  await chunked.body.dump();
  t.equal(chunked.statusCode, 413, 'a chunked body that grows past the limit');

  const small = await request(`${url}/v2/orders`, { method: 'POST', body: Readable.from([Buffer.alloc(300, 1), Buffer.alloc(300, 2)]) });
  const echo = (await small.body.json()) as { bodyBytes: number };
  t.equal(echo.bodyBytes, 600, 'a chunked body within the limit, without a content type, passes');
});

t.test('unmatched paths and disallowed methods are problems', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url });
  (files['routes/orders.yaml'] as any).methods = ['GET', 'POST'];
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url } = await startGateway(t, { dir: dir.dir, clock: NOW });

  const missing = await request(`${url}/customers/1`);
  t.equal(missing.statusCode, 404);
  t.match(missing.headers['content-type'], /^application\/problem\+json/);
  t.match(await missing.body.json(), { status: 404, code: 'SUNDIAL_ERR_ROUTE_NOT_FOUND' });

  const lookalike = await request(`${url}/orders-archive`);
  await lookalike.body.dump();
  t.equal(lookalike.statusCode, 404, 'prefixes match on segment boundaries');

  const del = await request(`${url}/orders/1`, { method: 'DELETE' });
  t.equal(del.statusCode, 405);
  t.equal(del.headers.allow, 'GET, POST, HEAD');
  t.match(await del.body.json(), { code: 'SUNDIAL_ERR_METHOD_NOT_ALLOWED' });

  const head = await request(`${url}/orders/1`, { method: 'HEAD' });
  await head.body.dump();
  t.equal(head.statusCode, 200, 'HEAD follows GET');
});

t.test('a version the route does not serve is a 404 naming the versions it has', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url });
  (files['routes/orders.yaml'] as any).versions = { v2: { upstream: up.url } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url } = await startGateway(t, { dir: dir.dir, clock: NOW });
  const res = await request(`${url}/v1/orders`);
  t.equal(res.statusCode, 404);
  t.match(await res.body.json(), { code: 'SUNDIAL_ERR_VERSION_NOT_ROUTED', supportedVersions: ['v2'] });
});
