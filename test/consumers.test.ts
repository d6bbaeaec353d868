// Who still calls a deprecated version: the Space-Saving sketch under a skewed load of
// 10,000 consumers, consumer identification, and the report through a real gateway's admin
// API and the `sundial consumers` command.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { basicUser, identifier, queryParam } from '../src/consumers/identify.js';
import { SpaceSaving } from '../src/consumers/space-saving.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { manualClock, startGateway } from './helpers/gateway.js';
import { startUpstream } from './helpers/upstream.js';
import { ordersDocV2 } from './openapi/fixtures.js';
import { prng } from './helpers/prng.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const AUTH = { authorization: 'Bearer test-admin-token' };

t.test('Space-Saving: exact while there is room, then bounded', async (t) => {
  const s = new SpaceSaving(3);
  for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) s.offer(id, 1);
  t.same(
    s.top().map((e) => [e.id, e.count, e.error]),
    [
      ['a', 3, 0],
      ['b', 2, 0],
      ['c', 1, 0],
    ],
  );
  s.offer('d', 2);
  t.equal(s.size, 3, 'never more than K counters');
  t.same(
    s.top().map((e) => [e.id, e.count, e.error]),
    [
      ['a', 3, 0],
      ['b', 2, 0],
      ['d', 2, 1],
    ],
    'd evicts the minimum, c, and inherits its count as overcount',
  );
  t.equal(s.top(1)[0].lastSeen, 1);
  t.equal(s.total, 7);
  t.throws(() => new SpaceSaving(0), RangeError);
});

t.test('Space-Saving under a Zipf load of 10,000 consumers', async (t) => {
  const CONSUMERS = 10_000;
  const REQUESTS = 200_000;
  const K = 100;
  // Zipf with exponent 1.1: the consumer of rank r sends a share proportional to 1/r^1.1.
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= CONSUMERS; r++) cumulative.push((sum += 1 / r ** 1.1));
  // Names are not in rank order, so nothing depends on arrival order of names.
  const name = (rank: number) => `client-${((rank * 7919) % CONSUMERS).toString(36)}`;
  const random = prng(7);
  const truth = new Map<string, number>();
  const sketch = new SpaceSaving(K);
  let largest = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const u = random() * sum;
    let lo = 0;
    let hi = CONSUMERS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    const id = name(lo + 1);
    truth.set(id, (truth.get(id) ?? 0) + 1);
    sketch.offer(id, i);
    if (sketch.size > largest) largest = sketch.size;
  }
  t.ok(truth.size > 5000, `thousands of distinct consumers called (${truth.size})`);
  t.equal(largest, K, 'the sketch never held more than K entries');
  const bound = sketch.errorBound;
  t.equal(bound, REQUESTS / K, 'the stated error bound is N / K');
  const trueTop = [...truth].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const top = sketch.top(10);
  t.same(
    top.map((e) => e.id),
    trueTop.map(([id]) => id),
    'the top 10, in the right order',
  );
  for (const e of top) {
    const real = truth.get(e.id)!;
    t.ok(e.count >= real && e.count - real <= bound, `${e.id}: ${e.count} within [${real}, ${real + bound}]`);
    t.ok(e.count - e.error <= real, `${e.id}: count - overcount is a lower bound`);
  }
});

t.test('identifying consumers', async (t) => {
  const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers });
  t.equal(identifier({ header: 'X-Client-Id', topK: 100 })(req('/a', { 'x-client-id': ' acme ' })), 'acme');
  t.equal(identifier({ header: 'X-Client-Id', topK: 100 })(req('/a')), undefined);
  t.equal(identifier({ header: 'X-Client-Id', topK: 100 })(req('/a', { 'x-client-id': 'x'.repeat(1000) }))!.length, 128, 'ids are capped');
  t.equal(identifier({ query: 'client_id', topK: 100 })(req('/a?x=1&client_id=acme%20co')), 'acme co');
  t.equal(queryParam('/a?client_id', 'client_id'), undefined);
  t.equal(queryParam('/a?client_id=%E0%A4%A', 'client_id'), '%E0%A4%A', 'a bad escape is kept as is');
  const basic = `Basic ${Buffer.from('acme:s3cret:x').toString('base64')}`;
  t.equal(identifier({ basicAuth: true, topK: 100 })(req('/a', { authorization: basic })), 'acme');
  t.equal(basicUser('Bearer abc'), undefined);
  t.equal(basicUser(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
});

t.test('through a real gateway: the admin report and `sundial consumers`', async (t) => {
  const up = await startUpstream('up');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url }, { consumers: { header: 'X-Client-Id', topK: 4 } });
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.yaml' };
  files['openapi/v2.yaml'] = ordersDocV2();
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const clock = manualClock('2026-11-23T12:00:00Z');
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock });

  const call = async (path: string, client?: string) => {
    const res = await request(`${url}${path}`, { headers: client ? { 'x-client-id': client } : {} });
    await res.body.dump();
  };
  // v1 is deprecated: acme 5, globex 3, initech 2, then 4 one-off consumers, and 2 anonymous.
  for (const [client, n] of [
    ['acme', 5],
    ['globex', 3],
    ['initech', 2],
  ] as const)
    for (let i = 0; i < n; i++) await call('/v1/orders/1', client);
  clock.set('2026-11-23T13:00:00Z');
  for (const c of ['c1', 'c2', 'c3', 'c4']) await call('/v1/orders/1', c);
  await call('/v1/orders/1');
  await call('/v1/orders/1');
  // v2 is current: only its deprecated operation is tracked.
  await call('/v2/orders/1', 'acme');
  await call('/v2/orders/1/summary', 'hooli');
  await call('/v2/orders/1/summary', 'hooli');

  const res = await request(`${adminUrl}/admin/consumers?version=1`, { headers: AUTH });
  const report = (await res.body.json()) as Record<string, any>;
  t.equal(res.statusCode, 200);
  t.match(report, { version: 'v1', state: 'deprecated', tracked: true, identifiedBy: 'header X-Client-Id', k: 4, requests: 16, unidentified: 2, maxError: 3 });
  t.equal(report.consumers.length, 4, 'K = 4 consumers kept, of 7');
  t.same(
    report.consumers.slice(0, 2).map((c: any) => [c.id, c.requests, c.maxOvercount]),
    [
      ['acme', 5, 0],
      ['globex', 3, 0],
    ],
    'the heavy consumers, exact',
  );
  t.equal(report.consumers[0].lastSeen, '2026-11-23T12:00:00.000Z');

  const v2 = (await (await request(`${adminUrl}/admin/consumers?version=v2`, { headers: AUTH })).body.json()) as Record<string, any>;
  t.match(v2, { tracked: false, requests: 0 });
  t.match(v2.operations, [
    { operation: 'GET /orders/{id}/summary', operationId: 'getOrderSummary', requests: 2, consumers: [{ id: 'hooli', requests: 2 }] },
    { operation: 'POST /orders/search', requests: 0 },
  ]);

  const unknown = await request(`${adminUrl}/admin/consumers?version=v9`, { headers: AUTH });
  t.equal(unknown.statusCode, 404);
  await unknown.body.dump();
  const noToken = await request(`${adminUrl}/admin/consumers?version=v1`);
  t.equal(noToken.statusCode, 401);
  await noToken.body.dump();

  const metrics = await (await request(`${adminUrl}/metrics`, { headers: AUTH })).body.text();
  t.notMatch(metrics, /acme|globex|hooli/, 'consumer ids never become metric labels');

  const cli = await promisify(execFile)(process.execPath, [CLI, 'consumers', 'v1', '--admin', adminUrl], {
    env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'test-admin-token' },
  });
  t.match(cli.stdout, /^v1: deprecated \(deprecated 2026-01-01T00:00:00\.000Z, sunset 2027-06-30T23:59:59\.000Z, successor v2\)/);
  t.match(cli.stdout, /1 {2}acme +5 +0 {2}2026-11-23T12:00:00\.000Z/);
  t.match(cli.stdout, /2 {2}globex +3/);
  t.match(cli.stdout, /and 2 request\(s\) that named no consumer/);
  t.match(cli.stdout, /16 request\(s\) since 2026-11-23T12:00:00\.000Z, consumers identified by header X-Client-Id/);
  const ops = await promisify(execFile)(process.execPath, [CLI, 'consumers', '2', '--admin', adminUrl], {
    env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'test-admin-token' },
  });
  t.match(ops.stdout, /GET \/orders\/\{id\}\/summary \(getOrderSummary\): deprecated, sunset 2027-01-01T00:00:00\.000Z; 2 request\(s\)\n.*\n +1 {2}hooli +2/);
  const denied = await promisify(execFile)(process.execPath, [CLI, 'consumers', 'v1', '--admin', adminUrl], {
    env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'wrong' },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (e) => e,
  );
  t.equal(denied.code, 1);
  t.match(denied.stderr, /401/);
});
