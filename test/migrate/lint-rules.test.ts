// Every lint rule flags its unsafe case at the right line and passes its safe one; the
// version-dependent rules follow --pg-version; the false alarms of earlier versions are gone;
// a statement that does not parse is reported and the others are still checked.
import t from 'tap';
import { lintSql, rules } from '../../src/migrate/lint/index.js';

const T = `SET lock_timeout = '500ms';\nSET statement_timeout = '5s';\n`;

// `line` is where the finding must point; by default the last line of `bad`.
const cases: Record<string, { bad: string; good: string; tx?: boolean; line?: number; pg?: number }> = {
  'adding-required-field': {
    bad: `${T}ALTER TABLE users ADD COLUMN plan text NOT NULL;`,
    good: `${T}ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';`,
  },
  'adding-field-with-default': {
    bad: `${T}ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();`,
    good: `${T}ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now(), ADD COLUMN kind text DEFAULT 'x'::text;`,
  },
  'adding-serial-primary-key-field': { bad: `${T}ALTER TABLE items ADD COLUMN id bigint PRIMARY KEY;`, good: `${T}ALTER TABLE items ADD COLUMN id bigint;` },
  'changing-column-type': {
    bad: `${T}ALTER TABLE users ALTER COLUMN age TYPE bigint;`,
    good: `CREATE TABLE t (id bigint); ALTER TABLE t ALTER COLUMN id TYPE text;`,
  },
  'adding-not-nullable-field': {
    bad: `${T}ALTER TABLE users ALTER COLUMN email SET NOT NULL;`,
    good: `${T}ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;`,
  },
  'ban-drop-not-null': {
    bad: `${T}ALTER TABLE users ALTER COLUMN email DROP NOT NULL;`,
    good: `CREATE TABLE t (a text NOT NULL); ALTER TABLE t ALTER COLUMN a DROP NOT NULL;`,
  },
  'constraint-missing-not-valid': {
    bad: `${T}ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);`,
    good: `${T}ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT total_positive;`,
  },
  'adding-foreign-key-constraint': {
    bad: `${T}ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);`,
    good: `${T}ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;`,
  },
  'disallowed-unique-constraint': {
    bad: `${T}ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`,
    good: `${T}ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;`,
  },
  'adding-primary-key-constraint': {
    bad: `${T}ALTER TABLE items ADD PRIMARY KEY (id);`,
    good: `${T}ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_id_idx;`,
  },
  'ban-create-domain-with-constraint': { bad: `CREATE DOMAIN positive AS int CHECK (VALUE > 0);`, good: `CREATE DOMAIN label AS text;` },
  'ban-alter-domain-with-add-constraint': {
    bad: `${T}ALTER DOMAIN positive ADD CONSTRAINT pos CHECK (VALUE > 0);`,
    good: `${T}ALTER DOMAIN positive ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;`,
  },
  'require-concurrent-index-creation': {
    bad: `${T}CREATE INDEX users_email_idx ON users (email);`,
    good: `${T}CREATE INDEX CONCURRENTLY users_email_idx ON users (email);`,
  },
  'require-concurrent-index-deletion': { bad: `${T}DROP INDEX users_email_idx;`, good: `${T}DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;` },
  'require-concurrent-reindex': { bad: `${T}REINDEX INDEX users_email_idx;`, good: `${T}REINDEX INDEX CONCURRENTLY users_email_idx;` },
  'ban-concurrent-index-creation-in-transaction': {
    bad: `BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;`,
    line: 2,
    good: `BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);`,
  },
  'renaming-column': { bad: `${T}ALTER TABLE users RENAME COLUMN nme TO name;`, good: `CREATE TABLE t (a text); ALTER TABLE t RENAME COLUMN a TO b;` },
  'renaming-table': { bad: `${T}ALTER TABLE users RENAME TO people;`, good: `CREATE TABLE t (a text); ALTER TABLE t RENAME TO u;` },
  'ban-drop-column': { bad: `${T}ALTER TABLE users DROP COLUMN legacy;`, good: `CREATE TABLE t (a text, b text); ALTER TABLE t DROP COLUMN b;` },
  'ban-drop-table': { bad: `${T}DROP TABLE users;`, good: `CREATE TABLE scratch (a text); DROP TABLE scratch;` },
  'ban-drop-database': { bad: `DROP DATABASE shop;`, good: `DROP SCHEMA IF EXISTS scratch;` },
  'ban-truncate-cascade': { bad: `${T}TRUNCATE users CASCADE;`, good: `${T}TRUNCATE audit_log;` },
  'ban-vacuum-full': { bad: `VACUUM FULL users;`, good: `VACUUM (ANALYZE) users;` },
  'ban-cluster': { bad: `${T}CLUSTER users USING users_pkey;`, good: `${T}ANALYZE users;` },
  'transaction-nesting': { bad: `BEGIN;\nBEGIN;\nCOMMIT;`, line: 2, good: `BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nCOMMIT;` },
  'ban-uncommitted-transaction': { bad: `SELECT 1;\nBEGIN;\nCREATE TABLE t (id bigint);`, line: 2, good: `BEGIN;\nCREATE TABLE t (id bigint);\nCOMMIT;` },
  'require-lock-timeout': { bad: `COMMENT ON TABLE users IS 'people';`, good: `SET lock_timeout = '1s';\nCOMMENT ON TABLE users IS 'people';` },
  'require-statement-timeout': {
    bad: `SET lock_timeout = '1s';\nLOCK TABLE users IN SHARE MODE;`,
    good: `SET statement_timeout = '5s';\nLOCK TABLE users IN SHARE MODE;`,
  },
  'prefer-bigint-over-int': { bad: `CREATE TABLE t (id bigint, n integer);`, good: `CREATE TABLE t (id bigint, n bigint);` },
  'prefer-bigint-over-smallint': { bad: `CREATE TABLE t (id bigint, n smallint);`, good: `CREATE TABLE t (id bigint, n bigint);` },
  'prefer-identity': { bad: `CREATE TABLE t (id bigserial PRIMARY KEY);`, good: `CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);` },
  'prefer-text-field': { bad: `CREATE TABLE t (id bigint, name varchar(100));`, good: `CREATE TABLE t (id bigint, name text);` },
  'ban-char-field': { bad: `CREATE TABLE t (id bigint, code char(3));`, good: `CREATE TABLE t (id bigint, code text);` },
  'prefer-timestamptz': { bad: `CREATE TABLE t (id bigint, at timestamp);`, good: `CREATE TABLE t (id bigint, at timestamptz);` },
  'prefer-robust-stmts': { bad: `CREATE INDEX CONCURRENTLY i ON users (email);`, good: `CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);` },
  'require-enum-value-ordering': { bad: `${T}ALTER TYPE mood ADD VALUE 'meh';`, good: `${T}ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';` },
};

t.test('every rule has a case', async (t) => {
  t.same(Object.keys(cases).sort(), rules.map((r) => r.id).sort());
});

for (const [id, c] of Object.entries(cases)) {
  t.test(id, async (t) => {
    const bad = await lintSql('bad.sql', c.bad, { implicitTransaction: c.tx, pgVersion: c.pg });
    const hit = bad.find((f) => f.rule === id);
    t.ok(hit, 'flags the unsafe case');
    t.ok(hit?.problem && hit.fix, 'says what goes wrong and what to do instead');
    t.equal(hit?.line, c.line ?? c.bad.split('\n').length, 'on the right line');
    const good = await lintSql('good.sql', c.good, { implicitTransaction: c.tx, pgVersion: c.pg });
    t.same(
      good.filter((f) => f.rule === id),
      [],
      'passes the safe case',
    );
  });
}

t.test('style rules are warnings marked as style', async (t) => {
  for (const id of ['prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity', 'prefer-text-field', 'ban-char-field', 'prefer-timestamptz']) {
    const r = rules.find((x) => x.id === id)!;
    t.equal(r.severity, 'warning', id);
    t.ok(r.style, id);
  }
});

t.test('safety rules name the sundial operation in the fix where one exists', async (t) => {
  const withOp = [
    'adding-required-field',
    'adding-field-with-default',
    'changing-column-type',
    'adding-not-nullable-field',
    'constraint-missing-not-valid',
    'adding-foreign-key-constraint',
    'disallowed-unique-constraint',
    'require-concurrent-index-creation',
    'require-concurrent-index-deletion',
    'renaming-column',
    'renaming-table',
    'ban-drop-column',
    'ban-drop-table',
  ];
  for (const id of withOp)
    t.match(
      rules.find((r) => r.id === id)!.fix,
      /`(add_column|alter_column|drop_column|rename_column|rename_table|drop_table|create_index|drop_index|create_constraint)`/,
      id,
    );
});

const errorsOf = async (sql: string, pgVersion?: number) =>
  (await lintSql('x.sql', `${T}${sql}`, { pgVersion })).filter((f) => f.severity === 'error').map((f) => f.rule);

t.test('non-volatile defaults rewrite nothing from PostgreSQL 11, and every default did before', async (t) => {
  for (const d of [`2 + 2`, `now() - interval '100 years'`, `'{}'::jsonb`, `CURRENT_TIMESTAMP`, `lower('X')`, `ARRAY[1,2]`]) {
    t.same(await errorsOf(`ALTER TABLE users ADD COLUMN c text DEFAULT ${d};`), [], `DEFAULT ${d} on 12`);
    t.same(await errorsOf(`ALTER TABLE users ADD COLUMN c text DEFAULT ${d};`, 10), ['adding-field-with-default'], `DEFAULT ${d} on 10`);
  }
  for (const d of ['random()', 'clock_timestamp()', `nextval('s')`, 'uuid_generate_v4()', 'my_function()']) {
    t.same(await errorsOf(`ALTER TABLE users ADD COLUMN c text DEFAULT ${d};`), ['adding-field-with-default'], `DEFAULT ${d}`);
  }
});

t.test('SET NOT NULL needs PostgreSQL 12 to use a validated CHECK', async (t) => {
  const sql = `ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;`;
  t.same(await errorsOf(sql, 12), []);
  t.same(await errorsOf(sql, 11), ['adding-not-nullable-field']);
});

t.test('VALIDATE in the transaction that added the constraint NOT VALID', async (t) => {
  const add = `ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;`;
  const validate = `ALTER TABLE orders VALIDATE CONSTRAINT fk;`;
  t.same(await errorsOf(`BEGIN;\n${add}\n${validate}\nCOMMIT;`), ['constraint-missing-not-valid']);
  t.same(await errorsOf(`BEGIN;\n${add}\nCOMMIT;\nBEGIN;\n${validate}\nCOMMIT;`), []);
  t.same(
    (await lintSql('x.sql', `${T}${add}\n${validate}`, { implicitTransaction: true })).filter((f) => f.severity === 'error').map((f) => f.rule),
    ['constraint-missing-not-valid'],
    'a tool transaction counts too',
  );
});

t.test('lock_timeout is required before COMMENT ON, LOCK TABLE and CREATE TYPE as well as table DDL', async (t) => {
  for (const sql of [
    `COMMENT ON COLUMN users.email IS 'x';`,
    `LOCK TABLE users;`,
    `CREATE TYPE mood AS ENUM ('ok');`,
    `CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id));`,
  ]) {
    t.ok(
      (await lintSql('x.sql', sql)).some((f) => f.rule === 'require-lock-timeout'),
      sql,
    );
  }
  t.notOk(
    (await lintSql('x.sql', `CREATE TABLE t (id bigint);\nCREATE INDEX ON t (id);`)).some((f) => f.rule === 'require-lock-timeout'),
    'work on a new table waits for no one',
  );
});

t.test('inline forms of the same hazards', async (t) => {
  t.same(await errorsOf('ALTER TABLE users ADD COLUMN email2 text UNIQUE;'), ['disallowed-unique-constraint']);
  t.same(await errorsOf('ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);'), ['adding-foreign-key-constraint']);
  t.same(await errorsOf('ALTER TABLE users ADD COLUMN seq bigserial;'), ['adding-field-with-default'], 'serial is a volatile default');
  t.same(await errorsOf('CREATE TABLE t (id bigint PRIMARY KEY, email text UNIQUE, owner bigint REFERENCES users (id));'), [], 'a new table is free');
});

t.test('a statement that does not parse is reported, and the statements around it are still checked', async (t) => {
  const f = await lintSql(
    'x.sql',
    `${T}ALTER TABLE users DROP COLUMN a;\nALTER TABLE users ADD COLUMN;\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nALTER TABLE users RENAME COLUMN b TO c;`,
  );
  t.same(
    f.filter((x) => x.severity === 'error').map((x) => `${x.line}:${x.rule}`),
    ['3:ban-drop-column', '4:syntax-error', '6:renaming-column'],
  );
});

t.test('lines count past comments and multi-byte characters', async (t) => {
  const f = await lintSql('x.sql', `-- héllo 日本\nSELECT 'ñ';\n\n/* note */\nALTER TABLE t DROP COLUMN a;`);
  t.same(
    f.filter((x) => x.rule === 'ban-drop-column').map((x) => x.line),
    [5],
  );
});

t.test('inline disable comments silence one statement, and want a reason', async (t) => {
  const sql = `${T}-- sundial-lint-disable-next-line ban-drop-column -- the column was never read (checked in logs)\nALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN b;\n-- sundial-lint-disable-next-line renaming-column\nALTER TABLE users RENAME COLUMN c TO d;`;
  const f = await lintSql('x.sql', sql);
  t.same(
    f.map((x) => `${x.line}:${x.rule}`),
    ['5:ban-drop-column', '6:disable-without-reason'],
  );
});
