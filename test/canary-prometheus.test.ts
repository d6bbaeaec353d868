// With analysis.prometheus, the rollout controller judges a canary on every replica's
// traffic, read from a real Prometheus server that scrapes two gateways.
import t from 'tap';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { freePort, prometheusBinary, startPrometheus } from './helpers/prometheus.js';
import { startUpstream } from './helpers/upstream.js';
import { eventually } from './helpers/wait.js';

const binary = prometheusBinary();
if (!binary && process.env.CI) t.fail('prometheus is not installed; .ci/run installs it with apt-get');

t.test(
  'the controller reads figures from Prometheus, across replicas',
  { skip: binary ? false : 'prometheus is not installed (apt-get install prometheus); CI installs it' },
  async (t) => {
    const stable = await startUpstream('stable');
    const canary = await startUpstream('canary', (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"name":"canary"}');
      return true;
    });
    t.teardown(() => Promise.all([stable.close(), canary.close()]));
    const promPort = await freePort();
    const files = orderFiles({ v1: stable.url, v2: stable.url });
    (files['routes/orders.yaml'] as any).versions.v2.canary = {
      upstream: canary.url,
      flag: 'orders-v2-canary',
      stickiness: { header: 'X-User-Id' },
      force: { header: 'X-Canary' },
      rollout: {
        steps: [50, 100],
        interval: '1h',
        threshold: 1,
        minRequests: 20,
        maxErrorRate: 0.01,
        maxP99: '5s',
        maxP99Ratio: 100,
        analysis: { prometheus: `http://127.0.0.1:${promPort}` },
      },
    };
    files['config/flags.yaml'] = { flags: { 'orders-v2-canary': { enabled: true, rollout: 0 } } };
    const dir = configDir(files);
    t.teardown(() => dir.remove());

    const a = await startGateway(t, { dir: dir.dir });
    const b = await startGateway(t, { dir: dir.dir });
    const prom = await startPrometheus(t, binary!, promPort, [new URL(a.adminUrl).host, new URL(b.adminUrl).host], 'test-admin-token');

    // Canary traffic reaches replica B only; A's controller must still see it.
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await request(`${b.url}/v2/orders/1`, { headers: { 'x-canary': 'always', 'x-user-id': `u${i}` } }).then((r) => r.body.dump());
        await request(`${a.url}/v2/orders/1`, { headers: { 'x-canary': 'never', 'x-user-id': `u${i}` } }).then((r) => r.body.dump());
      }
    };
    const scraped = (n: number) =>
      eventually(
        async () =>
          (await prom.query('sum(http_request_duration_seconds_count{version="v2",arm="canary"})')) === n &&
          (await prom.query('sum(http_request_duration_seconds_count{version="v2",arm="stable"})')) === n,
        `Prometheus to scrape ${n} requests per arm`,
        600,
        50,
      );
    // Prometheus' increase() counts from a series' first sample, so the series must exist
    // before the traffic that is to be judged.
    await send(1);
    await scraped(1);
    await send(40);
    await scraped(41);

    const controller = a.gateway.rollouts.get('orders/v2')!;
    await controller.tick();
    const last = controller.status().history.at(-1)!;
    t.equal(last.action, 'rollback', `rolled back: ${JSON.stringify(last.verdict)}`);
    t.ok(last.figures!.canary.requests >= 20, `A saw B's canary traffic through Prometheus (${last.figures!.canary.requests} requests)`);
    t.ok(last.figures!.canary.errors > 0, 'and its 5xx');
    t.ok(last.figures!.stable.requests >= 20, 'and stable traffic from A');
    t.match(last.verdict!.reasons.join(' '), /5xx rate/);
  },
);
