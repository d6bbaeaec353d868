// The shipped example in examples/openapi: its config is valid, `sundial versions` lists its
// deprecated operations, and `sundial openapi diff --dir` finds v2 breaking for v1's clients.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { loadConfig } from '../../src/config/load.js';
import { startGateway } from '../helpers/gateway.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLE = `${ROOT}examples/openapi`;
const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'x' } }).then(
    (r) => ({ code: 0, ...r }),
    (e) => e,
  );

t.test('the example config is valid', async (t) => {
  const cfg = loadConfig(EXAMPLE, { env: { SUNDIAL_ADMIN_TOKEN: 'x' } });
  t.same(
    cfg.versions.get('v1')!.openapi!.deprecated.map((o) => o.name),
    ['GET /orders', 'DELETE /orders/{id}'],
  );
  t.match(cfg.versions.get('v2')!.openapi!.deprecated[0], { name: 'GET /orders', successor: { name: 'GET /orders/search' } });
  t.equal(cfg.gateway.consumers?.header, 'X-Client-Id');
});

t.test('sundial versions lists versions and deprecated operations', async (t) => {
  const out = await run(['versions', '--dir', EXAMPLE]);
  t.equal(out.code, 0);
  t.match(
    out.stdout,
    /^VERSION +STATE +DEPRECATED +SUNSET +SUCCESSOR +OPENAPI\nv1 +\w+ +2026-01-01T00:00:00\.000Z +2027-06-30T23:59:59\.000Z +v2 +openapi\/v1\.yaml/,
  );
  t.match(
    out.stdout,
    /v2: deprecated operations\n.*\n +GET \/orders \(listOrders\) +\w+ +2026-09-01T00:00:00\.000Z +2027-09-01T00:00:00\.000Z +GET \/orders\/search/,
  );
  const json = JSON.parse((await run(['versions', '--dir', EXAMPLE, '--json'])).stdout);
  t.match(json.versions[0], {
    id: 'v1',
    successor: 'v2',
    deprecatedOperations: [{ operation: 'GET /orders', operationId: 'listOrders', sunset: '2027-03-31T00:00:00.000Z' }],
  });
});

t.test('the v1 -> v2 diff is breaking', async (t) => {
  const out = await run(['openapi', 'diff', '--dir', EXAMPLE, '--from', 'v1', '--to', 'v2', '--format', 'json']);
  t.equal(out.code, 1);
  const report = JSON.parse(out.stdout);
  const kinds = new Set(report.changes.map((c: { kind: string }) => c.kind));
  for (const k of [
    'response-property-removed',
    'response-type-changed',
    'request-type-changed',
    'request-property-added-required',
    'security-requirement-added',
    'response-property-added-closed',
  ]) {
    t.ok(kinds.has(k), k);
  }
  const missing = await run(['openapi', 'diff', '--dir', EXAMPLE, '--from', 'v1', '--to', 'v9']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /no version "v9".*known: v1, v2/);
});

t.test("the README's `openapi diff --dir . --from v1 --to v2` works on the shipped config", async (t) => {
  const out = await run(['openapi', 'diff', '--dir', ROOT, '--from', 'v1', '--to', 'v2', '--format', 'json']);
  t.equal(out.code, 1, 'read, and breaking (v2 is a new version on purpose), not exit 2');
  const kinds = new Set(JSON.parse(out.stdout).changes.map((c: { kind: string }) => c.kind));
  t.ok(kinds.has('response-type-changed') && kinds.has('response-property-removed'), 'the v1 -> v2 shape change of the demo upstreams');
});

t.test('the example retires DELETE /v1/orders/{id}: 410, as docs/openapi.md shows', async (t) => {
  const { url } = await startGateway(t, { dir: EXAMPLE, env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'x' }, clock: () => Date.parse('2026-12-01T00:00:00Z') });
  const res = await request(`${url}/v1/orders/1`, { method: 'DELETE' });
  t.equal(res.statusCode, 410);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.match(await res.body.json(), {
    code: 'SUNDIAL_ERR_OPERATION_SUNSET',
    version: 'v1',
    operation: { method: 'DELETE', path: '/orders/{id}', operationId: 'cancelOrder' },
    sunset: '2026-06-01T00:00:00.000Z',
    successorVersion: 'v2',
  });
});
