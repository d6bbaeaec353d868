// Mirroring never costs the client anything: a slow, dead or resetting shadow, writes that
// were not asked for, bodies over the cap and too many mirrors in flight are all skipped or
// counted, never felt by the client.
import t, { type Test } from 'tap';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { closedPort } from '../helpers/upstream.js';
import { NOW, getAndSettle, jsonUpstream, settled, shadowGateway, shadowReport, waitForReport, type Answer } from './helpers.js';

const body = { id: 1, total: 4250 };

/** A gate a responder can wait on, opened by the test (or by a long fallback timer). */
function gate(fallbackMs: number) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, fallbackMs);
    timer.unref();
    open = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { opened, open };
}

/** A candidate that holds every answer until the test opens its gate. */
async function heldCandidate(t: Test) {
  const hold = gate(5000);
  t.teardown(hold.open);
  const upstream = await jsonUpstream(t, 'candidate', async () => {
    await hold.opened;
    return { body };
  });
  return { upstream, open: hold.open };
}

t.test('a shadow that sleeps 5 s does not delay the client', async (t) => {
  const events: string[] = [];
  const slow = gate(5000);
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const candidate = await jsonUpstream(t, 'candidate', async () => {
    events.push('mirror received');
    await slow.opened;
    events.push('mirror answered');
    return { body };
  });
  t.teardown(slow.open);
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, timeout: '30s' });

  const res = await request(`${s.url}/v2/orders/1`);
  t.same(await res.body.json(), body);
  events.push('client response');
  t.notOk(events.includes('mirror answered'), 'the client had its whole response before the mirror answered');
  const pending = await waitForReport(s.adminUrl, () => candidate.received.length === 1);
  t.match(pending, { inFlight: 1, compared: 0 }, 'the mirror is still pending');
  t.ok(events.includes('mirror received'), 'the mirror reached the candidate');

  slow.open();
  const done = await waitForReport(s.adminUrl, (r) => r.compared === 1);
  t.match(done, { inFlight: 0, matched: 1 });
  t.same(events.slice(-1), ['mirror answered']);
  t.ok(events.indexOf('client response') < events.indexOf('mirror answered'));
});

t.test('a mirror that times out is an error, not a client failure', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const { upstream: candidate } = await heldCandidate(t);
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, timeout: '100ms' });
  const r = await getAndSettle(s, 2);
  t.match(r, { compared: 0, errors: 2, errorKinds: { 'candidate-timeout': 2 }, inFlight: 0 });
});

t.test('a shadow that is down or resets causes no client error', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const down = `http://127.0.0.1:${await closedPort()}`;
  const resetting = await jsonUpstream(t, 'resetting', (): Answer => 'reset');

  const downGateway = await shadowGateway(t, primary.url, { upstream: down });
  t.match(await getAndSettle(downGateway, 3), { compared: 0, errors: 3, errorKinds: { 'candidate-refused': 3 } }, 'refused');

  const resetGateway = await shadowGateway(t, primary.url, { upstream: resetting.url });
  t.match(await getAndSettle(resetGateway, 3), { compared: 0, errors: 3, errorKinds: { 'candidate-reset': 3 } }, 'reset');

  const candidate = await jsonUpstream(t, 'candidate', () => ({ body }));
  const secondaryDown = await shadowGateway(t, primary.url, { upstream: candidate.url, secondary: down });
  t.match(await getAndSettle(secondaryDown, 1), { errors: 1, errorKinds: { 'secondary-refused': 1 } }, 'a dead secondary too');

  const metrics = await request(`${downGateway.adminUrl}/metrics`, { headers: { authorization: 'Bearer test-admin-token' } }).then((r) => r.body.text());
  t.match(metrics, /sundial_shadow_comparisons_total\{route="orders",version="v2",result="error"\} 3/);
});

t.test('POST is not mirrored unless its method is listed', async (t) => {
  const primary = await jsonUpstream(t, 'primary', (r) => ({ body: { got: r.body.toString() } }));
  const candidate = await jsonUpstream(t, 'candidate', (r) => ({ body: { got: r.body.toString() } }));

  const reads = await shadowGateway(t, primary.url, { upstream: candidate.url });
  const res = await request(`${reads.url}/v2/orders`, { method: 'POST', body: '{"total":1}', headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 200);
  await res.body.dump();
  t.match(await waitForReport(reads.adminUrl, (r) => settled(r) === 1), { skipped: { method: 1 }, compared: 0 });
  t.equal(candidate.received.length, 0, 'the candidate never saw the POST');

  const writes = await shadowGateway(t, primary.url, { upstream: candidate.url, methods: ['get', 'post'] });
  const sized = await request(`${writes.url}/v2/orders`, { method: 'POST', body: '{"total":1}', headers: { 'content-type': 'application/json' } });
  await sized.body.dump();
  const chunked = await request(`${writes.url}/v2/orders`, { method: 'POST', body: Readable.from([Buffer.from('{"tot'), Buffer.from('al":2}')]) });
  await chunked.body.dump();
  const r = await waitForReport(writes.adminUrl, (r) => settled(r) === 2);
  t.match(r, { compared: 2, matched: 2, skipped: {} });
  t.same(
    candidate.received.map((c) => [c.method, c.body.toString()]),
    [
      ['POST', '{"total":1}'],
      ['POST', '{"total":2}'],
    ],
    'the bodies were replayed',
  );
  t.same(
    primary.received.slice(-2).map((c) => c.body.toString()),
    ['{"total":1}', '{"total":2}'],
    'and reached the primary intact',
  );
});

t.test('the body cap causes skips, which are counted', async (t) => {
  const primary = await jsonUpstream(t, 'primary', (r) => ({ body: { bytes: r.body.length } }));
  const candidate = await jsonUpstream(t, 'candidate', (r) => ({ body: { bytes: r.body.length } }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, methods: ['POST'], maxBodyBytes: 16 });
  const big = Buffer.alloc(100, 'x');
  const declared = await request(`${s.url}/v2/orders`, { method: 'POST', body: big });
  t.same(await declared.body.json(), { bytes: 100 }, 'the client is served in full');
  const chunked = await request(`${s.url}/v2/orders`, { method: 'POST', body: Readable.from([big.subarray(0, 10), big.subarray(10)]) });
  t.same(await chunked.body.json(), { bytes: 100 }, 'a chunked body over the cap too');
  const small = await request(`${s.url}/v2/orders`, { method: 'POST', body: 'small' });
  await small.body.dump();
  const r = await waitForReport(s.adminUrl, (r) => settled(r) === 3);
  t.match(r, { compared: 1, skipped: { 'body-too-large': 2 } });
  t.same(
    candidate.received.map((c) => c.body.length),
    [5],
    'only the small body was mirrored',
  );
});

t.test('the response cap causes skips, and the client still gets everything', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: { blob: 'y'.repeat(500) } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: { blob: 'y'.repeat(500) } }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, maxResponseBytes: 100 });
  const res = await request(`${s.url}/v2/orders/1`);
  t.equal(((await res.body.json()) as { blob: string }).blob.length, 500);
  t.match(await waitForReport(s.adminUrl, (r) => settled(r) === 1), { compared: 0, skipped: { 'response-too-large': 1 } });
});

t.test('the in-flight cap causes skips, which are counted', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const { upstream: candidate, open } = await heldCandidate(t);
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, maxInFlight: 1, timeout: '30s' });
  for (let i = 0; i < 3; i++) {
    const res = await request(`${s.url}/v2/orders/1`);
    t.equal(res.statusCode, 200);
    await res.body.dump();
  }
  t.match(await shadowReport(s.adminUrl), { inFlight: 1, skipped: { 'in-flight': 2 } }, 'one in flight, the next two skipped');
  open();
  t.match(await waitForReport(s.adminUrl, (r) => r.compared === 1), { inFlight: 0, matched: 1, skipped: { 'in-flight': 2 } });
  t.equal(candidate.received.length, 1);
});

t.test('sampling: sample 0 mirrors nothing', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url, sample: 0 });
  for (let i = 0; i < 5; i++) await request(`${s.url}/v2/orders/1`).then((r) => r.body.dump());
  t.match(await shadowReport(s.adminUrl), { compared: 0, inFlight: 0, skipped: {} });
  t.equal(candidate.received.length, 0);
});

t.test('the report survives a reload while the shadow stays configured', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: { ...body, total: 1 } }));
  const s = await shadowGateway(t, primary.url, { upstream: candidate.url });
  t.match(await getAndSettle(s, 2), { mismatched: 2 });
  const route = (shadow?: object) => ({
    name: 'orders',
    prefix: '/orders',
    versions: { v1: { upstream: primary.url }, v2: { upstream: primary.url, ...(shadow ? { shadow } : {}) } },
  });
  s.write('routes/orders.yaml', route({ upstream: candidate.url, compare: { ignore: ['body.total'] } }));
  t.match(await s.reload(), { result: 'applied' });
  const r = await getAndSettle(s, 1);
  t.match(r, { compared: 3, mismatched: 2, matched: 1 }, 'counts kept; the new ignore rule applies');
  s.write('routes/orders.yaml', route());
  await s.reload();
  const res = await request(`${s.adminUrl}/admin/shadow`, { headers: { authorization: 'Bearer test-admin-token' } });
  t.same(await res.body.json(), { shadows: [] }, 'gone with its shadow');
});

t.test('when the primary fails there is nothing to compare: skipped, and no mirror is sent', async (t) => {
  const down = `http://127.0.0.1:${await closedPort()}`;
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body }));
  const s = await shadowGateway(t, down, { upstream: candidate.url });
  const res = await request(`${s.url}/v2/orders/1`);
  t.equal(res.statusCode, 502, 'the client gets the primary failure, as without a shadow');
  await res.body.dump();
  t.match(await waitForReport(s.adminUrl, (r) => settled(r) === 1), { compared: 0, errors: 0, inFlight: 0, skipped: { 'primary-failed': 1 } });
  t.equal(candidate.received.length, 0);
});

t.test('with a canary on the same version, only the stable arm is mirrored and compared', async (t) => {
  const stable = await jsonUpstream(t, 'stable', () => ({ body }));
  const canary = await jsonUpstream(t, 'canary', () => ({ body: { ...body, total: 0 } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body }));
  const files = orderFiles({ v1: stable.url, v2: stable.url });
  (files['routes/orders.yaml'] as any).versions.v2 = {
    upstream: stable.url,
    canary: { upstream: canary.url, flag: 'orders-v2-canary', force: { header: 'X-Canary' } },
    shadow: { upstream: candidate.url },
  };
  files['config/flags.yaml'] = { flags: { 'orders-v2-canary': { enabled: true, rollout: 50 } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: NOW });
  for (const arm of ['always', 'never', 'always', 'never']) {
    await request(`${url}/v2/orders/1`, { headers: { 'x-canary': arm } }).then((r) => r.body.dump());
  }
  t.match(await waitForReport(adminUrl, (r) => r.compared === 2), { compared: 2, matched: 2, mismatched: 0, inFlight: 0 });
  t.equal(canary.received.length, 2);
  t.equal(candidate.received.length, 2, "the canary arm's requests were not mirrored");
});
