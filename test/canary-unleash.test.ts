// Canaries against a real Unleash server (unleash-server 7.5.1 over an embedded PostgreSQL,
// started by this test): the gateway follows a percentage changed in Unleash, the rollout
// controller's steps land in Unleash through its Admin API, and when Unleash goes away the
// last known split keeps serving with no errors.
import t from 'tap';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { startUnleash } from './helpers/unleash.js';
import { startUpstream } from './helpers/upstream.js';
import { eventually } from './helpers/wait.js';

const PROJECT = '/projects/default/features';
const ENV = 'development';

t.test('canaries with a real Unleash server', async (t) => {
  const unleash = await startUnleash(t);
  const stable = await startUpstream('stable');
  const canary = await startUpstream('canary');
  t.teardown(() => Promise.all([stable.close(), canary.close()]));

  async function createFlag(name: string, rollout: number) {
    await unleash.admin('POST', PROJECT, { name, type: 'release' });
    const strategy = await unleash.admin('POST', `${PROJECT}/${name}/environments/${ENV}/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: String(rollout), stickiness: 'default', groupId: name },
    });
    await unleash.admin('POST', `${PROJECT}/${name}/environments/${ENV}/on`);
    return strategy.id as string;
  }
  async function unleashRollout(name: string): Promise<string | undefined> {
    const strategies = (await unleash.admin('GET', `${PROJECT}/${name}/environments/${ENV}/strategies`)) as { name: string; parameters: { rollout: string } }[];
    return strategies.find((s) => s.name === 'flexibleRollout')?.parameters.rollout;
  }

  function gatewayDir(flag: string, rollout?: Record<string, unknown>) {
    const files = orderFiles(
      { v1: stable.url, v2: stable.url },
      {
        flags: {
          provider: 'unleash',
          url: unleash.api,
          appName: `sundial-test-${flag}`,
          environment: ENV,
          token: unleash.clientToken,
          adminToken: unleash.adminToken,
          refreshInterval: '200ms',
          backupPath: 'state',
        },
      },
    );
    (files['routes/orders.yaml'] as any).versions.v2.canary = {
      upstream: canary.url,
      flag,
      stickiness: { header: 'X-User-Id' },
      armHeader: true,
      ...(rollout ? { rollout } : {}),
    };
    const dir = configDir(files);
    t.teardown(() => dir.remove());
    return dir.dir;
  }

  async function arms(url: string, keys: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < keys; i++) {
      const res = await request(`${url}/v2/orders/1`, { headers: { 'x-user-id': `u-${i}` } });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      out.push(String(res.headers['sundial-arm']));
    }
    return out;
  }
  const share = (a: string[]) => a.filter((x) => x === 'canary').length / a.length;

  await t.test('the gateway follows a percentage changed in Unleash', async (t) => {
    const strategyId = await createFlag('orders-v2-follow', 25);
    const { url } = await startGateway(t, { dir: gatewayDir('orders-v2-follow') });
    const before = await eventually(
      async () => {
        const a = await arms(url, 2000);
        return share(a) > 0.2 && share(a) < 0.3 ? a : undefined;
      },
      'the 25% split from Unleash',
      100,
    );
    t.ok(share(before) > 0.2 && share(before) < 0.3, `about 25% canary (${share(before)})`);

    await unleash.admin('PATCH', `${PROJECT}/orders-v2-follow/environments/${ENV}/strategies/${strategyId}`, [
      { op: 'replace', path: '/parameters/rollout', value: '75' },
    ]);
    const after = await eventually(
      async () => {
        const a = await arms(url, 2000);
        return share(a) > 0.7 ? a : undefined;
      },
      'the gateway to follow 75%',
      100,
    );
    t.ok(share(after) > 0.7 && share(after) < 0.8, `about 75% canary (${share(after)})`);
    t.ok(
      before.every((arm, i) => arm === 'stable' || after[i] === 'canary'),
      'raising the percentage only moves keys from stable to canary',
    );
  });

  await t.test("the controller's steps appear in Unleash", async (t) => {
    await createFlag('orders-v2-rollout', 0);
    const { url, gateway } = await startGateway(t, {
      dir: gatewayDir('orders-v2-rollout', {
        steps: [40, 100],
        interval: '1h',
        threshold: 1,
        minRequests: 1,
        maxErrorRate: 0.5,
        maxP99: '5s',
        maxP99Ratio: 100,
      }),
    });
    const controller = gateway.rollouts.get('orders/v2')!;
    t.match(controller.status(), { status: 'progressing', percent: 40 }, 'the first step is set at start');
    t.equal(await unleashRollout('orders-v2-rollout'), '40', 'and written to Unleash');
    await eventually(async () => share(await arms(url, 500)) > 0.3, 'the gateway seeing 40%', 100);
    await controller.tick();
    t.match(controller.status(), { status: 'promoted', percent: 100 });
    t.equal(await unleashRollout('orders-v2-rollout'), '100', 'the promotion is written to Unleash');
    await eventually(async () => share(await arms(url, 200)) === 1, 'every request on the canary', 100);
  });

  await t.test('when Unleash goes away, the last known split keeps serving', async (t) => {
    await createFlag('orders-v2-outage', 50);
    const outageDir = gatewayDir('orders-v2-outage');
    const { url, adminUrl } = await startGateway(t, { dir: outageDir });
    // Settled: two samples in a row give every key the same arm, so the client holds the
    // flag as the server has it, not a state it was still moving through.
    const before = await eventually(
      async () => {
        const a = await arms(url, 1000);
        const again = await arms(url, 1000);
        const same = a.every((arm, i) => arm === again[i]);
        return same && share(a) > 0.4 && share(a) < 0.6 ? a : undefined;
      },
      'the 50% split',
      100,
    );
    await unleash.stop();
    // Several refresh intervals pass with the server gone, polls failing all the while.
    for (let round = 0; round < 3; round++) {
      const during = await arms(url, 1000);
      const moved = during.filter((arm, i) => arm !== before[i]).length;
      t.equal(moved, 0, `round ${round}: every key keeps its arm (before ${share(before)}, now ${share(during)})`);
    }
    const metrics = await request(`${adminUrl}/metrics`, { headers: { authorization: 'Bearer test-admin-token' } }).then((r) => r.body.text());
    t.notMatch(metrics, /status="5\d\d"/, 'no 5xx');

    // A replica starting while Unleash is down serves the split from the backup file the
    // first replica left in the shared state folder.
    const late = await startGateway(t, { dir: outageDir });
    const fromBackup = await arms(late.url, 1000);
    t.equal(fromBackup.filter((arm, i) => arm !== before[i]).length, 0, `a gateway started during the outage serves the same split (${share(fromBackup)})`);
  });
});
