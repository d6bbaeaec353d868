// Every lint rule flags its unsafe case and passes its safe one; discovery recognises
// Prisma, Drizzle and Flyway layouts; the CLI exits 1 on errors.
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintSql, rules, discoverSqlFiles, lintPath } from '../../src/migrate/lint/index.js';
import { run } from '../../src/cli/migrate.js';
import { tempDir } from '../helpers/temp-dir.js';

const LT = `SET lock_timeout = '500ms';\n`;

// `line` is where the finding must point; by default the last line of `bad`.
const cases: Record<string, { bad: string; good: string; tx?: boolean; line?: number }> = {
  'adding-required-field': {
    bad: `${LT}ALTER TABLE users ADD COLUMN plan text NOT NULL;`,
    good: `${LT}ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';`,
  },
  'adding-field-with-default': {
    bad: `${LT}ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();`,
    good: `${LT}ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now(), ADD COLUMN kind text DEFAULT 'x'::text;`,
  },
  'changing-column-type': {
    bad: `${LT}ALTER TABLE users ALTER COLUMN age TYPE bigint;`,
    good: `CREATE TABLE t (id bigint); ALTER TABLE t ALTER COLUMN id TYPE text;`,
  },
  'adding-not-nullable-field': {
    bad: `${LT}ALTER TABLE users ALTER COLUMN email SET NOT NULL;`,
    good: `${LT}ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;`,
  },
  'constraint-missing-not-valid': {
    bad: `${LT}ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);`,
    good: `${LT}ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;`,
  },
  'disallowed-unique-constraint': {
    bad: `${LT}ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`,
    good: `${LT}ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;`,
  },
  'require-concurrent-index-creation': {
    bad: `${LT}CREATE INDEX users_email_idx ON users (email);`,
    good: `${LT}CREATE INDEX CONCURRENTLY users_email_idx ON users (email);`,
  },
  'ban-concurrent-index-creation-in-transaction': {
    bad: `BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;`,
    line: 2,
    good: `BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);`,
  },
  'renaming-column': {
    bad: `${LT}ALTER TABLE users RENAME COLUMN nme TO name;`,
    good: `CREATE TABLE t (a text); ALTER TABLE t RENAME COLUMN a TO b;`,
  },
  'renaming-table': {
    bad: `${LT}ALTER TABLE users RENAME TO people;`,
    good: `CREATE TABLE t (a text); ALTER TABLE t RENAME TO u;`,
  },
  'ban-drop-column': {
    bad: `${LT}ALTER TABLE users DROP COLUMN legacy;`,
    good: `CREATE TABLE t (a text, b text); ALTER TABLE t DROP COLUMN b;`,
  },
  'ban-drop-table': {
    bad: `${LT}DROP TABLE users;`,
    good: `CREATE TABLE scratch (a text); DROP TABLE scratch;`,
  },
  'require-lock-timeout': {
    bad: `ALTER TABLE users ADD COLUMN note text;`,
    good: `SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN note text;`,
  },
  'prefer-bigint-over-int': {
    bad: `CREATE TABLE t (id serial PRIMARY KEY, n integer);`,
    good: `CREATE TABLE t (id bigserial PRIMARY KEY, n bigint);`,
  },
  'prefer-timestamptz': {
    bad: `CREATE TABLE t (id bigint, at timestamp);`,
    good: `CREATE TABLE t (id bigint, at timestamptz);`,
  },
};

t.test('every rule has a case', async (t) => {
  t.same(Object.keys(cases).sort(), rules.map((r) => r.id).sort());
});

for (const [id, c] of Object.entries(cases)) {
  t.test(id, async (t) => {
    const bad = await lintSql('bad.sql', c.bad, { implicitTransaction: c.tx });
    const hit = bad.find((f) => f.rule === id);
    t.ok(hit, 'flags the unsafe case');
    t.ok(hit?.problem && hit.fix, 'says what goes wrong and what to do instead');
    t.equal(hit?.line, c.line ?? c.bad.split('\n').length, 'on the right line');
    const good = await lintSql('good.sql', c.good, { implicitTransaction: c.tx });
    t.same(good.filter((f) => f.rule === id), [], 'passes the safe case');
  });
}

t.test('sundial operations are named in the fix', async (t) => {
  for (const r of rules.filter((r) => !r.id.startsWith('prefer-') && r.id !== 'require-lock-timeout')) {
    t.match(r.fix, /`(add_column|alter_column|drop_column|rename_column|rename_table|drop_table|create_index|create_constraint)`/, r.id);
  }
});

t.test('inline forms of the same hazards', async (t) => {
  const rulesOf = async (sql: string) => (await lintSql('x.sql', `${LT}${sql}`)).map((f) => f.rule).filter((r) => !r.startsWith('prefer-'));
  t.same(await rulesOf('ALTER TABLE users ADD COLUMN email2 text UNIQUE;'), ['disallowed-unique-constraint']);
  t.same(await rulesOf('ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);'), ['constraint-missing-not-valid']);
  t.same(await rulesOf('ALTER TABLE users ADD COLUMN seq bigserial;'), ['adding-field-with-default'], 'serial is a volatile default');
  t.same(await rulesOf('CREATE TABLE t (id bigserial PRIMARY KEY, email text UNIQUE, owner bigint REFERENCES users (id));'), [], 'a new table is free');
});

t.test('migration tools that wrap files in a transaction', async (t) => {
  const sql = `${LT}CREATE INDEX CONCURRENTLY i ON users (email);`;
  t.same((await lintSql('x.sql', sql)).map((f) => f.rule), []);
  t.same((await lintSql('x.sql', sql, { implicitTransaction: true })).map((f) => f.rule), ['ban-concurrent-index-creation-in-transaction']);
});

t.test('lines count past comments and multi-byte characters', async (t) => {
  const f = await lintSql('x.sql', `-- héllo 日本\nSELECT 'ñ';\n\n/* note */\nALTER TABLE t DROP COLUMN a;`);
  t.same(f.filter((x) => x.rule === 'ban-drop-column').map((x) => x.line), [5]);
});

t.test('syntax errors are findings with a line', async (t) => {
  const f = await lintSql('x.sql', `SELECT 1;\nALTER TABLE users ADD COLUMN;`);
  t.equal(f[0].rule, 'syntax-error');
  t.equal(f[0].line, 2);
});

function layouts(): string {
  const root = tempDir('sundial-lint-');
  const put = (p: string, sql: string) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), sql);
  };
  put('prisma/migrations/20240101_init/migration.sql', `CREATE TABLE "User" (id bigserial PRIMARY KEY, email text);\n`);
  put('prisma/migrations/20240202_idx/migration.sql', `${LT}CREATE INDEX CONCURRENTLY user_email ON "User" (email);\n`);
  put('drizzle/0001_rename.sql', `${LT}ALTER TABLE users RENAME COLUMN nme TO name;\n`);
  put('db/V2__add_col.sql', `${LT}ALTER TABLE users ADD COLUMN a bigint;\n`);
  put('sql/plain.sql', `ALTER TABLE users DROP COLUMN old;\n`);
  return root;
}

t.test('discovers Prisma, Drizzle, Flyway and plain layouts', async (t) => {
  const root = layouts();
  const files = await discoverSqlFiles(root);
  t.same(files.map((f) => [f.path.slice(root.length + 1), f.layout, f.implicitTransaction]), [
    ['db/V2__add_col.sql', 'flyway', true],
    ['drizzle/0001_rename.sql', 'drizzle', true],
    ['prisma/migrations/20240101_init/migration.sql', 'prisma', true],
    ['prisma/migrations/20240202_idx/migration.sql', 'prisma', true],
    ['sql/plain.sql', 'plain', false],
  ]);
  const { findings } = await lintPath(root);
  t.same(findings.filter((f) => f.severity === 'error').map((f) => `${f.file.slice(root.length + 1)}:${f.line}:${f.rule}`).sort(), [
    'drizzle/0001_rename.sql:2:renaming-column',
    'prisma/migrations/20240202_idx/migration.sql:2:ban-concurrent-index-creation-in-transaction',
    'sql/plain.sql:1:ban-drop-column',
  ]);
});

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    return { code: await fn(), out };
  } finally {
    process.stdout.write = write;
  }
}

t.test('CLI: exit codes and --format json', async (t) => {
  const root = layouts();
  const text = await capture(() => run(['lint', root]));
  t.equal(text.code, 1, 'exit 1 with errors');
  t.match(text.out, /drizzle\/0001_rename\.sql:2: error renaming-column/);
  t.match(text.out, /instead: .*`rename_column`/);
  const json = await capture(() => run(['lint', join(root, 'db'), '--format', 'json']));
  t.equal(json.code, 0, 'warnings only: exit 0');
  const parsed = JSON.parse(json.out);
  t.equal(parsed.errors, 0);
  t.same(parsed.findings.map((f: { rule: string }) => f.rule), []);
});
