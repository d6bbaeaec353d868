// The canary's pure parts: sticky keys, arm choice, the gates, the rollout state machine
// and the histogram quantile the gates read.
import t from 'tap';
import type { CompiledCanary } from '../src/config/compiled.js';
import { analyse } from '../src/canary/analysis.js';
import { cookieValue, pickArm, stickyKey } from '../src/canary/arm.js';
import { histogramQuantile } from '../src/canary/figures.js';
import type { FlagSource } from '../src/canary/flags/flag-source.js';
import { adminTarget } from '../src/cli/admin-client.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { afterVerdict, initialPosition, nextStep } from '../src/canary/rollout-state.js';

function canary(stickiness: CompiledCanary['stickiness'], forceHeader?: string): CompiledCanary {
  return {
    key: 'orders/v2',
    route: 'orders',
    version: 'v2',
    flag: 'f',
    stickiness,
    forceHeader,
    armHeader: false,
    stable: { base: 'http://s' },
    canary: { base: 'http://c' },
  };
}

/** A flag source that records what it was asked and answers from a fixed set of keys. */
function recordingFlags(inCanary: Set<string>) {
  const asked: unknown[] = [];
  const source: FlagSource = {
    kind: 'local',
    isEnabled: (_flag, ctx) => {
      asked.push(ctx);
      return ctx.userId !== undefined && inCanary.has(ctx.userId);
    },
    state: () => undefined,
    write: async () => {},
    close: async () => {},
  };
  return { source, asked };
}

t.test('sticky keys', async (t) => {
  t.equal(stickyKey(canary({ header: 'x-user-id' }), { 'x-user-id': 'u1' }, '10.0.0.1'), 'u1');
  t.equal(stickyKey(canary({ header: 'x-user-id' }), {}, '10.0.0.1'), undefined, 'a missing header is no key, not the address');
  t.equal(stickyKey(canary({ cookie: 'sid' }), { cookie: 'a=1; sid=abc; b=2' }, undefined), 'abc');
  t.equal(stickyKey(canary({ ip: true }), {}, '10.0.0.1'), '10.0.0.1');
  t.equal(cookieValue('sid="quoted"', 'sid'), 'quoted');
  t.equal(cookieValue('xsid=1; sid2=2', 'sid'), undefined, 'names match exactly');
  t.equal(cookieValue(undefined, 'sid'), undefined);
});

t.test('arm choice', async (t) => {
  const { source, asked } = recordingFlags(new Set(['in']));
  const c = canary({ header: 'x-user-id' }, 'x-canary');
  t.equal(pickArm(c, { 'x-user-id': 'in' }, undefined, source), 'canary');
  t.equal(pickArm(c, { 'x-user-id': 'out' }, undefined, source), 'stable');
  t.same(asked[0], { userId: 'in', sessionId: 'in' }, 'the key goes to Unleash as userId and sessionId');
  t.equal(pickArm(c, {}, undefined, source), 'stable');
  t.same(asked[asked.length - 1], {}, 'no key: an empty context, which Unleash assigns at random');
  t.equal(pickArm(c, { 'x-user-id': 'out', 'x-canary': 'always' }, undefined, source), 'canary', 'forced in');
  t.equal(pickArm(c, { 'x-user-id': 'in', 'x-canary': 'Never' }, undefined, source), 'stable', 'forced out');
  t.equal(pickArm(c, { 'x-user-id': 'in', 'x-canary': 'maybe' }, undefined, source), 'canary', 'other values do not force');
});

const gates = { minRequests: 10, maxErrorRate: 0.01, maxP99: 500, maxP99Ratio: 1.5 };
const arm = (requests: number, errors: number, p99: number | undefined) => ({ requests, errors, p99 });

t.test('gates', async (t) => {
  t.match(analyse({ canary: arm(100, 0, 0.05), stable: arm(100, 0, 0.05) }, gates), { result: 'pass' });
  t.match(analyse({ canary: arm(5, 0, 0.05), stable: arm(100, 0, 0.05) }, gates), { result: 'inconclusive', reasons: [/fewer than minRequests 10/] });
  t.match(analyse({ canary: arm(100, 2, 0.05), stable: arm(100, 0, 0.05) }, gates), {
    result: 'fail',
    reasons: [/5xx rate 2\.00% is over maxErrorRate 1\.00%/],
  });
  t.match(analyse({ canary: arm(100, 1, 0.05), stable: arm(100, 0, 0.05) }, gates), { result: 'pass' }, 'exactly at the limit passes');
  t.match(analyse({ canary: arm(100, 0, 0.6), stable: arm(100, 0, 0.5) }, gates), { result: 'fail', reasons: [/p99 600ms is over maxP99 500ms/] });
  t.match(analyse({ canary: arm(100, 0, 0.2), stable: arm(100, 0, 0.1) }, gates), { result: 'fail', reasons: [/over 1\.5 x stable's 100ms/] });
  t.match(analyse({ canary: arm(100, 0, 0.2), stable: arm(0, 0, undefined) }, gates), { result: 'pass' }, 'no stable traffic: no ratio check');
});

t.test('rollout state machine', async (t) => {
  const steps = [5, 25, 50, 100];
  t.equal(nextStep(steps, 0), 5);
  t.equal(nextStep(steps, 25), 50);
  t.equal(nextStep(steps, 30), 50, 'from a hand-set percentage, the next step above it');
  t.equal(nextStep(steps, 100), 100);
  const pass = { result: 'pass' as const, reasons: [] };
  const fail = { result: 'fail' as const, reasons: ['x'] };
  const hold = { result: 'inconclusive' as const, reasons: ['x'] };
  const at25 = { status: 'progressing' as const, percent: 25, failedChecks: 1 };
  t.same(afterVerdict(at25, pass, steps, 2), { position: { status: 'progressing', percent: 50, failedChecks: 0 }, action: 'step' });
  t.same(afterVerdict({ ...at25, percent: 50 }, pass, steps, 2), { position: { status: 'promoted', percent: 100, failedChecks: 0 }, action: 'promote' });
  t.same(afterVerdict({ ...at25, failedChecks: 0 }, fail, steps, 2), { position: { ...at25, failedChecks: 1 }, action: 'hold' }, 'one failure holds');
  t.same(
    afterVerdict(at25, fail, steps, 2),
    { position: { status: 'failed', percent: 0, failedChecks: 2 }, action: 'rollback' },
    'threshold failures in a row roll back',
  );
  t.same(afterVerdict(at25, hold, steps, 2), { position: at25, action: 'hold' }, 'inconclusive neither steps nor counts a failure');
  t.same(initialPosition(undefined, steps), { status: 'progressing', percent: 0, failedChecks: 0 });
  t.same(initialPosition({ enabled: false, rollout: 40 }, steps), { status: 'idle', percent: 0, failedChecks: 0 });
  t.same(initialPosition({ enabled: true, rollout: 25 }, steps), { status: 'progressing', percent: 25, failedChecks: 0 });
  t.same(initialPosition({ enabled: true, rollout: 100 }, steps), { status: 'promoted', percent: 100, failedChecks: 0 });
  t.same(initialPosition({ enabled: true, rollout: 30 }, undefined), { status: 'manual', percent: 30, failedChecks: 0 });
});

t.test('histogram quantile', async (t) => {
  t.equal(histogramQuantile(0.99, []), undefined);
  t.equal(
    histogramQuantile(0.99, [
      [0.1, 0],
      [Infinity, 0],
    ]),
    undefined,
  );
  // 100 observations, all between 0.1 and 0.2: p99 is interpolated inside that bucket.
  t.equal(
    histogramQuantile(0.99, [
      [0.1, 0],
      [0.2, 100],
      [Infinity, 100],
    ]),
    0.1 + 0.1 * 0.99,
  );
  t.equal(
    histogramQuantile(0.5, [
      [1, 50],
      [2, 100],
      [Infinity, 100],
    ]),
    1,
  );
  t.equal(
    histogramQuantile(0.99, [
      [1, 10],
      [Infinity, 100],
    ]),
    1,
    'beyond the last finite bucket: its bound',
  );
});

t.test('admin commands find the gateway from its config', async (t) => {
  const dir = configDir(orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' }, { admin: { host: '0.0.0.0', port: 9911, token: 'from-config' } }));
  t.teardown(() => dir.remove());
  t.same(adminTarget({ dir: dir.dir }, {}), { url: 'http://127.0.0.1:9911', token: 'from-config' }, 'a wildcard address is reached on loopback');
  t.same(adminTarget({ dir: dir.dir }, { SUNDIAL_ADMIN_TOKEN: 'from-env' }), { url: 'http://127.0.0.1:9911', token: 'from-env' }, 'the environment wins');
  t.same(adminTarget({ admin: 'http://10.1.2.3:9090/' }, { SUNDIAL_ADMIN_TOKEN: 'x' }), { url: 'http://10.1.2.3:9090', token: 'x' });
});
