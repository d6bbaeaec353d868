// `sundial openapi diff` as CI runs it: every output format (github and junit checked for
// their syntax, github's lines against the document's text), the changelog, the lenient
// reader and --strict, level overrides and the ignore file, --fail-on, and the deprecation
// rules with dates on both sides of an injected now (--now), including a version's sunset
// from versions/*.yaml.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { doc, openapiCli } from './cli-fixture.js';

const { tmp, run, write } = openapiCli(t);

const OLD = write(doc());
const NEW = write(
  doc((d) => {
    d.paths['/items'].get.parameters[0].schema.maxLength = 10; // request-max-length-tightened
    d.components.schemas.Item.properties.id.type = 'integer'; // response-type-changed, via $ref
    delete d.components.schemas.Item.properties.size; // response-optional-property-removed
    delete d.paths['/items'].delete; // removed: before or after its sunset
  }),
);

t.test('text, json and markdown', async (t) => {
  const text = await run(['diff', OLD, NEW, '--now', '2026-12-01T00:00:00Z']);
  t.equal(text.code, 1);
  t.match(text.stdout, /3 breaking, 1 warning, 0 info/);
  t.match(text.stdout, /DELETE \/items {2}\[operation-removed-before-sunset\]/);
  const json = JSON.parse((await run(['diff', OLD, NEW, '--format', 'json', '--now', '2027-02-01T00:00:00Z'])).stdout);
  t.match(json, { breaking: true, summary: { breaking: 2, warning: 1, info: 1 } });
  t.ok(
    json.changes.find((c: any) => c.kind === 'operation-removed-after-sunset' && c.class === 'info'),
    'after the sunset, the removal is info',
  );
  t.ok(json.changes.every((c: any) => c.kind && c.class && c.pointer && c.message && c.advice && Number.isInteger(c.line)));
  const md = await run(['diff', OLD, NEW, '--format', 'markdown']);
  t.match(md.stdout, /\| `GET \/items` \| `request-max-length-tightened` \| `\/paths\/~1items\/get\/parameters\/0\/schema\/maxLength` \|/);
});

t.test("github annotations: workflow command syntax, at the new document's lines", async (t) => {
  const out = await run(['diff', OLD, NEW, '--format', 'github', '--now', '2026-12-01T00:00:00Z']);
  t.equal(out.code, 1);
  const lines = out.stdout.trim().split('\n');
  t.equal(lines.length, 4);
  const text = readFileSync(NEW, 'utf8').split('\n');
  const byTitle = new Map<string, number>();
  for (const l of lines) {
    const m = /^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^:]+)::(.+)$/.exec(l);
    t.ok(m, `a workflow command: ${l}`);
    if (!m) continue;
    t.equal(m[2], NEW.replace(/,/g, '%2C').replace(/:/g, '%3A'), 'the new document, by its absolute path outside the working directory');
    t.notOk(/[\r\n]/.test(m[5]));
    byTitle.set(m[4].split(' ')[0], Number(m[3]));
  }
  t.match(text[byTitle.get('request-max-length-tightened')! - 1], /maxLength: 10/, 'the line of the changed bound');
  t.match(text[byTitle.get('response-type-changed')! - 1], /type: integer/, 'through the $ref, the line in the component');
  t.match(text[byTitle.get('response-optional-property-removed')! - 1], /properties:/, 'a removed property: the deepest place the new document has');
  t.match(
    lines.find((l) => l.includes('response-type-changed')),
    /^::error /,
  );
  t.match(
    lines.find((l) => l.includes('optional-property')),
    /^::warning /,
  );

  // JSON documents get lines too.
  const asJson = write(
    JSON.parse(
      JSON.stringify(
        doc((d) => {
          d.paths['/items'].get.parameters[0].schema.maxLength = 10;
        }),
      ),
    ),
    'json',
  );
  const j = await run(['diff', OLD, asJson, '--format', 'github']);
  const line = Number(/line=(\d+)/.exec(j.stdout)![1]);
  t.match(readFileSync(asJson, 'utf8').split('\n')[line - 1], /"maxLength": 10/);
});

t.test('junit: well-formed XML, breaking changes as failures', async (t) => {
  const tricky = write(
    doc((d) => {
      d.paths['/items'].get.parameters[0].schema.maxLength = 10;
      d.paths['/items'].get.parameters[0].name = 'q<&>"';
    }),
  );
  for (const file of [NEW, tricky]) {
    const out = await run(['diff', OLD, file, '--format', 'junit', '--now', '2026-12-01T00:00:00Z']);
    t.equal(XMLValidator.validate(out.stdout), true, 'a real XML parser accepts it');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(out.stdout);
    const suite = parsed.testsuites.testsuite;
    const cases = [suite.testcase].flat();
    t.equal(Number(suite['@_tests']), cases.length);
    t.equal(Number(suite['@_failures']), cases.filter((c: any) => c.failure).length);
    if (file === NEW) t.equal(Number(suite['@_failures']), 3);
  }
  const none = await run(['diff', OLD, OLD, '--format', 'junit']);
  t.equal(XMLValidator.validate(none.stdout), true);
  t.equal(none.code, 0);
});

t.test('changelog, grouped by operation', async (t) => {
  const out = await run(['changelog', OLD, NEW, '--now', '2026-12-01T00:00:00Z']);
  t.equal(out.code, 0);
  t.match(out.stdout, /^# Changes from .* to .*\n\n## /);
  t.match(out.stdout, /## GET \/items\n\n- \*\*Breaking:\*\* /);
  t.match(out.stdout, /## DELETE \/items\n\n- \*\*Breaking:\*\* Deprecated DELETE \/items was removed before its sunset/);
});

t.test('unreadable documents: exit 2 with the file and the reason', async (t) => {
  const cases: [string, RegExp][] = [
    [join(tmp, 'nope.yaml'), /nope\.yaml: file not found/],
    [write('openapi: 3.1.0\npaths: {a: [\n'), /line \d+, column \d+: syntax error/],
    [write('swagger: "2.0"\n'), /Swagger 2\.0 is not supported/],
    [
      write(
        doc((d) => {
          d.paths['/items'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nope' };
        }),
      ),
      /cannot resolve the document/,
    ],
  ];
  for (const [file, reason] of cases) {
    const out = await run(['diff', OLD, file]);
    t.equal(out.code, 2);
    t.match(out.stderr, reason);
    t.ok(out.stderr.includes(file), 'names the file');
  }
});
