// Upstream faults, against real processes on loopback: a gateway in front of upstreams
// that are silent, slow, or speak broken HTTP. Each outcome is what the client gets.
// Timeouts are checked against their configured value with a generous margin; nothing
// here is a benchmark.
import t, { type Test } from 'tap';
import { request } from 'undici';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { startUpstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';
import { expectContinue, rawUpstream, sleep } from './helpers.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');

async function gatewayFor(t: Test, upstream: string, gateway: Record<string, unknown> = {}, edit?: (files: Record<string, any>) => void) {
  const files = orderFiles({ v1: upstream, v2: upstream }, gateway);
  edit?.(files);
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  return startGateway(t, { dir: dir.dir, clock: NOW });
}

async function timed(url: string) {
  const start = performance.now();
  const res = await request(url);
  const body = (await res.body.json()) as Record<string, unknown>;
  return { status: res.statusCode, body, ms: performance.now() - start };
}

// How precise a timeout is, is checked by order, not by the clock: the upstream (in this
// process, as the gateway is) answers a little after the timeout, on a timer it starts when
// the request reaches it, after the gateway started its own. Node runs timers in deadline
// order however late the process is, so a precise timeout answers 504 first; one that
// fires late (undici's own timers were 490-560 ms late) lets the upstream's answer through.
// Bounds on the clock are strict below (never before the timeout) and generous above.
const GENEROUS_MS = 10_000;

t.test('the upstream timeout is enforced at its configured value, not half a second later', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '1s' } });
  const r = await timed(`${url}/v2/orders/hang`);
  t.equal(r.status, 504);
  t.match(r.body, { code: 'SUNDIAL_ERR_UPSTREAM_TIMEOUT' });
  t.ok(r.ms >= 950, `not before the timeout (${r.ms.toFixed(0)} ms)`);
  t.ok(r.ms < 1000 + GENEROUS_MS, `at the configured 1 s, with a generous margin (${r.ms.toFixed(0)} ms)`);
  const late = await timed(`${url}/v2/orders/slow?ms=1250`);
  t.equal(late.status, 504, 'an answer 250 ms after the timeout is too late: the timeout fired first');
});

t.test("a route version's own timeout is honoured", async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '30s' } }, (f) => {
    f['routes/orders.yaml'].versions.v2.timeout = '300ms';
  });
  const r = await timed(`${url}/v2/orders/hang`);
  t.equal(r.status, 504);
  t.ok(r.ms >= 280, `not before the timeout (${r.ms.toFixed(0)} ms)`);
  t.ok(r.ms < 300 + GENEROUS_MS, `the version's 300 ms, not the gateway's 30 s (${r.ms.toFixed(0)} ms)`);
  // It was about 1 s before: the gateway-wide coarse timer, not the version's 300 ms.
  const late = await timed(`${url}/v2/orders/slow?ms=450`);
  t.equal(late.status, 504, "an answer 150 ms after the version's timeout is too late: the timeout fired first");
});

t.test('broken HTTP from the upstream is a 502 problem, never a 500', async (t) => {
  const cases: [string, string][] = [
    ['an invalid chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello'],
    ['a bad status line', 'HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\nok'],
    ['no HTTP at all', 'hello there\r\n\r\n'],
  ];
  for (const [what, bytes] of cases) {
    const up = await rawUpstream((socket) => socket.end(bytes));
    const { url } = await gatewayFor(t, up.url);
    const res = await request(`${url}/v2/orders/1`);
    const body = (await res.body.json()) as Record<string, unknown>;
    t.equal(res.statusCode, 502, what);
    t.match(body, { code: 'SUNDIAL_ERR_UPSTREAM_UNAVAILABLE' }, what);
    await up.close();
  }
});

t.test('an upstream answering 100 Continue and then 200 gets the client the 200', async (t) => {
  const up = await rawUpstream((socket) => {
    socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfinal'), 20);
  });
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url);
  for (let i = 0; i < 3; i++) {
    const res = await request(`${url}/v2/orders/1`);
    t.equal(res.statusCode, 200, `request ${i + 1}`);
    t.equal(await res.body.text(), 'final');
  }
});

t.test('Expect: 100-continue requests reach the upstream with their whole body', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { limits: { bodyLimit: '8mb' } });
  for (const method of ['POST', 'PUT']) {
    for (const size of [2 * 1024, 2 * 1024 * 1024]) {
      const r = await expectContinue(`${url}/v2/orders`, method, Buffer.alloc(size, 7));
      t.equal(r.status, 200, `${method} ${size} bytes`);
      t.ok(r.continued, 'the client was told to continue');
      t.match(JSON.parse(r.text), { method, bodyBytes: size });
    }
  }
  t.equal(up.requests.length, 4, 'every request reached the upstream');
});

t.test('clients that leave abort their upstream requests and free the connections', async (t) => {
  let open = 0;
  const up = await startUpstream('v2', (req) => {
    if (!req.url?.endsWith('/held')) return false;
    open++;
    req.socket.on('close', () => open--);
    return true; // never answered
  });
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '20s', connections: 4 } });
  const leaving = Array.from({ length: 24 }, () => {
    const controller = new AbortController();
    const done = request(`${url}/v2/orders/held`, { signal: controller.signal }).catch(() => 'aborted');
    return { controller, done };
  });
  await eventually(() => open === 4, 'the pool of 4 to fill with held requests');
  for (const l of leaving) l.controller.abort();
  await Promise.all(leaving.map((l) => l.done));
  await eventually(() => open === 0, 'the held upstream requests to be aborted', 250);
  // With the pool still full of abandoned requests this would wait for the 20 s timeout.
  const fresh = await request(`${url}/v2/orders/slow?ms=100`);
  t.equal(fresh.statusCode, 200, 'a fresh request is served');
  await fresh.body.dump();
});

t.test('no retries unless configured', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url);
  const res = await request(`${url}/v2/orders/status/503`);
  await res.body.dump();
  t.equal(res.statusCode, 503, "the upstream's 503 is passed on");
  t.equal(up.requests.length, 1, 'the upstream saw one request, not eleven');
});

t.test('configured retries: only idempotent requests, Retry-After read as seconds, bounded by maxDelay', async (t) => {
  const arrivals: number[] = [];
  let retryAfter = '0';
  const up = await startUpstream('v2', (req, res) => {
    arrivals.push(performance.now());
    req.resume();
    res.writeHead(503, { 'retry-after': retryAfter, 'content-length': '0' });
    res.end();
    return true;
  });
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '5s', retries: { attempts: 2, maxDelay: '2s', budget: 1 } } });

  const get = await request(`${url}/v2/orders/1`);
  await get.body.dump();
  t.equal(get.statusCode, 503);
  t.equal(arrivals.length, 3, 'one request and two retries');

  arrivals.length = 0;
  const post = await request(`${url}/v2/orders`, { method: 'POST', body: '{}' });
  await post.body.dump();
  t.equal(arrivals.length, 1, 'a POST is never retried');

  arrivals.length = 0;
  retryAfter = '1';
  const waited = await request(`${url}/v2/orders/1`);
  await waited.body.dump();
  t.equal(arrivals.length, 3);
  const gap = arrivals[1] - arrivals[0];
  t.ok(gap >= 950, `Retry-After: 1 waits about a second, not 1 ms (${gap.toFixed(0)} ms)`);

  arrivals.length = 0;
  retryAfter = '30';
  const passed = await request(`${url}/v2/orders/1`);
  await passed.body.dump();
  t.equal(arrivals.length, 1, 'a Retry-After beyond maxDelay goes to the client instead');
  t.equal(passed.headers['retry-after'], '30');
});

t.test('the retry budget caps retries under load', async (t) => {
  let seen = 0;
  const up = await startUpstream('v2', (req, res) => {
    seen++;
    req.resume();
    res.writeHead(503, { 'content-length': '0' });
    res.end();
    return true;
  });
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '5s', retries: { attempts: 3, budget: 0.1 } } });
  for (let i = 0; i < 100; i++) await request(`${url}/v2/orders/1`).then((r) => r.body.dump());
  // 100 requests may add 10 retries, plus the bucket's first 10.
  t.ok(seen <= 100 + 10 + 10, `${seen} upstream requests for 100 client requests`);
  t.ok(seen > 100, 'some retries were made');
});

t.test('a keep-alive socket the upstream closes is retried once on a new connection, for idempotent requests', async (t) => {
  // The upstream answers the first request on each connection, keeps it open, and drops
  // the connection when a second request arrives on it: a reused socket failing before any
  // byte of a response, every time.
  const up = await rawUpstream((socket, line, before) => {
    if (before > 0) return void socket.destroy();
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nKeep-Alive: timeout=60\r\n\r\nok');
  });
  t.teardown(() => up.close());
  const { url } = await gatewayFor(t, up.url, { upstream: { connectTimeout: '1s', timeout: '5s', connections: 1 } });
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const res = await request(`${url}/v2/orders/${i}`);
    statuses.push(res.statusCode);
    await res.body.dump();
  }
  t.same(
    statuses.filter((s) => s !== 200),
    [],
    'every GET is answered',
  );
  t.ok(up.requests.length > 30, 'some were sent twice: once on the dead socket, once on a new one');
  t.ok(up.requests.length <= 60, 'never more than once again');

  const before = up.requests.length;
  await sleep(20);
  const posts: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await request(`${url}/v2/orders`, { method: 'POST', body: '{}' });
    posts.push(res.statusCode);
    await res.body.dump();
  }
  t.ok(posts.includes(502), 'a POST on a dead socket is not resent');
  t.ok(up.requests.length - before <= 4, 'each POST reached the upstream at most once');
});
