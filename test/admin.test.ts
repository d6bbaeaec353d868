// The admin listener: bearer-token auth, health probes, Prometheus metric names and labels,
// and the public discovery document on the proxy port.
import t from 'tap';
import { request } from 'undici';
import { bearerMatches } from '../src/admin/auth.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { closedPort, startUpstream } from './helpers/upstream.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const AUTH = { authorization: 'Bearer test-admin-token' };

t.test('bearer token check', async (t) => {
  t.ok(bearerMatches('Bearer abc', 'abc'));
  t.ok(bearerMatches('bearer   abc', 'abc'), 'scheme is case-insensitive');
  t.notOk(bearerMatches('Bearer abd', 'abc'));
  t.notOk(bearerMatches('Bearer abcd', 'abc'), 'a longer token with the right prefix');
  t.notOk(bearerMatches('Basic abc', 'abc'));
  t.notOk(bearerMatches(undefined, 'abc'));
  t.notOk(bearerMatches('Bearer ', 'abc'));
});

t.test('admin listener', async (t) => {
  const up = await startUpstream('v2');
  const down = await closedPort();
  t.teardown(() => up.close());
  const files = orderFiles({ v1: `http://127.0.0.1:${down}`, v2: up.url });
  (files['config/gateway.yaml'] as any).metrics = { processMetrics: true };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: () => NOW });
  t.not(new URL(adminUrl).port, new URL(url).port, 'a separate port');

  await t.test('auth', async (t) => {
    for (const path of ['/metrics', '/admin/config']) {
      const none = await request(adminUrl + path);
      t.equal(none.statusCode, 401, `${path} without a token`);
      t.equal(none.headers['www-authenticate'], 'Bearer realm="sundial-admin"');
      t.match(await none.body.json(), { status: 401, code: 'SUNDIAL_ERR_ADMIN_UNAUTHORIZED' });
      const wrong = await request(adminUrl + path, { headers: { authorization: 'Bearer nope' } });
      await wrong.body.dump();
      t.equal(wrong.statusCode, 401, `${path} with a wrong token`);
      const right = await request(adminUrl + path, { headers: AUTH });
      await right.body.dump();
      t.equal(right.statusCode, 200, `${path} with the token`);
    }
    const reload = await request(`${adminUrl}/admin/reload`, { method: 'POST' });
    await reload.body.dump();
    t.equal(reload.statusCode, 401, 'reload needs the token');
  });

  await t.test('health probes are open', async (t) => {
    const health = await request(`${adminUrl}/healthz`);
    t.equal(health.statusCode, 200);
    t.same(await health.body.json(), { status: 'ok' });
    const ready = await request(`${adminUrl}/readyz`);
    t.equal(ready.statusCode, 200);
    await ready.body.dump();
  });

  await t.test('metrics: names and labels', async (t) => {
    for (const path of ['/v1/orders/1', '/v2/orders/1', '/v2/orders/2', '/v9/orders', '/nowhere/at/all?x=1']) {
      const res = await request(url + path);
      await res.body.dump();
    }
    const text = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
    t.match(text, /# TYPE http_request_duration_seconds histogram/);
    t.match(text, /http_request_duration_seconds_count\{route="orders",version="v2",method="GET",status="200",arm="stable"\} 2/);
    t.match(text, /http_request_duration_seconds_bucket\{le="0\.005",route="orders",version="v2",method="GET",status="200",arm="stable"\} \d/);
    t.match(text, /http_request_duration_seconds_count\{route="orders",version="v1",method="GET",status="502",arm="stable"\} 1/);
    t.match(text, /http_request_duration_seconds_count\{route="none",version="none",method="GET",status="400",arm="none"\} 1/);
    t.match(text, /http_request_duration_seconds_count\{route="none",version="none",method="GET",status="404",arm="none"\} 1/);
    t.match(text, /sundial_deprecated_requests_total\{route="orders",version="v1"\} 1/);
    t.match(text, /sundial_upstream_errors_total\{route="orders",version="v1",arm="stable",kind="refused"\} 1/);
    t.match(text, /# TYPE sundial_lifecycle_rejections_total counter/);
    t.match(text, /# TYPE sundial_config_reloads_total counter/);
    t.match(text, /process_cpu_seconds_total/, 'default process metrics');
    t.notMatch(text, /nowhere/, 'no raw paths in labels');
    t.notMatch(text, /v9/, 'no unknown versions in labels');

    const weird = await request(url + '/v2/orders/1', { method: 'PURGE' as 'GET' }).catch(() => null);
    await weird?.body.dump();
    const after = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
    t.notMatch(after, /method="PURGE"/, 'unknown methods are folded into OTHER');
  });

  await t.test('the running config is shown', async (t) => {
    const res = await request(`${adminUrl}/admin/config`, { headers: AUTH });
    t.match(await res.body.json(), { versions: ['v1', 'v2'], routes: [{ name: 'orders', prefix: '/orders' }] });
  });

  await t.test('unknown admin paths are 404 problems', async (t) => {
    const res = await request(`${adminUrl}/admin/nothing`, { headers: AUTH });
    t.equal(res.statusCode, 404);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    await res.body.dump();
  });
});

t.test('lifecycle rejection counter', async (t) => {
  const up = await startUpstream('v1');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }));
  t.teardown(() => dir.remove());
  let now = Date.parse('2027-05-01T14:10:00Z');
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: () => now });
  await request(`${url}/v1/orders`).then((r) => r.body.dump());
  now = Date.parse('2027-08-01T00:00:00Z');
  await request(`${url}/v1/orders`).then((r) => r.body.dump());
  await request(`${url}/v1/orders`).then((r) => r.body.dump());
  const text = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  t.match(text, /sundial_lifecycle_rejections_total\{route="orders",version="v1",reason="brownout"\} 1/);
  t.match(text, /sundial_lifecycle_rejections_total\{route="orders",version="v1",reason="sunset"\} 2/);
  t.match(text, /http_request_duration_seconds_count\{route="orders",version="v1",method="GET",status="410",arm="none"\} 3/);
});

t.test('discovery', async (t) => {
  const up = await startUpstream('v1');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }));
  t.teardown(() => dir.remove());
  let now = NOW;
  const { url } = await startGateway(t, { dir: dir.dir, clock: () => now });
  const res = await request(`${url}/.well-known/api-versions`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const doc = (await res.body.json()) as any;
  t.equal(doc.defaultVersion, 'v2');
  t.match(doc.versions, [
    {
      id: 'v1',
      state: 'deprecated',
      deprecated: '2026-01-01T00:00:00.000Z',
      sunset: '2027-06-30T23:59:59.000Z',
      successor: 'v2',
      docs: 'https://example.com/deprecations/v1',
      aliases: ['1', '2024-01-15'],
      brownouts: [{ start: '2027-05-01T14:00:00.000Z', end: '2027-05-01T15:00:00.000Z', status: 410 }],
      routes: [{ name: 'orders', prefix: '/orders' }],
    },
    { id: 'v2', state: 'active' },
  ]);
  t.equal(up.requests.length, 0, 'answered by the gateway itself');
  now = Date.parse('2027-07-01T00:00:00Z');
  const later = (await request(`${url}/.well-known/api-versions`).then((r) => r.body.json())) as any;
  t.equal(later.versions[0].state, 'sunset');
  t.same(later.versions[0].brownouts, [], 'past brownouts are not listed');
});
