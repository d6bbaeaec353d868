// `sundial check` with OpenAPI documents on both versions: the transform is run over the
// schemas, old to new and back; fields it names that the schema lacks are refused, and
// properties nothing maps are listed.
import t from 'tap';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { loadConfig } from '../../src/config/load.js';
import { checkTransformSchemas } from '../../src/transform/schema-check.js';
import { run } from '../../src/cli/check.js';

const doc = (version: string, order: Record<string, unknown>) => ({
  openapi: '3.0.3',
  info: { title: 'Orders', version },
  paths: {
    '/orders/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { responses: { '200': { description: 'one', content: { 'application/json': { schema: { type: 'object', properties: order } } } } } },
    },
  },
});

function files(response: unknown[]) {
  const f = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  f['openapi/v1.json'] = JSON.stringify(doc('1', { id: { type: 'integer' }, total_cents: { type: 'integer' }, note: { type: 'string' } }));
  f['openapi/v2.json'] = JSON.stringify(
    doc('2', {
      id: { type: 'integer' },
      total: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } } },
      state: { type: 'string' },
    }),
  );
  Object.assign(f['versions/v1.yaml'] as object, { openapi: 'openapi/v1.json', transform: { to: 'v2', response } });
  Object.assign(f['versions/v2.yaml'] as object, { openapi: 'openapi/v2.json' });
  return f;
}

const money = { convert: { field: 'total', forward: '{ "amount": $ / 100, "currency": "EUR" }', backward: '$round(amount * 100)' } };

t.test('unmapped properties are listed, both ways', async (t) => {
  const dir = configDir(files([{ rename: { from: 'total_cents', to: 'total' } }, money]));
  t.teardown(() => dir.remove());
  const findings = await checkTransformSchemas(loadConfig(dir.dir, { env: {} }));
  t.same(findings.map((f) => `${f.severity}: ${f.message}`).sort(), [
    "unmapped: GET /orders/{id} response: v1's note is mapped from nothing in v2",
    "unmapped: GET /orders/{id} response: v2's state is mapped from nothing in v1",
  ]);
  const mapped = configDir(
    files([{ rename: { from: 'total_cents', to: 'total' } }, money, { remove: { field: 'note', default: '' } }, { add: { field: 'state', default: 'NEW' } }]),
  );
  t.teardown(() => mapped.remove());
  t.same(await checkTransformSchemas(loadConfig(mapped.dir, { env: {} })), [], 'a complete transform leaves nothing unmapped');
});

t.test('a transform naming a field the schema lacks is refused', async (t) => {
  const dir = configDir(files([{ rename: { from: 'totl_cents', to: 'total' } }]));
  t.teardown(() => dir.remove());
  const findings = await checkTransformSchemas(loadConfig(dir.dir, { env: {} }));
  t.match(
    findings.filter((f) => f.severity === 'problem'),
    [{ file: 'versions/v1.yaml', message: /GET \/orders\/\{id\} response: "totl_cents": the schema has no property totl_cents in openapi\/v1.json/ }],
  );
  const write = process.stderr.write;
  let err = '';
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    t.equal(await run(['--dir', dir.dir]), 1, 'sundial check exits 1');
  } finally {
    process.stderr.write = write;
  }
  t.match(err, /versions\/v1.yaml: transform: GET \/orders\/\{id\} response: "totl_cents"/);
});
