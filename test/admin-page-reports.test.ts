// One answer from several gateways: the merge of consumer sketches and of shadow reports
// (pure, then through `sundial consumers` and `sundial shadow report` with several --admin
// URLs against real gateways), and the traffic figures the admin page charts.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { mergeTallies, mergeVersionConsumers } from '../src/consumers/merge.js';
import { SpaceSaving } from '../src/consumers/space-saving.js';
import type { TallyReport, VersionConsumers } from '../src/consumers/tracker.js';
import { mergeShadowDocuments, mergeShadowReports } from '../src/shadow/merge.js';
import type { ShadowReportJson } from '../src/shadow/report.js';
import { figuresBetween, quantile, snapshotOf, trafficReport, type HistogramValue } from '../src/metrics/traffic.js';
import { shadowedOrderFiles, testConfigDir } from './helpers/config-dir.js';
import { manualClock, startGateway } from './helpers/gateway.js';
import { jsonUpstream, waitForReport } from './shadow/helpers.js';
import { prng } from './helpers/prng.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const TOKEN = 'test-admin-token';

/** A sketch as the admin API reports it (all K rows). */
function tallyOf(s: SpaceSaving): TallyReport {
  return {
    requests: s.total,
    unidentified: 0,
    maxError: s.errorBound,
    consumers: s.top().map((e) => ({ id: e.id, requests: e.count, maxOvercount: e.error, lastSeen: new Date(e.lastSeen).toISOString() })),
  };
}

t.test('Space-Saving sketches merge with their bounds intact', async (t) => {
  const K = 25;
  const random = prng(11);
  const truth = new Map<string, number>();
  const parts = [new SpaceSaving(K), new SpaceSaving(K), new SpaceSaving(K)];
  // A skewed load of 500 consumers, spread unevenly over three gateways.
  for (let i = 0; i < 30_000; i++) {
    const id = `c${Math.floor(500 * random() ** 3)}`;
    truth.set(id, (truth.get(id) ?? 0) + 1);
    const g = random() < 0.5 ? 0 : random() < 0.6 ? 1 : 2;
    parts[g].offer(id, 1_000 + i);
  }
  const merged = mergeTallies(parts.map(tallyOf), K);
  t.equal(merged.requests, 30_000, 'every request counted');
  t.equal(merged.consumers.length, K, 'K rows kept');
  t.equal(merged.maxError, Math.floor(30_000 / K));
  let violations = 0;
  for (const row of merged.consumers) {
    const real = truth.get(row.id) ?? 0;
    if (!(row.requests - row.maxOvercount <= real && real <= row.requests)) violations++;
    if (row.maxOvercount > merged.maxError) violations++;
  }
  t.equal(violations, 0, 'requests - maxOvercount <= true count <= requests, and overcounts within N/K');
  const kept = new Set(merged.consumers.map((c) => c.id));
  const heavy = [...truth].filter(([, n]) => n > 30_000 / K).map(([id]) => id);
  t.ok(heavy.length > 0 && heavy.every((id) => kept.has(id)), `every consumer above N/K is kept (${heavy.length})`);
  const top = [...truth].sort((a, b) => b[1] - a[1])[0];
  t.equal(merged.consumers[0].id, top[0], 'the heaviest consumer comes first');
});

t.test("a consumer a full sketch does not hold counts that sketch's minimum, as overcount", async (t) => {
  const row = (id: string, requests: number, maxOvercount = 0) => ({ id, requests, maxOvercount, lastSeen: '2026-11-23T12:00:00.000Z' });
  const full: TallyReport = { requests: 9, unidentified: 0, maxError: 4, consumers: [row('a', 6), row('b', 3)] };
  const roomy: TallyReport = { requests: 4, unidentified: 1, maxError: 1, consumers: [row('c', 3)] };
  const merged = mergeTallies([full, roomy], 2);
  t.same(
    merged.consumers.map((c) => [c.id, c.requests, c.maxOvercount]),
    [
      ['a', 6, 0],
      ['c', 6, 3],
    ],
    "c: 3 here, up to 3 (b's count) in the full sketch; b: 3 + 0 drops out",
  );
  t.equal(merged.requests, 13);
  t.equal(merged.unidentified, 1);
  // A sketch with room held everything: absent there means zero.
  t.same(
    mergeTallies([roomy, roomy], 2).consumers.map((c) => [c.id, c.requests, c.maxOvercount]),
    [['c', 6, 0]],
  );
});

t.test('version reports merge per operation, with the latest last-seen', async (t) => {
  const base = { version: 'v1', state: 'deprecated', tracked: true, identifiedBy: 'header X-Client-Id', k: 10, unidentified: 0, maxError: 0 };
  const a: VersionConsumers = {
    ...base,
    since: '2026-11-23T10:00:00.000Z',
    requests: 2,
    consumers: [{ id: 'x', requests: 2, maxOvercount: 0, lastSeen: '2026-11-23T11:00:00.000Z' }],
    operations: [
      {
        operation: 'GET /a',
        requests: 1,
        unidentified: 0,
        maxError: 0,
        consumers: [{ id: 'x', requests: 1, maxOvercount: 0, lastSeen: '2026-11-23T11:00:00.000Z' }],
      },
    ],
  };
  const b: VersionConsumers = {
    ...base,
    since: '2026-11-23T09:00:00.000Z',
    requests: 3,
    consumers: [{ id: 'x', requests: 3, maxOvercount: 0, lastSeen: '2026-11-23T12:00:00.000Z' }],
    operations: [],
  };
  const m = mergeVersionConsumers([a, b]);
  t.match(m, { since: '2026-11-23T09:00:00.000Z', requests: 5, consumers: [{ id: 'x', requests: 5, lastSeen: '2026-11-23T12:00:00.000Z' }] });
  t.match(
    m.operations,
    [{ operation: 'GET /a', requests: 1, consumers: [{ id: 'x', requests: 1 }] }],
    'an operation one gateway has not seen merges as empty there',
  );
});

function shadowPart(overrides: Partial<ShadowReportJson>): ShadowReportJson {
  return {
    route: 'orders',
    version: 'v2',
    candidate: 'http://c',
    secondary: 'http://s',
    sample: 1,
    mode: 'exact',
    since: '2026-11-23T12:00:00.000Z',
    inFlight: 0,
    compared: 100,
    matched: 90,
    mismatched: 10,
    errors: 0,
    errorKinds: {},
    skipped: {},
    fields: {},
    fieldsDropped: 0,
    samples: [],
    thresholds: { relative: 0.2, absolute: 0.0003 },
    sampleLimit: 2,
    ...overrides,
  };
}

t.test('shadow reports: counters sum and the noise rule is applied to the sums', async (t) => {
  const sample = (at: string) => ({ at, request: 'GET /v2/orders/1', differences: [{ field: 'body.price', primary: '1', candidate: '2' }], more: 0 });
  const a = shadowPart({
    errors: 2,
    errorKinds: { timeout: 2 },
    skipped: { method: 1 },
    since: '2026-11-23T11:00:00.000Z',
    fields: { 'body.price': { differences: 10, noise: 9, real: false }, 'body.at': { differences: 0, noise: 30, real: false } },
    samples: [sample('2026-11-23T12:00:01.000Z'), sample('2026-11-23T12:00:03.000Z')],
  });
  const b = shadowPart({
    errors: 1,
    errorKinds: { timeout: 1, refused: 1 },
    skipped: { method: 2 },
    fields: { 'body.price': { differences: 10, noise: 0, real: true }, 'body.at': { differences: 10, noise: 0, real: true } },
    samples: [sample('2026-11-23T12:00:02.000Z')],
  });
  const m = mergeShadowReports([a, b]);
  t.match(m, {
    compared: 200,
    matched: 180,
    mismatched: 20,
    errors: 3,
    errorKinds: { timeout: 3, refused: 1 },
    skipped: { method: 3 },
    since: '2026-11-23T11:00:00.000Z',
  });
  t.same(m.fields['body.price'], { differences: 20, noise: 9, real: true }, 'noise on one gateway, real over both');
  t.same(m.fields['body.at'], { differences: 10, noise: 30, real: false }, 'real on one gateway, noise over both');
  t.same(Object.keys(m.fields), ['body.price', 'body.at'], 'real differences first');
  t.same(
    m.samples.map((s) => s.at),
    ['2026-11-23T12:00:02.000Z', '2026-11-23T12:00:03.000Z'],
    'the latest samples of all, within the limit',
  );
  const doc = mergeShadowDocuments([{ shadows: [a, shadowPart({ version: 'v1' })] }, { shadows: [b] }]);
  t.same(
    doc.shadows.map((s) => [s.version, s.compared]),
    [
      ['v2', 200],
      ['v1', 100],
    ],
    'merged per route and version',
  );
});

t.test('traffic figures from the request histogram', async (t) => {
  const bounds = [0.01, 0.1, 1];
  const series = (status: string, arm: string, perBucket: number[]): HistogramValue[] => {
    const labels = { route: 'orders', version: 'v2', method: 'GET', status, arm };
    let c = 0;
    const out: HistogramValue[] = perBucket.slice(0, 3).map((n, i) => ({ value: (c += n), labels: { le: bounds[i], ...labels }, metricName: 'h_bucket' }));
    out.push({ value: (c += perBucket[3]), labels: { le: '+Inf', ...labels }, metricName: 'h_bucket' });
    out.push({ value: c, labels, metricName: 'h_count' });
    return out;
  };
  const at0 = snapshotOf([...series('200', 'stable', [10, 0, 0, 0])], 0);
  const at10 = snapshotOf(
    [...series('200', 'stable', [50, 40, 0, 0]), ...series('500', 'stable', [0, 0, 10, 0]), ...series('200', 'canary', [5, 0, 0, 0])],
    10_000,
  );
  t.equal(at10.series.size, 2, 'one series per route, version and arm, over statuses and methods');
  const stable = figuresBetween(at0.series.get('orders\u0000v2\u0000stable'), at10.series.get('orders\u0000v2\u0000stable')!, bounds, 10);
  t.equal(stable.requests, 90);
  t.equal(stable.rate, 9);
  t.equal(stable.errorRate, 10 / 90);
  // Of the 90 new: 40 under 10 ms, 40 under 100 ms, 10 under 1 s: the 99th is in the last.
  t.ok(Math.abs(stable.p99! - (0.1 + (0.9 * (89.1 - 80)) / 10)) < 1e-9, `p99 interpolated in its bucket (${stable.p99})`);
  t.equal(quantile(bounds, [0, 0, 0, 5], 0.99), 1, 'beyond the last bound: the last bound');
  t.equal(quantile(bounds, [0, 0, 0, 0], 0.99), null);
  const restarted = figuresBetween(at10.series.get('orders\u0000v2\u0000stable'), at0.series.get('orders\u0000v2\u0000stable')!, bounds, 10);
  t.equal(restarted.requests, 10, "a counter that went down started over: its value is the interval's");
  const report = trafficReport([at0, at10], 10_000, 60_000);
  t.same(
    report.series.map((s) => [s.arm, s.points.length, s.lastMinute.requests]),
    [
      ['canary', 1, 5],
      ['stable', 1, 90],
    ],
  );
});

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, SUNDIAL_ADMIN_TOKEN: TOKEN } }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

t.test('several --admin URLs: one answer from two gateways', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: { id: 1, price: 10 } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: { id: 1, price: 11 } }));
  const files = shadowedOrderFiles(primary.url, candidate.url, { consumers: { header: 'X-Client-Id', topK: 3 } });
  const dir = testConfigDir(t, files);
  const clock = manualClock('2026-11-23T12:00:00Z');
  const a = await startGateway(t, { dir: dir.dir, clock });
  const b = await startGateway(t, { dir: dir.dir, clock });
  const send = async (url: string, client: string, n: number) => {
    for (let i = 0; i < n; i++) await (await request(`${url}/v1/orders/1`, { headers: { 'x-client-id': client } })).body.dump();
  };
  // acme is second on each replica alone, but first over both.
  await send(a.url, 'globex', 6);
  await send(a.url, 'acme', 4);
  await send(b.url, 'initech', 5);
  await send(b.url, 'acme', 4);
  await send(b.url, 'hooli', 1);
  await waitForReport(a.adminUrl, (r) => r.compared === 10 && r.inFlight === 0);
  await waitForReport(b.adminUrl, (r) => r.compared === 10 && r.inFlight === 0);

  const json = await cli(['consumers', 'v1', '--admin', a.adminUrl, '--admin', b.adminUrl, '--json']);
  t.equal(json.code, 0, json.stderr);
  const merged = JSON.parse(json.stdout) as VersionConsumers;
  t.equal(merged.requests, 20, "both gateways' requests");
  // b's sketch is full (K = 3): globex, which it does not hold, may have up to its minimum
  // (hooli's 1) there. a's has room: initech was never seen there.
  t.same(
    merged.consumers.map((c) => [c.id, c.requests, c.maxOvercount]),
    [
      ['acme', 8, 0],
      ['globex', 7, 1],
      ['initech', 5, 0],
    ],
    'the merged top 3, with honest overcounts',
  );
  const text = await cli(['consumers', 'v1', '--admin', a.adminUrl, '--admin', b.adminUrl, '--top', '1']);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /20 request\(s\)/);
  t.match(text.stdout, /1  acme\s+8/);
  t.notMatch(text.stdout, /globex/, '--top applies to the merged answer');
  const one = await cli(['consumers', 'v1', '--admin', a.adminUrl, '--json']);
  t.equal(JSON.parse(one.stdout).requests, 10, 'one URL: that gateway alone');

  const shadow = await cli(['shadow', 'report', '--admin', a.adminUrl, '--admin', b.adminUrl, '--json']);
  t.equal(shadow.code, 0, shadow.stderr);
  t.match(JSON.parse(shadow.stdout).shadows, [
    { route: 'orders', version: 'v1', compared: 20, mismatched: 20, fields: { 'body.price': { differences: 20, real: true } } },
  ]);
  const table = await cli(['shadow', 'report', '--admin', a.adminUrl, '--admin', b.adminUrl]);
  t.match(table.stdout, /compared 20: matched 0/);
  const down = await cli(['shadow', 'report', '--admin', a.adminUrl, '--admin', 'http://127.0.0.1:1']);
  t.match(
    down,
    { code: 1, stderr: /cannot reach the gateway's admin API at http:\/\/127\.0\.0\.1:1/ },
    'an unreachable replica is an error, not a partial answer',
  );
  const reset = await cli(['shadow', 'reset', '--admin', a.adminUrl, '--admin', b.adminUrl]);
  t.match(reset, { code: 0, stdout: /reset on 2 gateways/ });
  t.equal(a.gateway.shadow.report().shadows[0].compared + b.gateway.shadow.report().shadows[0].compared, 0, 'both reset');
});
