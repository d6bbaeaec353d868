// The error catalogue (src/errors.ts) against the docs and the source: every code is in a
// doc's table and every code in a table is in the catalogue, a code is always sent with its
// catalogue status, and every problem the source builds comes from a catalogue entry.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as errors from '../src/errors.js';
import { catalogue, RETIRED_CODES, type ErrorEntry } from '../src/errors.js';
import { configuredProblem, problem } from '../src/gateway/problem.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface DocumentedCode {
  code: string;
  file: string;
  /** The status column, when the table has one. */
  status?: number;
}

/** The rows of every Markdown table whose first column is a code, in README.md and docs/*.md. */
function documentedCodes(): DocumentedCode[] {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const out: DocumentedCode[] = [];
  for (const file of files) {
    let statusColumn = -1;
    for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
      if (!line.startsWith('|')) {
        statusColumn = -1;
        continue;
      }
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells[0] === 'code') statusColumn = cells.indexOf('status');
      const m = /^`(SUNDIAL_ERR_[A-Z_]+)`$/.exec(cells[0] ?? '');
      if (!m) continue;
      const status = statusColumn > 0 ? Number(/^\d+/.exec(cells[statusColumn])?.[0]) : undefined;
      out.push({ code: m[1], file, status });
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const entries = catalogue();
const byCode = new Map(entries.map((e) => [e.code, e]));
const entryByName = new Map(Object.entries(errors).filter(([name]) => name.startsWith('ERR_')) as [string, ErrorEntry][]);

t.test('the catalogue is consistent in itself', async (t) => {
  t.ok(entries.length >= 30, 'every entry is listed');
  t.equal(entryByName.size, entries.length, 'every entry is exported under an ERR_ name');
  for (const [name, e] of entryByName) t.equal(e.code, `SUNDIAL_${name}`, `${name} is named after its code`);
  const slugs = new Map<string, string>();
  for (const e of entries) {
    t.notOk(RETIRED_CODES.includes(e.code), `${e.code} is not a retired code`);
    t.notOk(slugs.has(e.slug), `${e.code}'s type ${e.slug} belongs to no other code (${slugs.get(e.slug) ?? ''})`);
    slugs.set(e.slug, e.code);
    t.equal(e.type, `urn:sundial:problem:${e.slug}`);
    t.ok(e.status >= 400 && e.status < 600, `${e.code} has an error status`);
    t.ok(e.title.length > 0);
  }
});

t.test('every code is documented with its status, and every documented code exists', async (t) => {
  const documented = documentedCodes();
  const seen = new Set(documented.map((d) => d.code));
  for (const e of entries) t.ok(seen.has(e.code), `${e.code} is in a table of README.md or docs/`);
  for (const d of documented) {
    const e = byCode.get(d.code);
    t.ok(e, `${d.code} (${d.file}) is in the catalogue`);
    if (e && d.status !== undefined) t.equal(d.status, e.status, `${d.code} is documented in ${d.file} with the status it is sent with`);
  }
  t.ok(
    documented.some((d) => d.code === 'SUNDIAL_ERR_INTERNAL' && d.status === 500),
    'the internal error is documented',
  );
  t.ok(documented.filter((d) => d.code.startsWith('SUNDIAL_ERR_MIGRATE_')).length >= 10, 'every migrate code is documented');
});

t.test("a problem carries its entry's status, type, title and code, whatever the extension members", async (t) => {
  for (const e of entries) {
    const p = problem(e, 'detail', { code: 'SUNDIAL_ERR_SOMETHING_ELSE', status: 200, type: 'x', title: 'y', extra: 1 });
    t.match(p, { status: e.status, code: e.code, type: e.type, title: e.title, detail: 'detail', extra: 1 }, e.code);
    const thrown = e('x');
    t.equal(thrown.code, e.code);
    t.equal(thrown.statusCode, e.status);
  }
  t.equal(configuredProblem(errors.ERR_VERSION_SUNSET, 404, 'gone').status, 404, 'a sunset takes its configured status');
  t.throws(() => configuredProblem(errors.ERR_ROUTE_NOT_FOUND, 500, 'x'), /always sent with 404/, 'no other entry can be sent with another status');
});

t.test('the source builds every problem from a catalogue entry', async (t) => {
  const files = sourceFiles(join(ROOT, 'src'));
  let calls = 0;
  for (const file of files) {
    const rel = relative(ROOT, file);
    const text = readFileSync(file, 'utf8');
    if (rel !== join('src', 'errors.ts')) {
      t.notMatch(text, /['"`]SUNDIAL_ERR_[A-Z_]+/, `${rel} names no code as a string literal (it uses the catalogue entry)`);
    }
    // Only files that build problems (openapi/compile.ts has a `problem` of its own).
    if (!/import \{[^}]*\bproblem\b[^}]*\} from '[./]*(gateway\/)?problem\.js'/.test(text)) continue;
    for (const m of text.matchAll(/\b(problem|configuredProblem)\(\s*([^,)]*)/g)) {
      if (m[2].includes('ErrorEntry')) continue; // the declarations in gateway/problem.ts
      calls++;
      const names = m[2].match(/\bERR_\w+/g) ?? [];
      t.ok(names.length, `${rel}: ${m[0]} names a catalogue entry`);
      for (const name of names) {
        const entry = entryByName.get(name);
        t.ok(entry, `${rel}: ${m[1]}(${name}, ...) names a catalogue entry`);
        if (m[1] === 'configuredProblem') t.ok(entry?.configuredStatus, `${rel}: ${name} may take a configured status`);
      }
    }
  }
  t.ok(calls >= 20, `every problem call was read (${calls})`);
});
