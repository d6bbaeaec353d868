// The pure parts of shadowing, without a server: the mirror decision, ignore patterns,
// flattening, comparison, the noise rule, the report's bounds and config errors.
import t from 'tap';
import { ConfigError, formatProblem } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { compareFields } from '../../src/shadow/compare.js';
import { compileShadow } from '../../src/shadow/config.js';
import { declaredLength, mirrorDecision } from '../../src/shadow/mirror-decision.js';
import { flatten, sameResponse, type CapturedResponse } from '../../src/shadow/flatten.js';
import { isRealDifference, withoutNoise } from '../../src/shadow/noise.js';
import { compileIgnore, ignores } from '../../src/shadow/paths.js';
import { ShadowState } from '../../src/shadow/report.js';
import { shadowSchema } from '../../src/config/schema.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';

const shadow = (extra: Record<string, unknown> = {}) => compileShadow(shadowSchema.parse({ upstream: 'http://127.0.0.1:7004', ...extra }));
const json = (body: unknown, status = 200): CapturedResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

t.test('defaults', async (t) => {
  const cfg = shadow();
  t.same([...cfg.methods], ['GET', 'HEAD'], 'writes are not mirrored unless asked for');
  t.match(cfg, { sample: 1, maxBodyBytes: 1048576, maxResponseBytes: 1048576, timeout: 2000, maxInFlight: 100, noise: { relative: 0.2, absolute: 0.0003 } });
  t.same(cfg.compare.headers, ['content-type']);
  const issue = shadow({ sample: 0.25, timeout: '2s', maxBodyBytes: '512kb', secondary: 'http://127.0.0.1:7005/base/', compare: { headers: ['ETag'] } });
  t.match(issue, { sample: 0.25, timeout: 2000, maxBodyBytes: 512 * 1024, secondary: { origin: 'http://127.0.0.1:7005', basePath: '/base' } });
  t.same(issue.compare.headers, ['content-type', 'etag']);
});

t.test('mirror decision', async (t) => {
  const cfg = shadow({ sample: 0.25, maxBodyBytes: 10, maxInFlight: 2 });
  t.same(mirrorDecision({ method: 'GET' }, cfg, 0.1, 0), { mirror: true });
  t.same(mirrorDecision({ method: 'HEAD' }, cfg, 0, 0), { mirror: true });
  t.same(mirrorDecision({ method: 'POST' }, cfg, 0, 0), { mirror: false, reason: 'method' });
  t.same(mirrorDecision({ method: 'GET' }, cfg, 0.25, 0), { mirror: false, reason: 'sampled-out' });
  t.same(mirrorDecision({ method: 'GET' }, cfg, 0.9, 0), { mirror: false, reason: 'sampled-out' });
  t.same(mirrorDecision({ method: 'GET', contentLength: 11 }, cfg, 0, 0), { mirror: false, reason: 'body-too-large' });
  t.same(mirrorDecision({ method: 'GET', contentLength: 10 }, cfg, 0, 1), { mirror: true });
  t.same(mirrorDecision({ method: 'GET' }, cfg, 0, 2), { mirror: false, reason: 'in-flight' });
  t.same(mirrorDecision({ method: 'POST' }, cfg, 0.9, 5), { mirror: false, reason: 'method' }, 'the method is checked first');
  t.same(mirrorDecision({ method: 'GET' }, shadow({ sample: 1 }), 0.999999, 0), { mirror: true }, 'sample 1 mirrors every request');
  t.same(mirrorDecision({ method: 'GET' }, shadow({ sample: 0 }), 0, 0), { mirror: false, reason: 'sampled-out' }, 'sample 0 mirrors none');
  t.equal(declaredLength('42'), 42);
  t.equal(declaredLength(undefined), undefined);
  t.equal(declaredLength('x'), undefined);
});

t.test('ignore patterns', async (t) => {
  const m = compileIgnore(['headers.Date', 'body.meta.requestId', 'body.items.*.updatedAt', 'body.*.secret']);
  t.ok(ignores(m, 'headers.date'), 'header names are case-insensitive');
  t.ok(ignores(m, 'body.meta.requestId'));
  t.ok(ignores(m, 'body.meta.requestId.deeper'), 'a pattern covers what is under it');
  t.notOk(ignores(m, 'body.meta.other'));
  t.ok(ignores(m, 'body.items.0.updatedAt'));
  t.ok(ignores(m, 'body.items.17.updatedAt'));
  t.notOk(ignores(m, 'body.items.0.createdAt'));
  t.ok(ignores(m, 'body.user.secret'));
  t.notOk(ignores(m, 'body.user.name.secret'), '* is one segment');
  t.notOk(ignores(m, 'status'));
  t.notOk(ignores(compileIgnore([]), 'body.x'));
});

t.test('flatten', async (t) => {
  const rules = shadow().compare;
  const fields = flatten(json({ a: { b: [1, { c: 'x' }], e: [], f: {} }, n: null, s: '1', i: 1 }), rules);
  t.same(Object.fromEntries(fields), {
    status: '200',
    'headers.content-type': 'application/json',
    'body.a.b.0': '1',
    'body.a.b.1.c': '"x"',
    'body.a.e': '[]',
    'body.a.f': '{}',
    'body.n': 'null',
    'body.s': '"1"',
    'body.i': '1',
  });
  const text = flatten({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from([0x68, 0xff]) }, rules);
  t.equal(text.get('body'), 'h\u00ff', 'other bodies are bytes');
  const broken = flatten({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":') }, rules);
  t.equal(broken.get('body'), '{"a":', 'invalid JSON is compared as bytes');
  t.ok(flatten(json({ a: 1 }), shadow({ compare: { ignore: ['body'] } }).compare).has('status'), 'ignoring the body keeps status');
  t.same([...flatten(json({}), shadow({ compare: { ignore: ['status', 'headers'] } }).compare).keys()], ['body']);
  const vendor = flatten({ status: 200, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body: Buffer.from('{"x":1}') }, rules);
  t.equal(vendor.get('body.x'), '1', '+json types are JSON');

  const depth = 100_000;
  const deep = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(`${'['.repeat(depth)}1${']'.repeat(depth)}`) };
  t.doesNotThrow(() => flatten(deep, rules), 'deep nesting does not blow the stack');
  const nested = Array.from({ length: 100 }).reduce<unknown>((inner) => [inner], 1);
  t.equal([...flatten(json(nested), rules).keys()].filter((k) => k.startsWith('body')).length, 1, 'nesting past 64 levels is one leaf');
});

t.test('identical responses are recognised without flattening, and only those', async (t) => {
  const rules = { ...shadow().compare, headers: ['content-type', 'x-schema'] };
  const a = json({ id: 1, items: [1, 2] });
  t.ok(sameResponse(a, json({ id: 1, items: [1, 2] }), rules), 'same status, bytes and read headers');
  t.ok(sameResponse(a, { ...a, headers: { ...a.headers, date: 'another day' } }, rules), 'a header flatten does not read may differ');
  t.notOk(sameResponse(a, json({ id: 1, items: [2, 1] }), rules), 'other bytes');
  t.notOk(sameResponse(a, json({ id: 1, items: [1, 2] }, 201), rules), 'another status');
  t.notOk(sameResponse(a, { ...a, headers: { ...a.headers, 'x-schema': '2' } }, rules), 'a compared header');
  t.notOk(
    sameResponse(a, { ...a, headers: { ...a.headers, 'content-encoding': 'identity' } }, rules),
    'another content-encoding decodes the bytes differently',
  );
  t.notOk(sameResponse(a, { ...a, headers: { 'content-type': 'text/plain' } }, rules), 'another content-type');
});

t.test('array order: ignore sorts elements by content, leaving ignored fields out', async (t) => {
  const rules = shadow({ compare: { arrayOrder: 'ignore', ignore: ['body.*.at'] } }).compare;
  const a = flatten(
    json([
      { id: 1, at: 5 },
      { id: 2, at: 6 },
    ]),
    rules,
  );
  const b = flatten(
    json([
      { id: 2, at: 9 },
      { id: 1, at: 1 },
    ]),
    rules,
  );
  t.same(compareFields(a, b, 'exact'), []);
  const strict = shadow({ compare: { ignore: ['body.*.at'] } }).compare;
  t.equal(compareFields(flatten(json([{ id: 1 }, { id: 2 }]), strict), flatten(json([{ id: 2 }, { id: 1 }]), strict), 'exact').length, 2);
});

t.test('compare: exact and superset', async (t) => {
  const rules = shadow().compare;
  const p = flatten(json({ a: 1, b: 2, list: [], o: {} }), rules);
  const c = flatten(json({ a: 1, b: 3, extra: true, list: [1], o: { k: 1 } }), rules);
  t.same(compareFields(p, c, 'exact'), [
    { field: 'body.b', primary: '2', other: '3' },
    { field: 'body.list', primary: '[]' },
    { field: 'body.o', primary: '{}' },
    { field: 'body.extra', other: 'true' },
    { field: 'body.list.0', other: '1' },
    { field: 'body.o.k', other: '1' },
  ]);
  t.same(compareFields(p, c, 'superset'), [{ field: 'body.b', primary: '2', other: '3' }], 'additions, even into empty containers, are allowed');
  const dropped = flatten(json({ a: 1 }), rules);
  t.same(
    compareFields(p, dropped, 'superset').map((d) => d.field),
    ['body.b', 'body.list', 'body.o'],
    'removals are not',
  );
  t.same(compareFields(p, p, 'exact'), []);
});

t.test("noise: Diffy's rule", async (t) => {
  const d = { relative: 0.2, absolute: 0.0003 };
  t.ok(isRealDifference(10, 0, 10, d), 'no noise: every difference is real');
  t.notOk(isRealDifference(10, 10, 10, d), 'as often as the noise: noise');
  t.notOk(isRealDifference(9, 10, 10, d), 'less than the noise');
  t.notOk(isRealDifference(11, 10, 100, d), 'relative: 1/21 is under 20 %');
  t.ok(isRealDifference(20, 10, 100, d), 'relative: 10/30 is over 20 %');
  t.notOk(isRealDifference(3, 0, 10_000, d), 'absolute: 3 in 10000 is 0.03 %, not over it');
  t.ok(isRealDifference(4, 0, 10_000, d), 'absolute: 4 in 10000 is over 0.03 %');
  t.notOk(isRealDifference(0, 0, 0, d));
  t.ok(isRealDifference(11, 10, 100, { relative: 0.01, absolute: 0 }), 'thresholds are configurable');
  t.same(withoutNoise([{ field: 'a' }, { field: 'b' }], [{ field: 'b' }, { field: 'c' }]), [{ field: 'a' }]);
});

t.test('the report is bounded', async (t) => {
  const cfg = shadow({ report: { samples: 3, maxFields: 5 } });
  const state = new ShadowState('orders', 'v2');
  for (let i = 0; i < 50; i++) {
    const diffs = [
      { field: `body.f${i}`, primary: 'x'.repeat(1000), other: '1' },
      ...Array.from({ length: 20 }, (_, j) => ({ field: `body.g${j}`, primary: '1', other: '2' })),
    ];
    state.compare(cfg, `GET /orders/${i}`, diffs, [], diffs);
  }
  const r = state.toJSON(cfg);
  t.equal(Object.keys(r.fields).length, 5, 'the field map is capped');
  t.ok(r.fieldsDropped > 0, 'and counts what it dropped');
  t.same(
    r.samples.map((s) => s.request),
    ['GET /orders/47', 'GET /orders/48', 'GET /orders/49'],
    'a ring of the latest samples',
  );
  t.equal(r.samples[0].differences.length, 10);
  t.equal(r.samples[0].more, 11);
  t.ok(r.samples[0].differences[0].primary!.length < 300, 'values are truncated');
  state.inFlight = 2;
  state.reset();
  t.match(state.toJSON(cfg), { compared: 0, fields: {}, samples: [], inFlight: 2 }, 'reset keeps the in-flight count');
});

t.test('bad shadow config names the file and field', async (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ upstream: 'http://127.0.0.1:7004', sample: 1.5 }, /^routes\/orders\.yaml: versions\.v2\.shadow\.sample: Expected a fraction from 0 to 1/],
    [{ upstream: 'nope' }, /^routes\/orders\.yaml: versions\.v2\.shadow\.upstream: Invalid URL/],
    [{ upstream: 'http://127.0.0.1:7004', methods: ['FETCH'] }, /^routes\/orders\.yaml: versions\.v2\.shadow\.methods\[0\]: /],
    [{ upstream: 'http://127.0.0.1:7004', timeout: '2 seconds' }, /^routes\/orders\.yaml: versions\.v2\.shadow\.timeout: Invalid duration/],
    [{ upstream: 'http://127.0.0.1:7004', maxBodyBytes: 'lots' }, /^routes\/orders\.yaml: versions\.v2\.shadow\.maxBodyBytes: Invalid size/],
    [
      { upstream: 'http://127.0.0.1:7004', compare: { ignore: ['meta.requestId'] } },
      /^routes\/orders\.yaml: versions\.v2\.shadow\.compare\.ignore\[0\]: Invalid field path/,
    ],
    [{ upstream: 'http://127.0.0.1:7004', compare: { arrayOrder: 'loose' } }, /^routes\/orders\.yaml: versions\.v2\.shadow\.compare\.arrayOrder: /],
    [{ upstream: 'http://127.0.0.1:7004', compare: { mode: 'subset' } }, /^routes\/orders\.yaml: versions\.v2\.shadow\.compare\.mode: /],
    [{ upstream: 'http://127.0.0.1:7004', smaple: 0.5 }, /^routes\/orders\.yaml: versions\.v2\.shadow: Unrecognized key: "smaple"/],
    [{ upstream: 'http://127.0.0.1:7004', maxInFlight: 0 }, /^routes\/orders\.yaml: versions\.v2\.shadow\.maxInFlight: /],
  ];
  for (const [block, expected] of cases) {
    const files = orderFiles({ v1: 'http://127.0.0.1:7001', v2: 'http://127.0.0.1:7002' });
    files['routes/orders.yaml'] = {
      name: 'orders',
      prefix: '/orders',
      versions: { v1: { upstream: 'http://127.0.0.1:7001' }, v2: { upstream: 'http://127.0.0.1:7002', shadow: block } },
    };
    const dir = configDir(files);
    try {
      loadConfig(dir.dir, { env: {} });
      t.fail(`accepted ${JSON.stringify(block)}`);
    } catch (err) {
      t.ok(err instanceof ConfigError);
      t.match((err as ConfigError).problems.map(formatProblem).join('\n'), expected);
    } finally {
      dir.remove();
    }
  }
});

t.test('compressed bodies are decoded before they are compared', async (t) => {
  const { gzipSync, brotliCompressSync } = await import('node:zlib');
  const { decodeBody } = await import('../../src/shadow/decode.js');
  const text = JSON.stringify({ a: 1, pad: 'x'.repeat(100) });
  const gz = { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(text) };
  t.equal(decodeBody(gz, 1000).body.toString(), text);
  t.equal(decodeBody({ ...gz, headers: { ...gz.headers, 'content-encoding': 'br' }, body: brotliCompressSync(text) }, 1000).body.toString(), text);
  t.equal(decodeBody(gz, 10).body, gz.body, 'over the decoded cap: left as it came');
  t.equal(decodeBody({ ...gz, body: Buffer.from('not gzip') }, 1000).body.toString(), 'not gzip', 'undecodable: left as it came');
  t.equal(flatten(decodeBody(gz, 1000), shadow().compare).get('body.a'), '1');
});
