// Canaries through real gateways and upstreams, with the embedded (local file) flag source:
// stickiness across replicas, the split against unleash-client's own evaluation, forcing,
// blue/green, and the rollout controller promoting a healthy canary and rolling back a
// failing or slow one.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { parse } from 'yaml';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import type { RolloutEvent } from '../src/canary/controller.js';
import type { LocalFlagSource } from '../src/canary/flags/local.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { startUpstream } from './helpers/upstream.js';
import { eventually } from './helpers/wait.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const run = promisify(execFile);
const AUTH = { authorization: 'Bearer test-admin-token' };

async function canarySetup(
  t: Test,
  options: { rollout?: Record<string, unknown>; flags?: Record<string, unknown>; canaryHandler?: Parameters<typeof startUpstream>[1] } = {},
) {
  const stable = await startUpstream('stable');
  const canary = await startUpstream('canary', options.canaryHandler);
  t.teardown(() => Promise.all([stable.close(), canary.close()]));
  const files = orderFiles({ v1: stable.url, v2: stable.url });
  (files['routes/orders.yaml'] as any).versions.v2.canary = {
    upstream: canary.url,
    flag: 'orders-v2-canary',
    stickiness: { header: 'X-User-Id' },
    force: { header: 'X-Canary' },
    armHeader: true,
    ...(options.rollout ? { rollout: options.rollout } : {}),
  };
  files['config/flags.yaml'] = { flags: options.flags ?? { 'orders-v2-canary': { enabled: true, rollout: 30 } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  return { stable, canary, dir };
}

async function armOf(url: string, user?: string, extra: Record<string, string> = {}): Promise<string> {
  const res = await request(`${url}/v2/orders/1`, { headers: { ...(user ? { 'x-user-id': user } : {}), ...extra } });
  const body = (await res.body.json()) as { name: string };
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  if (res.headers['sundial-arm'] !== body.name) throw new Error(`Sundial-Arm ${res.headers['sundial-arm']} but served by ${body.name}`);
  return body.name;
}

t.test('stickiness: the same key always gets the same arm, on two gateways', async (t) => {
  const { dir } = await canarySetup(t);
  const a = await startGateway(t, { dir: dir.dir });
  const b = await startGateway(t, { dir: dir.dir });
  const first = new Map<string, string>();
  let requests = 0;
  let inconsistent = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 2000; i++) {
      const user = `user-${i}`;
      const arm = await armOf(round % 2 ? b.url : a.url, user);
      requests++;
      const seen = first.get(user);
      if (seen === undefined) first.set(user, arm);
      else if (seen !== arm) inconsistent++;
    }
  }
  t.equal(requests, 10_000);
  t.equal(inconsistent, 0, 'no key changed arm, across rounds and across the two gateways');
  const share = [...first.values()].filter((a) => a === 'canary').length / first.size;
  t.ok(share > 0.2 && share < 0.4, `both arms are used (${share})`);
});

t.test('distribution: within 2 points of the percentage, and exactly as unleash-client decides', async (t) => {
  const { dir } = await canarySetup(t, { flags: { 'orders-v2-canary': { enabled: true, rollout: 25 } } });
  const { url } = await startGateway(t, { dir: dir.dir });
  // An independent unleash-client, bootstrapped with the strategy an Unleash server would
  // hold for a 25% flexibleRollout flag.
  const reference = new Unleash({
    url: 'http://127.0.0.1:9/unused',
    appName: 'reference',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: {
      data: [
        {
          name: 'orders-v2-canary',
          enabled: true,
          strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'userId', groupId: 'orders-v2-canary' } }],
        },
      ] as never,
    },
  });
  reference.on('error', () => {});
  t.teardown(() => reference.destroy());
  if (!reference.isSynchronized()) await once(reference, 'ready');
  let canary = 0;
  let disagreements = 0;
  const N = 10_000;
  for (let i = 0; i < N; i++) {
    const user = `customer-${i * 7919}`;
    const arm = await armOf(url, user);
    if (arm === 'canary') canary++;
    if ((arm === 'canary') !== reference.isEnabled('orders-v2-canary', { userId: user })) disagreements++;
  }
  const share = (canary / N) * 100;
  t.ok(Math.abs(share - 25) <= 2, `canary share ${share.toFixed(2)}% is within 25 ± 2`);
  t.equal(disagreements, 0, 'every key is on the arm unleash-client gives it');
});

t.test('no key: random; force header: always and never', async (t) => {
  const { dir } = await canarySetup(t, { flags: { 'orders-v2-canary': { enabled: true, rollout: 50 } } });
  const { url } = await startGateway(t, { dir: dir.dir });
  const arms = { stable: 0, canary: 0 } as Record<string, number>;
  for (let i = 0; i < 1000; i++) arms[await armOf(url)]++;
  t.ok(arms.canary > 350 && arms.stable > 350, `keyless requests are spread at random: ${JSON.stringify(arms)}`);
  for (let i = 0; i < 50; i++) {
    t.equal(await armOf(url, `user-${i}`, { 'x-canary': 'always' }), 'canary');
    t.equal(await armOf(url, `user-${i}`, { 'x-canary': 'never' }), 'stable');
  }
});

t.test('blue/green: 0 and 100 switch every request at once', async (t) => {
  const { dir } = await canarySetup(t, { flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } } });
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir });
  for (let i = 0; i < 200; i++) t.equal(await armOf(url, `u${i}`), 'stable');
  dir.write('config/flags.yaml', { flags: { 'orders-v2-canary': { enabled: true, rollout: 100 } } });
  await eventually(async () => (await armOf(url, 'probe')) === 'canary', 'the switch to green');
  let green = 0;
  for (let i = 0; i < 200; i++) if ((await armOf(url, `u${i}`)) === 'canary') green++;
  t.equal(green, 200, 'every request goes to the new arm');
  const metrics = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  t.match(metrics, /http_request_duration_seconds_count\{route="orders",version="v2",method="GET",status="200",arm="canary"\} \d+/);
  t.match(metrics, /http_request_duration_seconds_count\{route="orders",version="v2",method="GET",status="200",arm="stable"\} \d+/);
});

t.test('a bad flags file keeps the last known split serving', async (t) => {
  const { dir } = await canarySetup(t, { flags: { 'orders-v2-canary': { enabled: true, rollout: 100 } } });
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  t.equal(await armOf(url, 'u1'), 'canary');
  dir.write('config/flags.yaml', 'flags: [this is: not, valid');
  // Re-read it now rather than wait for the watcher, so the check below follows the read.
  await (gateway.flags as LocalFlagSource).load();
  for (let i = 0; i < 50; i++) t.equal(await armOf(url, `u${i}`), 'canary');
});

/** Sends requests with fresh keys, 8 at a time, until `done` settles; returns how many were not 2xx. */
function load(url: string, done: Promise<unknown>): Promise<number> {
  let stop = false;
  let sent = 0;
  let failures = 0;
  done.finally(() => (stop = true));
  const worker = async () => {
    while (!stop && sent < 200_000) {
      const res = await request(`${url}/v2/orders/1`, { headers: { 'x-user-id': `load-${sent++}` } });
      await res.body.dump();
      if (res.statusCode >= 300) failures++;
    }
  };
  return Promise.all(Array.from({ length: 8 }, worker)).then(() => failures);
}

function nextEvent(
  gatewayRollouts: { get(key: string): { on(e: 'event', f: (e: RolloutEvent) => void): void } | undefined },
  match: (e: RolloutEvent) => boolean,
): Promise<RolloutEvent> {
  const controller = gatewayRollouts.get('orders/v2')!;
  return new Promise((resolve) => controller.on('event', (e) => match(e) && resolve(e)));
}

t.test('controller: a healthy canary is promoted through every step', async (t) => {
  const { dir } = await canarySetup(t, {
    flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } },
    rollout: { steps: [10, 50, 100], interval: '150ms', threshold: 2, minRequests: 5, maxErrorRate: 0.01, maxP99: '2s', maxP99Ratio: 50 },
  });
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const promoted = nextEvent(gateway.rollouts, (e) => e.action === 'promote');
  const failures = await load(url, promoted);
  await promoted;
  const status = gateway.rollouts.get('orders/v2')!.status();
  t.equal(status.status, 'promoted');
  t.equal(status.percent, 100);
  const moves = status.history.filter((e) => ['start', 'step', 'promote'].includes(e.action)).map((e) => e.percent);
  t.same(moves, [10, 50, 100], 'every step, in order');
  t.ok(
    status.history.filter((e) => e.action === 'step' || e.action === 'promote').every((e) => e.verdict?.result === 'pass' && e.figures),
    'each move carries its figures and verdict',
  );
  t.equal(failures, 0);
  const file = parse(readFileSync(join(dir.dir, 'config/flags.yaml'), 'utf8'));
  t.same(file.flags['orders-v2-canary'], { enabled: true, rollout: 100 }, 'the flag file holds the promoted percentage');
});

t.test('controller: a canary answering 5xx is rolled back after threshold intervals', async (t) => {
  const { dir } = await canarySetup(t, {
    flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } },
    rollout: { steps: [50, 100], interval: '150ms', threshold: 2, minRequests: 5, maxErrorRate: 0.05, maxP99: '2s', maxP99Ratio: 50 },
    canaryHandler: (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"name":"canary","error":true}');
      return true;
    },
  });
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const rolledBack = nextEvent(gateway.rollouts, (e) => e.action === 'rollback');
  await load(url, rolledBack);
  const event = await rolledBack;
  t.equal(event.percent, 0);
  t.equal(event.status, 'failed');
  t.match(event.verdict?.reasons.join(' '), /5xx rate/);
  const status = gateway.rollouts.get('orders/v2')!.status();
  const fails = status.history.filter((e) => e.verdict?.result === 'fail');
  t.equal(fails.length, 2, 'exactly threshold failed intervals');
  t.same(parse(readFileSync(join(dir.dir, 'config/flags.yaml'), 'utf8')).flags['orders-v2-canary'], { enabled: false, rollout: 0 });
  await eventually(
    async () => (await request(`${url}/v2/orders/1`, { headers: { 'x-user-id': 'after' } })).headers['sundial-arm'] === 'stable',
    'traffic back on stable',
  );
  for (let i = 0; i < 100; i++) {
    const res = await request(`${url}/v2/orders/1`, { headers: { 'x-user-id': `after-${i}` } });
    await res.body.dump();
    t.equal(res.headers['sundial-arm'], 'stable');
  }
});

t.test('controller: a canary slower than the p99 gates is rolled back', async (t) => {
  const { dir } = await canarySetup(t, {
    flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } },
    rollout: { steps: [50, 100], interval: '500ms', threshold: 1, minRequests: 2, maxErrorRate: 0.5, maxP99: '100ms', maxP99Ratio: 1.5 },
    canaryHandler: (_req, res) => {
      setTimeout(() => res.end('{"name":"canary"}'), 250);
      return true;
    },
  });
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const rolledBack = nextEvent(gateway.rollouts, (e) => e.action === 'rollback');
  await load(url, rolledBack);
  const event = await rolledBack;
  t.match(event.verdict?.reasons.join(' '), /p99 \d+ms is over maxP99 100ms/);
  t.equal(gateway.rollouts.get('orders/v2')!.status().status, 'failed');
});

t.test('admin API and CLI: pause stops the steps, abort goes to 0', async (t) => {
  const { dir } = await canarySetup(t, {
    flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } },
    // An interval far beyond the test: every analysis here is run by hand with tick().
    rollout: { steps: [10, 50, 100], interval: '1h', threshold: 2, minRequests: 1, maxErrorRate: 0.01, maxP99: '5s', maxP99Ratio: 100 },
  });
  const { url, adminUrl, gateway } = await startGateway(t, { dir: dir.dir });
  const controller = gateway.rollouts.get('orders/v2')!;
  const admin = (path: string, body?: unknown) =>
    request(`${adminUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.statusCode, body: (await r.body.json()) as any }));

  const listed = await admin('/admin/canaries');
  t.match(listed.body.canaries, [{ canary: 'orders/v2', flag: 'orders-v2-canary', status: 'progressing', percent: 10, steps: [10, 50, 100] }]);

  t.match(await admin('/admin/canaries/orders/v2/pause', {}), { status: 200, body: { status: 'paused', percent: 10 } });
  for (let i = 0; i < 20; i++) await armOf(url, `p${i}`).catch(() => {});
  await controller.tick();
  t.match(controller.status(), { status: 'paused', percent: 10 }, 'a passing interval does not step while paused');

  t.match(await admin('/admin/canaries/orders/v2/resume', {}), { status: 200, body: { status: 'progressing' } });
  for (let i = 0; i < 20; i++) await armOf(url, `r${i}`).catch(() => {});
  await controller.tick();
  t.match(controller.status(), { status: 'progressing', percent: 50 }, 'resumed, the next passing interval steps');

  t.match(await admin('/admin/canaries/orders/v2/set', { percent: 33 }), { status: 200, body: { percent: 33 } });
  t.match(await admin('/admin/canaries/orders/v2/set', { percent: 140 }), { status: 409 });
  t.match(await admin('/admin/canaries/orders/v9/pause', {}), { status: 404, body: { code: 'SUNDIAL_ERR_CANARY_NOT_FOUND' } });

  const env = { ...process.env, SUNDIAL_ADMIN_TOKEN: 'test-admin-token' };
  const aborted = await run(process.execPath, [CLI, 'rollout', 'abort', 'orders/v2', '--admin', adminUrl], { env });
  t.match(aborted.stdout, /orders\/v2\s+orders-v2-canary\s+aborted\s+0%/);
  t.same(parse(readFileSync(join(dir.dir, 'config/flags.yaml'), 'utf8')).flags['orders-v2-canary'], { enabled: false, rollout: 0 });
  await eventually(async () => (await armOf(url, 'x', {})) === 'stable', 'the abort reaching the flag source');

  const json = await run(process.execPath, [CLI, 'rollout', 'status', 'orders/v2', '--admin', adminUrl, '--json'], { env });
  t.match(JSON.parse(json.stdout), { canaries: [{ canary: 'orders/v2', status: 'aborted', history: [{ action: 'start' }] }] });
  const unauthorised = await run(process.execPath, [CLI, 'rollout', 'status', '--admin', adminUrl], {
    env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'wrong' },
  }).catch((e) => e);
  t.equal(unauthorised.code, 1);
  t.match(unauthorised.stderr, /401/);
});
