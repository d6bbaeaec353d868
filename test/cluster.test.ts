// `sundial start --workers 2`: two gateway processes share the proxy port; the primary's
// admin API aggregates their metrics, reloads both, and forwards the rest to the lead.
import t from 'tap';
import { Agent, request } from 'undici';
import { startCli } from './helpers/cli-process.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startUpstream } from './helpers/upstream.js';
import { GUARDED_ADMIN_ENDPOINTS as GUARDED } from './helpers/admin-endpoints.js';

const AUTH = { authorization: 'Bearer test-admin-token' };

t.test('cluster mode', async (t) => {
  const started = Date.now();
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, { log: { level: 'info' } }));
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--workers', '2', '--port', '0', '--admin-port', '0']);

  const adminUrl = (await waitFor((l) => l.msg === 'cluster admin listening')).admin as string;
  const serving = await waitFor((l) => l.msg === 'sundial is serving' && l.workers === 2);
  const url = serving.proxy as string;

  // Separate connections, so the kernel can hand them to either worker.
  const N = 40;
  for (let i = 0; i < N; i++) {
    const dispatcher = new Agent({ pipelining: 0 });
    const res = await request(`${url}/v2/orders/${i}`, { dispatcher });
    await res.body.dump();
    t.equal(res.statusCode, 200);
    await dispatcher.close();
  }

  const ready = await request(`${adminUrl}/readyz`);
  t.match(await ready.body.json(), { status: 'ready', listening: 2, workers: 2 });
  const unauthorised = await request(`${adminUrl}/metrics`);
  await unauthorised.body.dump();
  t.equal(unauthorised.statusCode, 401);
  const metrics = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  const loadedAt = Number(/^sundial_config_loaded_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
  t.ok(loadedAt >= started / 1000 - 1 && loadedAt <= Date.now() / 1000, `the config load time is a time, not a sum of the workers' (${loadedAt})`);
  t.match(
    metrics,
    new RegExp(`http_request_duration_seconds_count\\{route="orders",version="v2",method="GET",status="200",arm="stable"\\} ${N}\\b`),
    "one scrape counts every worker's requests",
  );

  const config = await request(`${adminUrl}/admin/config`, { headers: AUTH });
  t.equal(config.statusCode, 200);
  t.match(await config.body.json(), { versions: ['v1', 'v2'] }, 'other admin paths reach the lead worker');

  const reload = await request(`${adminUrl}/admin/reload`, { method: 'POST', headers: AUTH });
  t.match(await reload.body.json(), { result: 'unchanged', workers: [{ result: 'unchanged' }, { result: 'unchanged' }] }, 'a reload reaches both workers');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM drains the workers and exits 0');
});

t.test('cluster mode: process metrics, a rotated token and a token dropped beyond loopback', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const started = Date.now();
  const files = orderFiles({ v1: up.url, v2: up.url }, { log: { level: 'info' }, metrics: { processMetrics: true } });
  const gateway = files['config/gateway.yaml'] as Record<string, any>;
  // The primary's admin listener on every interface (the test connects over loopback only).
  gateway.admin = { ...gateway.admin, host: '0.0.0.0' };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--workers', '2', '--port', '0', '--admin-port', '0']);
  const adminUrl = ((await waitFor((l) => l.msg === 'cluster admin listening')).admin as string).replace('0.0.0.0', '127.0.0.1');
  await waitFor((l) => l.msg === 'sundial is serving' && l.workers === 2);
  const get = async (path: string, token: string | undefined, method = 'GET') => {
    const res = await request(`${adminUrl}${path}`, { method: method as 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.statusCode, text: await res.body.text() };
  };

  const metrics = (await get('/metrics', 'test-admin-token')).text;
  const startTimes = [...metrics.matchAll(/^process_start_time_seconds (\S+)$/gm)].map((m) => Number(m[1]));
  t.equal(startTimes.length, 1, 'one process_start_time_seconds');
  t.ok(startTimes[0] >= started / 1000 - 2 && startTimes[0] <= Date.now() / 1000 + 1, `it is the time the service started (${startTimes[0]})`);
  const maxFds = Number(/^process_max_fds (\S+)$/m.exec(metrics)?.[1]);
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1]);
  t.ok(maxFds > 0, 'the file-descriptor limit is there');
  t.ok(heap > 0, 'sizes are summed over the workers');

  dir.write('config/gateway.yaml', { ...gateway, admin: { ...gateway.admin, token: 'rotated-token' } });
  const rotated = await get('/admin/reload', 'test-admin-token', 'POST');
  t.match(JSON.parse(rotated.text), { result: 'applied', workers: [{ result: 'applied' }, { result: 'applied' }] });
  for (const [method, path] of GUARDED) {
    t.equal((await get(path, 'test-admin-token', method)).status, 401, `${method} ${path}: the old token no longer works`);
    t.equal((await get(path, 'rotated-token', method)).status, 200, `${method} ${path}: the new one does`);
  }

  dir.write('config/gateway.yaml', { ...gateway, admin: { host: '127.0.0.1', port: 0 } });
  const dropped = await get('/admin/reload', 'rotated-token', 'POST');
  t.equal(dropped.status, 422, 'a reload that drops the token of a listener beyond loopback is refused');
  t.match(JSON.parse(dropped.text), {
    code: 'SUNDIAL_ERR_CONFIG_INVALID',
    problems: [/admin\.token: the admin listener is bound to 0\.0\.0\.0, beyond loopback/],
    workers: [{ result: 'refused' }, { result: 'refused' }],
  });
  t.equal((await get('/metrics', undefined)).status, 401, 'the metrics still need the token');
  t.equal((await get('/admin/config', undefined)).status, 401, "and so does the lead worker's config");
  t.equal((await get('/admin/config', 'rotated-token')).status, 200);

  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
