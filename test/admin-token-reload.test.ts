// A reload that rotates admin.token retires the old token on every admin endpoint at once,
// and a reload cannot leave an admin listener bound beyond loopback without a token: that is
// refused as `sundial start` refuses it. The cluster's primary is tested in cluster.test.ts.
import t from 'tap';
import { request } from 'undici';
import { adminExposureProblem } from '../src/admin/exposure.js';
import { GUARDED_ADMIN_ENDPOINTS as GUARDED } from './helpers/admin-endpoints.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { startUpstream } from './helpers/upstream.js';

async function status(url: string, method: string, token?: string): Promise<number> {
  const res = await request(url, { method: method as 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
  await res.body.dump();
  return res.statusCode;
}

t.test('the exposure rule', async (t) => {
  t.equal(adminExposureProblem('g.yaml', '127.0.0.1', undefined), undefined, 'loopback needs no token');
  t.equal(adminExposureProblem('g.yaml', '::1', undefined), undefined);
  t.equal(adminExposureProblem('g.yaml', '0.0.0.0', 'secret'), undefined, 'beyond loopback with a token is fine');
  t.match(adminExposureProblem('g.yaml', '0.0.0.0', undefined), { file: 'g.yaml', path: ['admin', 'token'], message: /beyond loopback/ });
  t.match(adminExposureProblem('g.yaml', '10.1.2.3', '', true), { message: /bound to 10\.1\.2\.3.*until the next restart/ });
});

t.test('single process: rotating the token, and dropping it beyond loopback', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const files = orderFiles({ v1: up.url, v2: up.url });
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  // Bound to every interface (tests only ever connect over loopback).
  const { adminUrl: bound } = await startGateway(t, { dir: dir.dir, host: '0.0.0.0' });
  const adminUrl = bound.replace('0.0.0.0', '127.0.0.1');
  const gateway = files['config/gateway.yaml'] as Record<string, any>;

  dir.write('config/gateway.yaml', { ...gateway, admin: { ...gateway.admin, token: 'rotated-token' } });
  t.equal(await status(`${adminUrl}/admin/reload`, 'POST', 'test-admin-token'), 200, 'the reload that rotates the token is applied');
  for (const [method, path] of GUARDED) {
    t.equal(await status(`${adminUrl}${path}`, method, 'test-admin-token'), 401, `${method} ${path}: the old token no longer works`);
    t.equal(await status(`${adminUrl}${path}`, method, 'rotated-token'), 200, `${method} ${path}: the new one does`);
  }

  // Dropping the token (even while moving admin.host to loopback, which takes effect only
  // at the next restart) would leave the listener bound to 0.0.0.0 open to anyone.
  dir.write('config/gateway.yaml', { ...gateway, admin: { host: '127.0.0.1', port: 0 } });
  const res = await request(`${adminUrl}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer rotated-token' } });
  t.equal(res.statusCode, 422);
  t.match(await res.body.json(), {
    code: 'SUNDIAL_ERR_CONFIG_INVALID',
    problems: [/config\/gateway\.yaml: admin\.token: the admin listener is bound to 0\.0\.0\.0, beyond loopback/],
  });
  t.equal(await status(`${adminUrl}/admin/config`, 'GET'), 401, 'the admin API still needs the token');
  t.equal(await status(`${adminUrl}/admin/config`, 'GET', 'rotated-token'), 200, 'and the token in force is the last one applied');
});
