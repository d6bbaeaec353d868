// The compiled rollout rule gives unleash-client's answer, key for key and draw for draw,
// and leaves to the client every definition it cannot evaluate itself.
import t from 'tap';
import { once } from 'node:events';
import { InMemStorageProvider, Unleash, type Context } from 'unleash-client';
import { compileRolloutRule, evaluateRolloutRule, RolloutRules } from '../src/canary/flags/rollout-rule.js';
import { PrefixedMurmur } from '../src/canary/flags/murmur.js';

interface Definition {
  name: string;
  enabled: boolean;
  strategies: { name: string; parameters?: Record<string, string | number>; constraints?: unknown[]; segments?: number[] }[];
  impressionData?: boolean;
  dependencies?: { feature: string }[];
}

const rollout = (name: string, parameters: Record<string, string | number>, enabled = true): Definition => ({
  name,
  enabled,
  strategies: [{ name: 'flexibleRollout', parameters }],
});

// Group ids of every length modulo 4 (the hash's block tail), with non-ASCII ones whose
// code units the hash cuts to a byte.
const definitions: Definition[] = [
  rollout('f-default-50', { rollout: '50', stickiness: 'default', groupId: 'orders-v2-canary' }),
  rollout('f-user-25', { rollout: '25', stickiness: 'userId', groupId: 'abc' }),
  rollout('f-session-33', { rollout: 33, stickiness: 'sessionId', groupId: 'ab' }),
  rollout('f-1', { rollout: '1', stickiness: 'default', groupId: 'a' }),
  rollout('f-99', { rollout: '99', groupId: 'größe-ü' }),
  rollout('f-100', { rollout: '100', stickiness: 'default', groupId: 'émoji-😀' }),
  rollout('f-0', { rollout: '0', stickiness: 'default', groupId: 'zero' }),
  rollout('f-no-group', { rollout: '40', stickiness: 'default' }),
  rollout('f-random-30', { rollout: '30', stickiness: 'random', groupId: 'r' }),
  rollout('f-off', { rollout: '100', stickiness: 'default', groupId: 'off' }, false),
  { name: 'f-on', enabled: true, strategies: [] },
];

async function reference(features: Definition[]): Promise<Unleash> {
  const client = new Unleash({
    url: 'http://127.0.0.1:9/never',
    appName: 'rule-test',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: features as never },
  });
  client.on('error', () => {});
  client.on('warn', () => {});
  if (!client.isSynchronized()) await once(client, 'ready');
  await new Promise((r) => setImmediate(r));
  return client;
}

// Keyed requests only: a key-less one is a random draw on each side, and the next test
// checks it draw for draw.
const keys: string[] = [];
for (let i = 0; i < 3000; i++) keys.push(`customer-${i * 7919}`, String(i), `ü${i}✓`);

t.test('every key gets the arm unleash-client gives it', async (t) => {
  const client = await reference(definitions);
  t.teardown(() => client.destroy());
  const rules = new RolloutRules();
  for (const def of definitions) {
    if (def.strategies[0]?.parameters?.stickiness === 'random') continue;
    t.ok(compileRolloutRule(def), `${def.name} compiles to a rule`);
    let disagreements = 0;
    for (const key of keys) {
      const context = { userId: key, sessionId: key };
      const fast = rules.isEnabled(client, def.name, context);
      if (fast === undefined || fast !== client.isEnabled(def.name, context as Context)) disagreements++;
      for (const only of [{ userId: key }, { sessionId: key }]) {
        if (rules.isEnabled(client, def.name, only) !== client.isEnabled(def.name, only as Context)) disagreements++;
      }
    }
    t.equal(disagreements, 0, `${def.name}: no key is answered differently`);
  }
});

t.test('key-less requests: the same draw gives the same answer', async (t) => {
  const client = await reference(definitions);
  t.teardown(() => client.destroy());
  const rules = new RolloutRules();
  const realRandom = Math.random;
  t.teardown(() => {
    Math.random = realRandom;
  });
  // Both sides make one draw per call: replayed, they must agree on every draw.
  const draws = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 10007) / 10007);
  for (const name of ['f-default-50', 'f-random-30', 'f-1', 'f-99']) {
    let i = 0;
    Math.random = () => draws[i++ % draws.length];
    const fast = draws.map(() => rules.isEnabled(client, name, {}));
    i = 0;
    const slow = draws.map(() => client.isEnabled(name, {}));
    Math.random = realRandom;
    t.same(fast, slow, `${name}: every draw lands on the same arm`);
    const share = fast.filter(Boolean).length / fast.length;
    t.ok(share > 0 && share < 1, `${name}: both arms are drawn (${share.toFixed(3)})`);
  }
});

t.test('definitions only unleash-client can evaluate are left to it', async (t) => {
  const base = rollout('x', { rollout: '50', stickiness: 'default', groupId: 'x' });
  const strategy = base.strategies[0];
  t.equal(
    compileRolloutRule({ ...base, strategies: [{ ...strategy, constraints: [{ contextName: 'userId', operator: 'IN', values: ['a'] }] }] }),
    undefined,
    'constraints',
  );
  t.equal(compileRolloutRule({ ...base, strategies: [{ ...strategy, segments: [1] }] }), undefined, 'segments');
  t.equal(compileRolloutRule({ ...base, dependencies: [{ feature: 'parent' }] }), undefined, 'dependencies');
  t.equal(compileRolloutRule({ ...base, impressionData: true }), undefined, 'impression events');
  t.equal(compileRolloutRule({ ...base, strategies: [strategy, strategy] }), undefined, 'two strategies');
  t.equal(compileRolloutRule({ ...base, strategies: [{ name: 'default' }] }), undefined, 'another strategy');
  t.equal(compileRolloutRule(rollout('x', { rollout: '50', stickiness: 'tenantId' })), undefined, 'a custom stickiness field');
  t.equal(compileRolloutRule(undefined), undefined, 'no definition');
  t.same(compileRolloutRule({ ...base, enabled: false }), { kind: 'fixed', enabled: false }, 'a disabled flag is off');
  t.equal(evaluateRolloutRule(compileRolloutRule({ name: 'x', enabled: true, strategies: [] })!, {}), true, 'no strategy: on');
});

t.test('a changed definition is compiled again', async (t) => {
  let definition: object = rollout('f', { rollout: '0', stickiness: 'default', groupId: 'f' });
  const client = { ready: true, getFeatureToggleDefinition: () => definition };
  const rules = new RolloutRules();
  t.equal(rules.isEnabled(client, 'f', { userId: 'u1' }), false);
  definition = rollout('f', { rollout: '100', stickiness: 'default', groupId: 'f' });
  t.equal(rules.isEnabled(client, 'f', { userId: 'u1' }), true, 'the new percentage serves at once');
  const notReady = { ready: false, getFeatureToggleDefinition: () => definition };
  t.equal(rules.isEnabled(notReady, 'f', {}), undefined, 'a client not yet ready answers itself');
});

t.test('the hash is murmur3 x86_32', async (t) => {
  // Reference values of MurmurHash3_x86_32 (seed 0) over ASCII strings.
  t.equal(new PrefixedMurmur('').hash(''), 0);
  t.equal(new PrefixedMurmur('').hash('hello'), 0x248bfa47);
  t.equal(new PrefixedMurmur('hel').hash('lo'), 0x248bfa47, 'split anywhere, the same hash');
  t.equal(new PrefixedMurmur('hello, ').hash('world'), new PrefixedMurmur('').hash('hello, world'));
  t.equal(new PrefixedMurmur('', 1).hash('hello'), 0xbb4abcad, 'with a seed');
});
