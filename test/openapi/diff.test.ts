// The breaking-change diff: a fixture pair for every breaking and warning kind, each asserting
// its class and location; identical documents give no changes; $refs (recursive ones too)
// are followed; and `sundial openapi diff` exits 1 on breaking changes, for CI.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { diffDocuments, type Change } from '../../src/openapi/diff.js';
import { loadOpenApiDocument, type OpenApiDocument } from '../../src/openapi/document.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const tmp = tempDir('sundial-diff-');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

type Doc = Record<string, any>;
const json = { 'application/json': {} };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (schema: unknown) => ({ content: { 'application/json': { schema } } });

function base(): Doc {
  return {
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      schemas: {
        Order: {
          type: 'object',
          required: ['id', 'status', 'total'],
          properties: {
            id: { type: 'string' },
            status: ref('Status'),
            total: { type: 'integer' },
            note: { type: 'string' },
            customer: ref('Customer'),
            items: { type: 'array', items: ref('Item') },
          },
        },
        Status: { type: 'string', enum: ['open', 'paid', 'cancelled'] },
        Customer: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } },
        Item: { type: 'object', properties: { sku: { type: 'string' }, parent: ref('Item') } },
        NewOrder: { type: 'object', required: ['total'], properties: { total: { type: 'integer' }, status: ref('Status'), coupon: { type: 'string' } } },
      },
    },
    paths: {
      '/orders': {
        get: {
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
          responses: { '200': { description: 'OK', ...body({ type: 'array', items: ref('Order') }) } },
        },
        post: {
          requestBody: { required: true, ...body(ref('NewOrder')) },
          responses: { '201': { description: 'Created', ...body(ref('Order')) }, '400': { description: 'Bad' } },
        },
      },
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { responses: { '200': { description: 'OK', ...body(ref('Order')) }, '404': { description: 'Not found' } } },
        delete: { responses: { '204': { description: 'Deleted' } } },
      },
    },
  };
}

let n = 0;
async function deref(doc: Doc, ext = 'yaml'): Promise<OpenApiDocument> {
  const file = join(tmp, `doc-${n++}.${ext}`);
  writeFileSync(file, ext === 'json' ? JSON.stringify(doc) : stringify(doc));
  const result = await loadOpenApiDocument(file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

async function diffWith(change: (d: Doc) => void): Promise<Change[]> {
  const next = base();
  change(next);
  return diffDocuments(await deref(base()), await deref(next));
}

const GET_ORDER = '/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema';
const POST_BODY = '/paths/~1orders/post/requestBody/content/application~1json/schema';

interface Case {
  name: string;
  change: (d: Doc) => void;
  expect: Partial<Change> & { class: Change['class']; kind: string; pointer: string };
  message?: RegExp;
}

const cases: Case[] = [
  {
    name: 'a removed path',
    change: (d) => delete d.paths['/orders/{id}'],
    expect: { class: 'breaking', kind: 'path-removed', path: '/orders/{id}', pointer: '/paths/~1orders~1{id}' },
  },
  {
    name: 'a removed operation',
    change: (d) => delete d.paths['/orders/{id}'].delete,
    expect: { class: 'breaking', kind: 'operation-removed', method: 'DELETE', path: '/orders/{id}', pointer: '/paths/~1orders~1{id}/delete' },
  },
  {
    name: 'a removed response status',
    change: (d) => delete d.paths['/orders/{id}'].get.responses['404'],
    expect: { class: 'warning', kind: 'response-status-removed', method: 'GET', path: '/orders/{id}', pointer: '/paths/~1orders~1{id}/get/responses/404' },
  },
  {
    name: 'an optional response property removed',
    change: (d) => delete d.components.schemas.Order.properties.note,
    expect: { class: 'warning', kind: 'response-optional-property-removed', method: 'GET', path: '/orders/{id}', pointer: `${GET_ORDER}/properties/note` },
  },
  {
    name: 'a renamed response property',
    change: (d) => {
      const o = d.components.schemas.Order;
      o.properties.remark = o.properties.note;
      delete o.properties.note;
    },
    expect: { class: 'warning', kind: 'response-optional-property-removed', method: 'GET', path: '/orders/{id}', pointer: `${GET_ORDER}/properties/note` },
    message: /renamed to `remark`\?/,
  },
  {
    name: 'a response property made optional',
    change: (d) => {
      d.components.schemas.Order.required = ['id', 'status'];
    },
    expect: { class: 'breaking', kind: 'response-property-became-optional', method: 'GET', path: '/orders/{id}', pointer: `${GET_ORDER}/required` },
    message: /`total` is no longer required/,
  },
  {
    name: 'a response property whose type changed',
    change: (d) => {
      d.components.schemas.Order.properties.total = { type: 'string' };
    },
    expect: { class: 'breaking', kind: 'response-type-changed', method: 'GET', path: '/orders/{id}', pointer: `${GET_ORDER}/properties/total/type` },
    message: /from integer to string/,
  },
  {
    name: 'a property type changed deep inside a recursive $ref',
    change: (d) => {
      d.components.schemas.Item.properties.sku = { type: 'integer' };
    },
    expect: {
      class: 'breaking',
      kind: 'response-type-changed',
      method: 'GET',
      path: '/orders/{id}',
      pointer: `${GET_ORDER}/properties/items/items/properties/sku/type`,
    },
    message: /`items\[\]\.sku`/,
  },
  {
    name: 'a parameter whose type changed',
    change: (d) => {
      d.paths['/orders'].get.parameters[0].schema = { type: 'string', format: 'uuid' };
    },
    expect: { class: 'breaking', kind: 'request-type-changed', method: 'GET', path: '/orders', pointer: '/paths/~1orders/get/parameters/0/schema/type' },
  },
  {
    name: 'a new required query parameter',
    change: (d) => d.paths['/orders'].get.parameters.push({ name: 'tenant', in: 'query', required: true, schema: { type: 'string' } }),
    expect: { class: 'breaking', kind: 'parameter-added-required', method: 'GET', path: '/orders', pointer: '/paths/~1orders/get/parameters/1' },
    message: /query parameter `tenant`/,
  },
  {
    name: 'a new required header',
    change: (d) => {
      d.paths['/orders/{id}'].get.parameters = [{ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } }];
    },
    expect: { class: 'breaking', kind: 'parameter-added-required', method: 'GET', path: '/orders/{id}', pointer: '/paths/~1orders~1{id}/get/parameters/0' },
    message: /header parameter `X-Tenant`/,
  },
  {
    name: 'a new required request-body property',
    change: (d) => {
      const s = d.components.schemas.NewOrder;
      s.properties.currency = { type: 'string' };
      s.required.push('currency');
    },
    expect: { class: 'breaking', kind: 'request-property-added-required', method: 'POST', path: '/orders', pointer: `${POST_BODY}/properties/currency` },
  },
  {
    name: 'a request-body property made required',
    change: (d) => d.components.schemas.NewOrder.required.push('coupon'),
    expect: { class: 'breaking', kind: 'request-property-became-required', method: 'POST', path: '/orders', pointer: `${POST_BODY}/required` },
    message: /`coupon` is now required/,
  },
  {
    name: 'a narrowed request enum',
    change: (d) => {
      d.components.schemas.Status.enum = ['open', 'paid'];
    },
    expect: { class: 'breaking', kind: 'request-enum-value-removed', method: 'POST', path: '/orders', pointer: `${POST_BODY}/properties/status/enum` },
    message: /no longer allows "cancelled"/,
  },
  {
    name: 'an added security requirement',
    change: (d) => {
      d.security = [{ apiKey: [] }];
    },
    expect: { class: 'breaking', kind: 'security-requirement-added', method: 'GET', path: '/orders/{id}', pointer: '/security' },
    message: /now requires apiKey, where it accepted no authentication/,
  },
  {
    name: 'a widened response enum',
    change: (d) => d.components.schemas.Status.enum.push('refunded'),
    expect: { class: 'warning', kind: 'response-enum-value-added', method: 'GET', path: '/orders/{id}', pointer: `${GET_ORDER}/properties/status/enum` },
    message: /may now be "refunded"/,
  },
  {
    name: 'a new optional response property where additionalProperties is false',
    change: (d) => {
      d.components.schemas.Customer.properties.email = { type: 'string' };
    },
    expect: {
      class: 'warning',
      kind: 'response-property-added-closed',
      method: 'GET',
      path: '/orders/{id}',
      pointer: `${GET_ORDER}/properties/customer/properties/email`,
    },
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const changes = await diffWith(c.change);
    const found = changes.find(
      (x) => x.kind === c.expect.kind && x.pointer === c.expect.pointer && (c.expect.method ?? x.method) === x.method && (c.expect.path ?? x.path) === x.path,
    );
    t.ok(found, `a ${c.expect.kind} change at ${c.expect.pointer}; got ${JSON.stringify(changes.map((x) => [x.class, x.kind, x.pointer]))}`);
    t.match(found, c.expect);
    if (c.message) t.match(found?.message, c.message);
    t.ok(found && found.message.length > 20 && found.advice.length > 10, 'a sentence, and what to do');
  });
}

t.test('compatible changes are info only', async (t) => {
  const changes = await diffWith((d) => {
    d.paths['/orders'].get.parameters.push({ name: 'cursor', in: 'query', schema: { type: 'string' } });
    d.components.schemas.Order.properties.createdAt = { type: 'string', format: 'date-time' };
    d.paths['/orders/{id}'].get.responses['410'] = { description: 'Gone' };
    d.paths['/orders/{id}'].get.deprecated = true;
    d.paths['/orders/{id}'].patch = { responses: { '200': { description: 'OK' } } };
    d.components.schemas.NewOrder.properties.total = { type: 'number' };
  });
  t.ok(changes.length >= 5, `changes found: ${changes.map((c) => c.kind).join(', ')}`);
  t.same(
    changes.filter((c) => c.class !== 'info'),
    [],
    'nothing breaking or warning',
  );
  t.ok(changes.some((c) => c.kind === 'operation-deprecated'));
  t.ok(
    changes.some((c) => c.kind === 'request-type-widened' && c.method === 'POST'),
    'integer to number in a request is compatible',
  );
});

t.test('renamed path parameters are the same endpoint', async (t) => {
  const changes = await diffWith((d) => {
    d.paths['/orders/{orderId}'] = d.paths['/orders/{id}'];
    d.paths['/orders/{orderId}'].parameters = [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }];
    delete d.paths['/orders/{id}'];
  });
  t.same(
    changes.map((c) => [c.class, c.kind]),
    [['info', 'path-parameter-renamed']],
  );
});

t.test('identical documents give no changes, with recursive $refs resolved', async (t) => {
  const a = await deref(base());
  const b = await deref(base(), 'json');
  t.equal(
    (a.paths!['/orders/{id}'] as any).get.responses['200'].content['application/json'].schema.properties.items.items.properties.parent.properties.sku.type,
    'string',
    '$refs are resolved',
  );
  t.same(diffDocuments(a, b), []);
  t.same(diffDocuments(a, a), []);
});

t.test('OpenAPI 3.1: type arrays and null', async (t) => {
  const doc = (status: unknown) => ({
    openapi: '3.1.0',
    info: { title: 'x', version: '1' },
    paths: {
      '/a': {
        get: { responses: { '200': { description: 'OK', content: json && { 'application/json': { schema: { type: 'object', properties: { status } } } } } } },
      },
    },
  });
  const changes = diffDocuments(await deref(doc({ type: 'string' })), await deref(doc({ type: ['string', 'null'] })));
  t.match(
    changes,
    [{ class: 'breaking', kind: 'response-became-nullable', pointer: '/paths/~1a/get/responses/200/content/application~1json/schema/properties/status' }],
    'a response that may now be null breaks clients',
  );
});

t.test('sundial openapi diff gates CI', async (t) => {
  const oldFile = join(tmp, 'old.yaml');
  const newFile = join(tmp, 'new.json');
  const okFile = join(tmp, 'same.yaml');
  writeFileSync(oldFile, stringify(base()));
  writeFileSync(okFile, stringify(base()));
  const next = base();
  delete next.paths['/orders/{id}'].delete;
  next.components.schemas.Status.enum.push('refunded');
  writeFileSync(newFile, JSON.stringify(next));
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'openapi', 'diff', ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e) => e,
    );

  const breaking = await run([oldFile, newFile]);
  t.equal(breaking.code, 1, 'exit 1 when something is breaking');
  t.match(breaking.stdout, /1 breaking, \d+ warnings?/);
  t.match(breaking.stdout, /BREAKING \(1\)\n {2}DELETE \/orders\/\{id\} {2}\[operation-removed\]\n {4}at \/paths\/~1orders~1\{id\}\/delete/);

  const same = await run([oldFile, okFile]);
  t.equal(same.code, 0, 'exit 0 when nothing changed');
  t.match(same.stdout, /No changes\./);

  const asJson = await run([oldFile, newFile, '--format', 'json']);
  const report = JSON.parse(asJson.stdout);
  t.match(report, { breaking: true, summary: { breaking: 1 } });
  t.ok(report.changes.every((c: Change) => c.class && c.kind && c.pointer && c.message));

  const md = await run([oldFile, newFile, '--format', 'markdown']);
  t.match(md.stdout, /#### 🔴 Breaking \(1\)\n\n\| operation \| rule \| where \| change \|/);
  t.match(md.stdout, /\| `DELETE \/orders\/\{id\}` \| `operation-removed` \| `\/paths\/~1orders~1\{id\}\/delete` \|/);

  const warningsOnly = await run([oldFile, join(tmp, 'warn.yaml')]);
  t.equal(warningsOnly.code, 2, 'exit 2 for an unreadable document');
  t.match(warningsOnly.stderr, /file not found/);

  const bad = await run([oldFile, newFile, '--format', 'xml']);
  t.equal(bad.code, 2);

  // --dir --from --to: the documents the version files name.
  const files = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  files['versions/v1.yaml'] = { ...(files['versions/v1.yaml'] as object), openapi: 'openapi/v1.yaml' };
  files['versions/v2.yaml'] = { id: 'v2', aliases: ['2'], openapi: 'openapi/v2.json' };
  files['openapi/v1.yaml'] = base();
  files['openapi/v2.json'] = JSON.stringify(next);
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const byDir = await run(['--dir', dir.dir, '--from', 'v1', '--to', '2', '--fail-on', 'warning']);
  t.equal(byDir.code, 1);
  t.match(byDir.stdout, /^v1 -> 2: 1 breaking/);
});
