// Hot reload: a good config is applied, a bad one refused while the old one keeps serving,
// and a request in flight finishes on the config it started with.
import t from 'tap';
import { request } from 'undici';
import { orderFiles, testConfigDir } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { startUpstream } from './helpers/upstream.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');
const AUTH = { authorization: 'Bearer test-admin-token' };

async function served(url: string): Promise<string> {
  const res = await request(`${url}/v2/orders/1`);
  const body = (await res.body.json()) as { name?: string };
  return body.name ?? `status ${res.statusCode}`;
}

async function reload(adminUrl: string) {
  const res = await request(`${adminUrl}/admin/reload`, { method: 'POST', headers: AUTH });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

t.test('reload through the admin API', async (t) => {
  const a = await startUpstream('a');
  const b = await startUpstream('b');
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const files = orderFiles({ v1: a.url, v2: a.url });
  const dir = testConfigDir(t, files);
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: NOW });
  t.equal(await served(url), 'a');

  t.match(await reload(adminUrl), { status: 200, body: { result: 'unchanged' } }, 'nothing changed');

  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: b.url } } });
  t.match(await reload(adminUrl), { status: 200, body: { result: 'applied' } });
  t.equal(await served(url), 'b', 'a good config is applied');

  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: 'not a url' } } });
  const refused = await reload(adminUrl);
  t.equal(refused.status, 422);
  t.match(refused.body, { code: 'SUNDIAL_ERR_CONFIG_INVALID', problems: [/routes\/orders\.yaml: versions\.v2\.upstream: Invalid URL/] });
  t.equal(await served(url), 'b', 'a bad config is refused and the running one keeps serving');

  const metrics = await request(`${adminUrl}/metrics`, { headers: AUTH }).then((r) => r.body.text());
  t.match(metrics, /sundial_config_reloads_total\{result="applied"\} 1/);
  t.match(metrics, /sundial_config_reloads_total\{result="refused"\} 1/);
  t.match(metrics, /sundial_config_reloads_total\{result="unchanged"\} 1/);
});

t.test('reload on a change to the config files', async (t) => {
  const a = await startUpstream('a');
  const b = await startUpstream('b');
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const files = orderFiles({ v1: a.url, v2: a.url }, { reload: { watch: true, debounce: '50ms' } });
  const dir = testConfigDir(t, files);
  const { url, gateway } = await startGateway(t, { dir: dir.dir, clock: NOW });
  t.equal(await served(url), 'a');
  const applied = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (gateway.current.routes[0].upstreams.get('v2')!.base === b.url) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: b.url } } });
  await applied;
  t.equal(await served(url), 'b');
});

t.test('a request in flight finishes on the config it started with', async (t) => {
  const a = await startUpstream('a');
  const b = await startUpstream('b');
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const dir = testConfigDir(t, orderFiles({ v1: a.url, v2: a.url }));
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: NOW });

  // The upstream holds the answer until the reload has been applied.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slowUp = await startUpstream('slow', (req, res) => {
    if (!req.url?.includes('/held')) return false;
    held.then(() => res.end(JSON.stringify({ name: 'held-by-old-config' })));
    return true;
  });
  t.teardown(() => slowUp.close());
  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: slowUp.url } } });
  t.match(await reload(adminUrl), { body: { result: 'applied' } });

  // Arrives on the config routing v2 to slowUp, is held there while config moves to b.
  const inFlight = request(`${url}/v2/orders/held`);
  while (!slowUp.server.listening || (await new Promise((r) => slowUp.server.getConnections((_e, n) => r(n)))) === 0) {
    await new Promise((r) => setImmediate(r));
  }
  // The new config moves v2 to b and deprecates it.
  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: b.url } } });
  dir.write('versions/v2.yaml', { id: 'v2', aliases: ['2'], deprecated: '2026-06-01T00:00:00Z' });
  t.match(await reload(adminUrl), { body: { result: 'applied' } });
  const fresh = await request(`${url}/v2/orders/1`);
  t.same(((await fresh.body.json()) as { name: string }).name, 'b', 'new requests use the new config');
  t.equal(fresh.headers.deprecation, '@1780272000', 'and its lifecycle');
  release();
  const res = await inFlight;
  t.equal(res.statusCode, 200);
  t.same(await res.body.json(), { name: 'held-by-old-config' }, 'the in-flight request completed on its upstream');
  t.equal(res.headers.deprecation, undefined, 'its response headers come from the config it started with');
});
