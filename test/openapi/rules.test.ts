// The rule catalogue: every rule has a fixture pair that makes the diff report it, at the
// level its direction calls for and at the place it names; `sundial openapi rules` prints
// the catalogue; docs/openapi.md carries it as a table that matches the code both ways.
import t from 'tap';
// This file starts many CLI processes; on a loaded CI machine they take their time.
t.setTimeout(600_000);
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { diffDocuments } from '../../src/openapi/diff.js';
import type { OpenApiDocument } from '../../src/openapi/document.js';
import { RULE_BY_ID, RULES } from '../../src/openapi/rules.js';
import { NOW, RULE_FIXTURES } from './rule-fixtures.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

t.test('every rule has a fixture, and every fixture names a rule', async (t) => {
  const covered = new Set(RULE_FIXTURES.map((f) => f.rule));
  t.same(
    RULES.filter((r) => !covered.has(r.id)).map((r) => r.id),
    [],
    'rules without a fixture',
  );
  t.same(
    RULE_FIXTURES.filter((f) => !RULE_BY_ID.has(f.rule)).map((f) => f.rule),
    [],
    'fixtures naming no rule',
  );
  t.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'ids are unique');
  for (const r of RULES) t.ok(r.description.length > 10 && r.advice.length > 5, `${r.id} has a description and advice`);
});

for (const fx of RULE_FIXTURES) {
  t.test(`${fx.rule} (${fx.level})`, async (t) => {
    const changes = diffDocuments(fx.old as OpenApiDocument, fx.new as OpenApiDocument, {
      now: NOW,
      deprecationDays: { stable: fx.deprecationDays, beta: fx.deprecationDays },
    });
    const found = changes.find((c) => c.kind === fx.rule);
    t.ok(found, `reported; got ${JSON.stringify(changes.map((c) => [c.kind, c.pointer]))}`);
    t.equal(found?.class, fx.level, 'level');
    t.equal(found?.pointer, fx.pointer, 'pointer');
    t.equal(found?.method, fx.method, 'method');
    t.equal(found?.path, fx.path, 'path');
    t.same(diffDocuments(fx.new as OpenApiDocument, fx.new as OpenApiDocument, { now: NOW }), [], 'a document against itself: no change');
  });
}

t.test('x-stability-level draft and alpha operations change freely', async (t) => {
  const fx = RULE_FIXTURES.find((f) => f.rule === 'request-type-changed')!;
  const mark = (d: any) => {
    const c = structuredClone(d);
    c.paths['/items'].post['x-stability-level'] = 'alpha';
    return c;
  };
  const [c] = diffDocuments(mark(fx.old), mark(fx.new), { now: NOW });
  t.match(c, { kind: 'request-type-changed', class: 'info', message: /x-stability-level alpha/ });
});

t.test('sundial openapi rules prints the catalogue', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'openapi', 'rules']);
  const ids = stdout
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);
  t.same(
    ids,
    RULES.map((r) => r.id),
  );
  const json = JSON.parse((await promisify(execFile)(process.execPath, [CLI, 'openapi', 'rules', '--format', 'json'])).stdout);
  t.equal(json.length, RULES.length);
});

t.test('docs/openapi.md has the catalogue as a table, matching the code both ways', async (t) => {
  const doc = readFileSync(`${ROOT}docs/openapi.md`, 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| (breaking|warning|info) \|/gm)].map((m) => [m[1], m[2]]);
  const inDocs = new Map(rows.map(([id, level]) => [id, level]));
  t.equal(inDocs.size, rows.length, 'each rule once');
  t.same(
    RULES.filter((r) => inDocs.get(r.id) !== r.level).map((r) => r.id),
    [],
    'rules missing from the docs or with another level there',
  );
  t.same(
    [...inDocs.keys()].filter((id) => !RULE_BY_ID.has(id)),
    [],
    'rows in the docs naming no rule',
  );
});
