// Every kind of bad OpenAPI input is a config error naming the file and the place in it:
// a missing file, a YAML syntax error, a document that is not OpenAPI, one that is invalid
// per the specification, an unresolvable $ref, and operation lifecycles that break the rules.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/load.js';
import { configDir, orderFiles, problemsOf, type Files } from '../helpers/config-dir.js';
import { ok, ordersDocV2 } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

function withDocs(docs: Record<string, unknown>): Files {
  const files = orderFiles({ v1: 'http://127.0.0.1:7001', v2: 'http://127.0.0.1:7002' });
  for (const [name, content] of Object.entries(docs)) {
    const id = name.replace(/\..*$/, '');
    files[`versions/${id}.yaml`] = { id, openapi: `openapi/${name}` };
    if (content !== undefined) files[`openapi/${name}`] = content;
  }
  return files;
}

const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 'x', version: '1' },
  paths,
  ...extra,
});

t.test('a valid document loads, and its operations are compiled', async (t) => {
  const dir = configDir(withDocs({ 'good.yaml': ordersDocV2() }));
  t.teardown(() => dir.remove());
  const cfg = loadConfig(dir.dir);
  const compiled = cfg.versions.get('good')!.openapi!;
  t.equal(compiled.file, 'openapi/good.yaml');
  t.same(
    compiled.deprecated.map((o) => o.name),
    ['GET /orders/{id}/summary', 'POST /orders/search'],
  );
  t.match(compiled.deprecated[0], { deprecatedFrom: 'operation', successor: { operationId: 'getOrder' } });
});

t.test('every kind of bad input, each named by file and place', async (t) => {
  const problems = problemsOf(
    withDocs({
      'missing.yaml': undefined,
      'syntax.yaml': 'openapi: 3.1.0\ninfo: {title: x, version: "1"\npaths: [\n',
      'notopenapi.yaml': { hello: 'world' },
      'swagger.yaml': { swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} },
      'oldversion.yaml': { openapi: '2.5.0', info: { title: 'x', version: '1' }, paths: {} },
      'invalid.json': JSON.stringify(doc({ '/orders': { get: { operationId: 'x' } } })),
      'badref.yaml': doc({
        '/orders': { get: { responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } },
      }),
    }),
  );
  const has = (pattern: RegExp, what: string) =>
    t.ok(
      problems.some((p) => pattern.test(p)),
      `${what}: ${problems.find((p) => pattern.test(p)) ?? problems.join(' | ')}`,
    );
  has(/^versions\/missing\.yaml: openapi: openapi\/missing\.yaml: file not found$/, 'missing file');
  has(/^openapi\/syntax\.yaml: line 3, column 1: syntax error: /, 'YAML syntax error');
  has(/^openapi\/notopenapi\.yaml: not an OpenAPI document: it has no `openapi` field/, 'not OpenAPI');
  has(/^openapi\/swagger\.yaml: swagger: Swagger 2\.0 is not supported/, 'Swagger 2.0');
  has(/^openapi\/oldversion\.yaml: openapi: unsupported OpenAPI version "2\.5\.0"/, 'an unsupported version');
  has(/^openapi\/invalid\.json: paths\.\/orders\.get: invalid per the OpenAPI specification: must have required property 'responses'$/, 'invalid per the spec');
  has(
    /^openapi\/badref\.yaml: paths\.\/orders\.get\.responses\.200\.content\.application\/json\.schema\.\$ref: unresolvable \$ref "#\/components\/schemas\/Nope"/,
    'unresolvable $ref',
  );
  t.equal(problems.length, 7, 'one problem each');
});

t.test('operation lifecycles that break the rules', async (t) => {
  const files = withDocs({});
  // v1 is deprecated 2026-01-01 and sunset 2027-06-30 (orderFiles).
  files['versions/v1.yaml'] = { ...(files['versions/v1.yaml'] as object), openapi: 'openapi/v1.yaml' };
  files['openapi/v1.yaml'] = doc({
    '/late-sunset': { get: { deprecated: true, 'x-sunset': '2028-01-01T00:00:00Z', responses: ok } },
    '/late-deprecation': { get: { deprecated: true, 'x-deprecated-at': '2026-06-01T00:00:00Z', responses: ok } },
    '/sunset-first': { get: { deprecated: true, 'x-deprecated-at': '2025-06-01T00:00:00Z', 'x-sunset': '2025-01-01T00:00:00Z', responses: ok } },
    '/no-zone': { get: { deprecated: true, 'x-sunset': '2026-06-01T00:00:00', responses: ok } },
    '/no-successor': { get: { deprecated: true, 'x-successor': 'getNothing', responses: ok } },
    '/not-deprecated': { get: { 'x-sunset': '2026-06-01T00:00:00Z', responses: ok } },
  });
  const problems = problemsOf(files);
  const has = (pattern: RegExp, what: string) =>
    t.ok(
      problems.some((p) => pattern.test(p)),
      `${what}: ${problems.find((p) => pattern.test(p)) ?? problems.join(' | ')}`,
    );
  has(/^openapi\/v1\.yaml: paths\.\/late-sunset\.get\.x-sunset: .*after its version v1's/, "a sunset later than the version's");
  has(/^openapi\/v1\.yaml: paths\.\/late-deprecation\.get\.x-deprecated-at: .*after its version v1/, "a deprecation later than the version's");
  has(/^openapi\/v1\.yaml: paths\.\/sunset-first\.get\.x-sunset: .*before the deprecation date/, 'sunset before deprecation');
  has(/^openapi\/v1\.yaml: paths\.\/no-zone\.get\.x-sunset: Invalid instant/, 'an instant without a zone');
  has(/^openapi\/v1\.yaml: paths\.\/no-successor\.get\.x-successor: "getNothing" names no operation/, 'an unknown successor');
  has(/^openapi\/v1\.yaml: paths\.\/not-deprecated\.get\.x-sunset: .*not deprecated; add deprecated: true/, 'x-sunset without deprecated');
  t.equal(problems.length, 6);

  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const result = await promisify(execFile)(process.execPath, [CLI, 'check', '--dir', dir.dir]).then(
    () => ({ code: 0, stderr: '' }),
    (e) => e,
  );
  t.equal(result.code, 1, 'sundial check rejects it');
  t.match(result.stderr, /paths\.\/late-sunset\.get\.x-sunset: .*never later/);
});
