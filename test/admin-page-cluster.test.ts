// `sundial start --workers 2`: the primary's /admin/consumers, /admin/shadow and
// /admin/traffic answer for the whole cluster, merging every worker's reports, and the
// admin page is served through the primary.
import t from 'tap';
import { Agent, request } from 'undici';
import { startCli } from './helpers/cli-process.js';
import { shadowedOrderFiles, testConfigDir } from './helpers/config-dir.js';
import { jsonUpstream } from './shadow/helpers.js';

const AUTH = { authorization: 'Bearer test-admin-token' };

async function json(url: string, init: { method?: 'GET' | 'DELETE' } = {}): Promise<any> {
  const res = await request(url, { headers: AUTH, ...init });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${await res.body.text()}`);
  return res.body.json();
}

t.test('whole-cluster reports', async (t) => {
  const primary = await jsonUpstream(t, 'primary', () => ({ body: { id: 1, price: 10 } }));
  const candidate = await jsonUpstream(t, 'candidate', () => ({ body: { id: 1, price: 12 } }));
  const files = shadowedOrderFiles(primary.url, candidate.url, { consumers: { header: 'X-Client-Id' }, log: { level: 'info' } });
  const dir = testConfigDir(t, files);
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--workers', '2', '--port', '0', '--admin-port', '0']);
  const adminUrl = (await waitFor((l) => l.msg === 'cluster admin listening')).admin as string;
  const url = (await waitFor((l) => l.msg === 'sundial is serving' && l.workers === 2)).proxy as string;

  // A connection each, so the kernel hands them to either worker; each worker sees its share,
  // and only the merge gives all N (the pure merges are tested in admin-page-reports).
  const N = 60;
  for (let i = 0; i < N; i++) {
    const dispatcher = new Agent({ pipelining: 0 });
    const res = await request(`${url}/v1/orders/${i}`, { dispatcher, headers: { 'x-client-id': i % 3 === 0 ? 'acme' : 'globex' } });
    await res.body.dump();
    t.equal(res.statusCode, 200);
    await dispatcher.close();
  }
  t.equal(primary.received.length, N);

  const consumers = await json(`${adminUrl}/admin/consumers?version=v1`);
  t.equal(consumers.requests, N, 'the consumers of every worker');
  t.same(
    consumers.consumers.map((c: any) => [c.id, c.requests, c.maxOvercount]),
    [
      ['globex', 40, 0],
      ['acme', 20, 0],
    ],
  );
  const summary = await json(`${adminUrl}/admin/consumers`);
  t.match(summary.versions, [
    { version: 'v1', requests: N, top: [{ id: 'globex', requests: 40 }] },
    { version: 'v2', tracked: false },
  ]);
  const unknown = await request(`${adminUrl}/admin/consumers?version=v9`, { headers: AUTH });
  t.equal(unknown.statusCode, 404, "a bad query is the workers' problem answer");
  t.match(await unknown.body.json(), { title: 'Unknown API version' });

  // Mirrors settle after the answers: wait for all N comparisons.
  let shadow: any;
  for (let i = 0; i < 200; i++) {
    shadow = (await json(`${adminUrl}/admin/shadow`)).shadows[0];
    if (shadow.compared === N && shadow.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  t.match(
    shadow,
    { route: 'orders', version: 'v1', compared: N, mismatched: N, fields: { 'body.price': { differences: N, real: true } } },
    'the shadow counters of every worker, summed',
  );

  const traffic = await json(`${adminUrl}/admin/traffic`);
  t.match(traffic.series, [{ route: 'orders', version: 'v1', lastMinute: { requests: N } }], "traffic over every worker's histogram");

  t.same(await json(`${adminUrl}/admin/shadow`, { method: 'DELETE' }), { reset: true, workers: 2 }, 'a reset reaches both workers');
  t.match((await json(`${adminUrl}/admin/shadow`)).shadows[0], { compared: 0 });

  const page = await request(`${adminUrl}/`);
  t.equal(page.statusCode, 200, 'the page, through the primary, without the token');
  t.match(page.headers['content-security-policy'], /default-src 'none'/);
  t.match(await page.body.text(), /<title>Sundial admin<\/title>/);
  const denied = await request(`${adminUrl}/admin/consumers?version=v1`);
  await denied.body.dump();
  t.equal(denied.statusCode, 401, 'the merged reports need the token');

  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
