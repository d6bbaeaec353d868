// `sundial start --workers 2`: two gateway processes share the proxy port; the primary's
// admin API aggregates their metrics, reloads both, and forwards the rest to the lead.
import t from 'tap';
import { Agent, request } from 'undici';
import { startCli } from './helpers/cli-process.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startUpstream } from './helpers/upstream.js';

const AUTH = { authorization: 'Bearer test-admin-token' };

t.test('cluster mode', async (t) => {
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
  t.match(metrics, new RegExp(`http_request_duration_seconds_count\\{route="orders",version="v2",method="GET",status="200",arm="stable"\\} ${N}\\b`), 'one scrape counts every worker\'s requests');

  const config = await request(`${adminUrl}/admin/config`, { headers: AUTH });
  t.equal(config.statusCode, 200);
  t.match(await config.body.json(), { versions: ['v1', 'v2'] }, 'other admin paths reach the lead worker');

  const reload = await request(`${adminUrl}/admin/reload`, { method: 'POST', headers: AUTH });
  t.match(await reload.body.json(), { result: 'unchanged', workers: [{ result: 'unchanged' }, { result: 'unchanged' }] }, 'a reload reaches both workers');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM drains the workers and exits 0');
});
