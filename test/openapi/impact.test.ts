// `sundial openapi diff --impact` against a real gateway that has served consumers: each
// breaking change lists the consumers that called its operation, with their counts (the
// operation's own for a deprecated one, the version's otherwise); without a gateway, the diff
// alone, saying so.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { manualClock, startGateway } from '../helpers/gateway.js';
import { closedPort, startUpstream } from '../helpers/upstream.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const ok = (schema: unknown) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } });

function documents() {
  const order = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
  const v1 = {
    openapi: '3.1.0',
    info: { title: 'Orders', version: '1' },
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          deprecated: true,
          'x-deprecated-at': '2025-10-01T00:00:00Z',
          'x-sunset': '2027-03-31T00:00:00Z',
          responses: ok({ type: 'array', items: order }),
        },
      },
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getOrder', responses: ok(order) },
      },
    },
  };
  const v2 = structuredClone(v1) as any;
  v2.paths['/orders'].get.responses['200'].content['application/json'].schema.items.properties.id.type = 'string';
  v2.paths['/orders/{id}'].get.responses['200'].content['application/json'].schema.properties.id.type = 'string';
  return { v1, v2 };
}

t.test('who would break, from a running gateway', async (t) => {
  const upstream = await startUpstream('orders');
  t.teardown(() => upstream.close());
  const files = orderFiles({ v1: upstream.url, v2: upstream.url }, { consumers: { header: 'X-Client-Id' } });
  const { v1, v2 } = documents();
  files['versions/v1.yaml'] = { ...(files['versions/v1.yaml'] as object), openapi: 'openapi/v1.yaml' };
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.yaml' };
  files['openapi/v1.yaml'] = v1;
  files['openapi/v2.yaml'] = v2;
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const { url, adminUrl } = await startGateway(t, { dir: dir.dir, clock: manualClock('2026-11-23T12:00:00Z') });
  const call = async (path: string, client: string) => (await request(`${url}${path}`, { headers: { 'x-client-id': client } })).body.dump();
  for (let i = 0; i < 4; i++) await call('/v1/orders', 'billing');
  for (let i = 0; i < 2; i++) await call('/v1/orders/7', 'mobile');
  await call('/v1/orders/8', 'reports');
  await call('/v2/orders/8', 'moved-on');

  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'openapi', 'diff', '--dir', dir.dir, '--from', 'v1', '--to', 'v2', '--impact', ...args], {
      env: { ...process.env, SUNDIAL_ADMIN_TOKEN: 'test-admin-token' },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e) => e,
    );
  const text = await run(['--admin', adminUrl, '--now', '2026-11-23T12:00:00Z']);
  t.equal(text.code, 1, 'still a breaking diff');
  t.match(text.stdout, /WHO WOULD BREAK \(consumers of v1 seen by the running gateway\)/);
  t.match(text.stdout, /GET \/orders {2}\[response-type-changed\]\n {4}4 request\(s\)\n {4}billing {2}4 /, 'the deprecated operation: its own consumers');
  t.match(
    text.stdout,
    /GET \/orders\/\{id\} {2}\[response-type-changed\]\n {4}7 request\(s\) to v1 \(not counted per operation/,
    "another operation: the version's consumers, said so",
  );
  t.notMatch(text.stdout, /moved-on/, 'v2 callers are not v1 consumers');

  const json = JSON.parse((await run(['--admin', adminUrl, '--format', 'json'])).stdout);
  const byOp = new Map(json.impact.map((r: any) => [r.operation, r]));
  t.match(byOp.get('GET /orders'), { scope: 'operation', requests: 4, consumers: [{ id: 'billing', requests: 4 }] });
  t.match(byOp.get('GET /orders/{id}'), { scope: 'version', requests: 7 });
  t.same(
    (byOp.get('GET /orders/{id}') as any).consumers.map((c: any) => [c.id, c.requests]),
    [
      ['billing', 4],
      ['mobile', 2],
      ['reports', 1],
    ],
  );

  const down = await run(['--admin', `http://127.0.0.1:${await closedPort()}`]);
  t.equal(down.code, 1, 'the diff still gates');
  t.match(down.stdout, /v1 -> v2: 2 breaking/);
  t.match(down.stdout, /WHO WOULD BREAK: unknown\. No running gateway answered, so the diff is shown without its impact/);
  t.match(down.stderr, /No running gateway answered/);
});
