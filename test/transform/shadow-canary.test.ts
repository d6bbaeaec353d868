// The proof before a cut-over, against real upstreams: the shadow comparison mirrors v1's
// requests through the transform to the v2 upstream and compares the answers, carried
// back, with v1's own backend's; then the canary "v1 via v2" moves v1's traffic over, and
// rolls back on its own when the transform fails.
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { getAndSettle, jsonUpstream, type Responder } from '../shadow/helpers.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');

// The same orders, as each backend stores and answers them.
const v1Answer = (id: number) => ({ id, total_cents: 4250 + id, state: 'paid' });
const v2Answer = (id: number) => ({ id, total: { amount: (4250 + id) / 100, currency: 'EUR' }, state: 'PAID' });
const idOf = (url: string) => Number(/\/orders\/(\d+)/.exec(url)?.[1] ?? 0);

function transform(backward = '$round(amount * 100)') {
  return {
    to: 'v2',
    response: [
      { rename: { from: 'total_cents', to: 'total' } },
      { convert: { field: 'total', forward: '{ "amount": $ / 100, "currency": "EUR" }', backward } },
      {
        convert: {
          field: 'state',
          mapping: [
            { from: 'new', to: 'NEW' },
            { from: 'paid', to: 'PAID' },
          ],
        },
      },
    ],
  };
}

async function shadowSetup(t: Test, v1Respond: Responder, v2Respond: Responder, tf: Record<string, unknown>, shadow: Record<string, unknown> = {}) {
  const v1 = await jsonUpstream(t, 'v1', v1Respond);
  const v2 = await jsonUpstream(t, 'v2', v2Respond);
  const files = orderFiles({ v1: v1.url, v2: v2.url });
  (files['versions/v1.yaml'] as Record<string, unknown>).transform = tf;
  files['routes/orders.yaml'] = {
    name: 'orders',
    prefix: '/orders',
    versions: {
      v1: { upstream: v1.url, shadow: { via: 'v2', ...shadow } },
      v2: { upstream: v2.url },
    },
  };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  return { v1, v2, url: gw.url, adminUrl: gw.adminUrl, dir: dir.dir, write: dir.write, reload: () => gw.gateway.reload('test') };
}

t.test('shadow: a faithful transform shows no real differences', async (t) => {
  const s = await shadowSetup(
    t,
    (r) => ({ body: v1Answer(idOf(r.url)) }),
    (r) => ({ body: v2Answer(idOf(r.url)) }),
    transform(),
  );
  const r = await getAndSettle(s, 6, '/v1/orders/7');
  t.match(r, { route: 'orders', version: 'v1', compared: 6, matched: 6, mismatched: 0, errors: 0, fields: {} });
  t.same(r.transform, { chain: 'v1→v2', faithful: true, compared: 6, misfits: 0, unfaithful: [], noise: [] });
  t.equal(s.v2.received.length, 6, 'every mirror went to the v2 upstream');
  t.equal(s.v2.received[0].url, '/orders/7');
  t.equal(s.v2.received[0].headers['sundial-shadow'], '1');
});

t.test('shadow: an unfaithful transform has its field reported', async (t) => {
  // The backward expression forgets a factor of ten.
  const s = await shadowSetup(
    t,
    (r) => ({ body: v1Answer(idOf(r.url)) }),
    (r) => ({ body: v2Answer(idOf(r.url)) }),
    transform('$round(amount * 10)'),
  );
  const r = await getAndSettle(s, 4, '/v1/orders/7');
  t.match(r, { compared: 4, mismatched: 4 });
  t.same(r.fields, { 'body.total_cents': { differences: 4, noise: 0, real: true } });
  t.match(r.transform, { faithful: false, unfaithful: ['body.total_cents'] });
  t.same(r.samples[0].differences, [{ field: 'body.total_cents', primary: '4257', candidate: '426' }]);
});

t.test('shadow: noise cancelling works through the transform; misfits are errors', async (t) => {
  const noisy = (body: Record<string, unknown>) => ({ body: { ...body, traceId: randomUUID() } });
  const v1 = await jsonUpstream(t, 'v1-copy', (r) => noisy(v1Answer(idOf(r.url))));
  const s = await shadowSetup(
    t,
    (r) => noisy(v1Answer(idOf(r.url))),
    (r) => (idOf(r.url) === 9 ? { body: { id: 9 } } : noisy(v2Answer(idOf(r.url)))),
    transform(),
    { secondary: v1.url },
  );
  const r = await getAndSettle(s, 5, '/v1/orders/3');
  t.match(r, { compared: 5, matched: 5, mismatched: 0 });
  t.match(r.transform, { faithful: true, noise: ['body.traceId'] }, 'a field random in v1 itself is noise, not the transform');
  const m = await getAndSettle(s, 2, '/v1/orders/9');
  t.match(m, { errors: 2, errorKinds: { 'candidate-misfit': 2 } });
  t.match(m.transform, { faithful: false, misfits: 2 }, 'an answer the transform cannot carry back is counted against it');
});

async function canarySetup(t: Test, v2Respond: Responder) {
  const v1 = await jsonUpstream(t, 'v1', (r) => ({ body: v1Answer(idOf(r.url)) }));
  const v2 = await jsonUpstream(t, 'v2', v2Respond);
  const files = orderFiles({ v1: v1.url, v2: v2.url });
  (files['versions/v1.yaml'] as Record<string, unknown>).transform = transform();
  files['routes/orders.yaml'] = {
    name: 'orders',
    prefix: '/orders',
    versions: {
      v1: {
        upstream: v1.url,
        canary: {
          via: 'v2',
          flag: 'orders-v1-via-v2',
          stickiness: { header: 'X-User-Id' },
          armHeader: true,
          // Analyses are run by hand with tick(): the interval is far beyond the test.
          rollout: { steps: [50, 100], interval: '1h', threshold: 1, minRequests: 5, maxErrorRate: 0.05, maxP99: '5s', maxP99Ratio: 100 },
        },
      },
      v2: { upstream: v2.url },
    },
  };
  files['config/flags.yaml'] = { flags: { 'orders-v1-via-v2': { enabled: true, rollout: 0 } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: Date.now });
  return { v1, v2, ...gw, controller: gw.gateway.rollouts.get('orders/v1')! };
}

async function traffic(url: string, n: number): Promise<{ arms: Record<string, number>; bodies: unknown[]; statuses: number[] }> {
  const arms: Record<string, number> = {};
  const bodies: unknown[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await request(`${url}/v1/orders/5`, { headers: { 'x-user-id': `user-${i}` } });
    const arm = String(res.headers['sundial-arm']);
    arms[arm] = (arms[arm] ?? 0) + 1;
    statuses.push(res.statusCode);
    bodies.push(await res.body.json());
  }
  return { arms, bodies, statuses };
}

t.test('canary "v1 via v2": cut over step by step, every client keeps its v1 answers', async (t) => {
  const s = await canarySetup(t, (r) => ({ body: v2Answer(idOf(r.url)) }));
  t.match(s.controller.status(), { status: 'progressing', percent: 50, upstream: s.v2.url });
  const half = await traffic(s.url, 60);
  t.ok(half.arms.canary > 0 && half.arms.stable > 0, `both arms serve at 50% (${JSON.stringify(half.arms)})`);
  t.ok(
    half.bodies.every((b) => JSON.stringify(b) === JSON.stringify(v1Answer(5))),
    'the same v1 answer from either backend',
  );
  await s.controller.tick();
  t.match(s.controller.status(), { status: 'promoted', percent: 100 });
  const before = s.v1.received.length;
  const all = await traffic(s.url, 20);
  t.same(all.arms, { canary: 20 }, 'all of v1 is served via v2');
  t.equal(s.v1.received.length, before, "v1's own backend gets nothing: it can be stopped");
  t.ok(all.bodies.every((b) => JSON.stringify(b) === JSON.stringify(v1Answer(5))));
});

t.test('canary "v1 via v2": rolls back on its own when the transform fails', async (t) => {
  // The v2 backend answers a shape the transform cannot carry back: each is a 502 misfit.
  const s = await canarySetup(t, () => ({ body: { id: 5, amount: 42.55 } }));
  const half = await traffic(s.url, 60);
  const failed = half.statuses.filter((c) => c === 502).length;
  t.equal(failed, half.arms.canary, 'every canary request failed in the transform');
  await s.controller.tick();
  const status = s.controller.status();
  t.match(status, { status: 'failed', percent: 0 });
  t.match(status.history.at(-1), { action: 'rollback' });
  t.match(status.history.at(-1)?.verdict?.reasons.join(' '), /5xx rate/);
  const after = await traffic(s.url, 20);
  t.same(after.arms, { stable: 20 }, "traffic is back on v1's own backend");
  t.ok(after.statuses.every((c) => c === 200));
});
