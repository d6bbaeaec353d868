// Every operation through start, then complete; and through start, then rollback.
// Each runs on a fresh database with real PostgreSQL.
import t from 'tap';
import type pg from 'pg';
import { usePostgres } from '../helpers/postgres.js';
import { columnsOf, schemaSnapshot } from './helpers/schema.js';
import { parseMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';

const pgt = await usePostgres(t);

const SETUP = `
  CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, age int, email text);
  INSERT INTO users (name, age, email) SELECT 'u' || g, g, 'u' || g || '@x' FROM generate_series(1, 50) g;
  CREATE INDEX users_email_idx ON users (email);
  CREATE INDEX users_age_name_idx ON users (age, name) WHERE name <> '';
  CREATE TABLE teams (id bigserial PRIMARY KEY, title text);
  INSERT INTO teams (title) VALUES ('a'), ('b');
  CREATE TABLE memberships (id bigserial PRIMARY KEY, user_id bigint);
  INSERT INTO memberships (user_id) VALUES (1), (2);
`;

type T = Parameters<Parameters<typeof t.test>[0] extends (tt: infer X) => any ? (x: X) => void : never>[0];
type Dbs = { db: pg.Client; v2: pg.Client };

interface Case {
  name: string;
  ops: Record<string, unknown>[];
  started?: (t: T, d: Dbs) => Promise<void>;
  completed?: (t: T, d: Dbs) => Promise<void>;
  rolledBack?: (t: T, d: Dbs) => Promise<void>;
}

const one = async (db: pg.ClientBase, sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];
const exists = async (db: pg.ClientBase, name: string) => (await one(db, 'SELECT to_regclass($1) IS NOT NULL AS ok', [name])).ok as boolean;

const cases: Case[] = [
  {
    name: 'create_table',
    ops: [
      {
        create_table: {
          name: 'posts',
          columns: [
            { name: 'id', type: 'bigserial', pk: true },
            { name: 'title', type: 'text', nullable: false },
            { name: 'user_id', type: 'bigint', references: { name: 'posts_user_fk', table: 'users', column: 'id' } },
          ],
        },
      },
    ],
    async started(t, { v2 }) {
      await v2.query(`INSERT INTO posts (title, user_id) VALUES ('hello', 1)`);
      t.equal((await one(v2, 'SELECT count(*)::int AS n FROM posts')).n, 1, 'the new version writes the new table');
    },
    async completed(t, { db }) {
      t.ok(await exists(db, 'public.posts'));
      t.ok(await exists(db, 'public_m.posts'));
    },
    async rolledBack(t, { db }) {
      t.notOk(await exists(db, 'public.posts'));
    },
  },
  {
    name: 'drop_table',
    ops: [{ drop_table: { name: 'teams' } }],
    async started(t, { db, v2 }) {
      t.notOk(await exists(v2, 'public_m.teams'), 'hidden from the new version');
      t.equal((await one(db, 'SELECT count(*)::int AS n FROM teams')).n, 2, 'the old version still has it');
    },
    async completed(t, { db }) {
      t.notOk(await exists(db, 'public.teams'));
    },
    async rolledBack(t, { db }) {
      t.equal((await one(db, 'SELECT count(*)::int AS n FROM teams')).n, 2);
    },
  },
  {
    name: 'rename_table',
    ops: [{ rename_table: { from: 'users', to: 'people' } }],
    async started(t, { db, v2 }) {
      await v2.query(`INSERT INTO people (name) VALUES ('via v2')`);
      t.equal((await one(db, `SELECT count(*)::int AS n FROM users WHERE name = 'via v2'`)).n, 1);
    },
    async completed(t, { db, v2 }) {
      t.ok(await exists(db, 'public.people'));
      t.notOk(await exists(db, 'public.users'));
      t.equal((await one(v2, 'SELECT count(*)::int AS n FROM people')).n, 51);
    },
    async rolledBack(t, { db }) {
      t.equal((await one(db, 'SELECT count(*)::int AS n FROM users')).n, 51, 'the row written by v2 is kept');
    },
  },
  {
    name: 'add_column with up and NOT NULL',
    ops: [{ add_column: { table: 'users', column: { name: 'score', type: 'int', nullable: false }, up: 'age * 10' } }],
    async started(t, { db, v2 }) {
      t.equal((await one(v2, 'SELECT count(*)::int AS n FROM users WHERE score = age * 10')).n, 50, 'backfilled by up');
      await db.query(`INSERT INTO users (name, age) VALUES ('old', 7)`);
      t.equal((await one(v2, `SELECT score FROM users WHERE name = 'old'`)).score, 70, 'old writes get up');
      await v2.query(`INSERT INTO users (name, age, score) VALUES ('new', 1, 5)`);
      await db.query(`UPDATE users SET email = 'touched@x' WHERE name = 'new'`);
      t.equal(
        (await one(v2, `SELECT score FROM users WHERE name = 'new'`)).score,
        5,
        "an old update that leaves up's inputs alone keeps the new version's value",
      );
      await db.query(`UPDATE users SET age = 2 WHERE name = 'new'`);
      t.equal((await one(v2, `SELECT score FROM users WHERE name = 'new'`)).score, 20, "an old update of up's inputs recomputes it");
      await db.query(`UPDATE users SET age = 1 WHERE name = 'new'`);
      await t.rejects(v2.query(`INSERT INTO users (name) VALUES ('no score')`), { code: '23514' }, 'NOT NULL enforced through the check');
      t.notOk((await columnsOf(db, 'public', 'users')).includes('score'), 'not under its final name yet');
    },
    async completed(t, { db }) {
      const c = await one(db, `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'score'`);
      t.equal(c.is_nullable, 'NO');
      t.equal((await one(db, `SELECT score FROM users WHERE name = 'new'`)).score, 10);
    },
    async rolledBack(t, { db }) {
      t.notOk((await columnsOf(db, 'public', 'users')).some((c) => c.includes('score')));
    },
  },
  {
    name: 'drop_column with down',
    ops: [{ drop_column: { table: 'users', column: 'email', down: `'unknown@down'` } }],
    async started(t, { db, v2 }) {
      t.notOk((await columnsOf(v2, 'public_m', 'users')).includes('email'));
      await v2.query(`INSERT INTO users (name) VALUES ('nomail')`);
      t.equal((await one(db, `SELECT email FROM users WHERE name = 'nomail'`)).email, 'unknown@down');
      await v2.query(`UPDATE users SET age = 99 WHERE id = 5`);
      t.equal((await one(db, `SELECT email FROM users WHERE id = 5`)).email, 'u5@x', 'a new-version update does not clobber the old column');
    },
    async completed(t, { db }) {
      t.notOk((await columnsOf(db, 'public', 'users')).includes('email'));
    },
    async rolledBack(t, { db }) {
      t.equal((await one(db, `SELECT email FROM users WHERE name = 'nomail'`)).email, 'unknown@down', 'rows new clients wrote keep a value');
      t.equal((await one(db, `SELECT email FROM users WHERE id = 5`)).email, 'u5@x');
    },
  },
  {
    name: 'rename_column',
    ops: [{ rename_column: { table: 'users', from: 'name', to: 'full_name' } }],
    async started(t, { db, v2 }) {
      await v2.query(`INSERT INTO users (full_name) VALUES ('renamed')`);
      t.equal((await one(db, `SELECT count(*)::int AS n FROM users WHERE name = 'renamed'`)).n, 1);
    },
    async completed(t, { db, v2 }) {
      t.same(await columnsOf(db, 'public', 'users'), ['id', 'full_name', 'age', 'email']);
      t.equal((await one(v2, `SELECT count(*)::int AS n FROM users WHERE full_name = 'renamed'`)).n, 1);
    },
    async rolledBack(t, { db }) {
      t.same(await columnsOf(db, 'public', 'users'), ['id', 'name', 'age', 'email']);
    },
  },
  {
    name: 'alter_column type, NOT NULL, default, check and unique',
    ops: [
      {
        alter_column: {
          table: 'users',
          column: 'age',
          type: 'text',
          nullable: false,
          default: `'0y'`,
          check: { name: 'age_has_unit', constraint: `age LIKE '%y'` },
          unique: { name: 'users_age_key' },
          up: `coalesce(age, 0) || 'y'`,
          down: `rtrim(age, 'y')::int`,
        },
      },
    ],
    async started(t, { db, v2 }) {
      t.equal((await one(v2, 'SELECT age FROM users WHERE id = 3')).age, '3y');
      await v2.query(`INSERT INTO users (name, age) VALUES ('v2', '99y')`);
      t.equal((await one(db, `SELECT age FROM users WHERE name = 'v2'`)).age, 99, 'down converts for old readers');
      await db.query(`INSERT INTO users (name, age) VALUES ('v1', 1000)`);
      t.equal((await one(v2, `SELECT age FROM users WHERE name = 'v1'`)).age, '1000y', 'up converts for new readers');
      await t.rejects(v2.query(`INSERT INTO users (name, age) VALUES ('bad', '5')`), { code: '23514' }, 'check holds for new writes');
      await t.rejects(v2.query(`INSERT INTO users (name, age) VALUES ('dup', '3y')`), { code: '23505' }, 'unique holds for new writes');
    },
    async completed(t, { db }) {
      const c = await one(
        db,
        `SELECT data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'`,
      );
      t.same(c, { data_type: 'text', is_nullable: 'NO', column_default: `'0y'::text` });
      const cons = (await db.query(`SELECT conname, contype, convalidated FROM pg_constraint WHERE conrelid = 'users'::regclass ORDER BY conname`)).rows;
      t.same(
        cons.map((c) => `${c.conname}:${c.contype}:${c.convalidated}`),
        ['age_has_unit:c:true', 'users_age_key:u:true', 'users_pkey:p:true'],
      );
      const idx = (await one(db, `SELECT indexdef FROM pg_indexes WHERE indexname = 'users_age_name_idx'`)).indexdef;
      t.equal(
        idx,
        `CREATE INDEX users_age_name_idx ON public.users USING btree (age, name) WHERE (name <> ''::text)`,
        'the index on the old column was rebuilt on the new one',
      );
    },
    async rolledBack(t, { db }) {
      t.equal((await one(db, `SELECT age FROM users WHERE name = 'v2'`)).age, 99);
    },
  },
  {
    name: 'alter_column references and DROP NOT NULL',
    ops: [
      {
        alter_column: {
          table: 'memberships',
          column: 'user_id',
          references: { name: 'memberships_user_fk', table: 'users', column: 'id', on_delete: 'CASCADE' },
          // Rows the old version writes without a valid user keep NULL in the new shape.
          up: 'CASE WHEN EXISTS (SELECT 1 FROM users WHERE users.id = user_id) THEN user_id END',
        },
      },
      { alter_column: { table: 'users', column: 'name', nullable: true, down: `coalesce(name, 'anonymous')` } },
    ],
    async started(t, { db, v2 }) {
      await t.rejects(v2.query(`INSERT INTO memberships (user_id) VALUES (9999)`), { code: '23503' }, 'the new version gets the foreign key at once');
      await db.query(`INSERT INTO memberships (user_id) VALUES (9999)`);
      t.same(
        (await v2.query(`SELECT user_id FROM memberships ORDER BY id`)).rows.map((r) => r.user_id),
        ['1', '2', null],
        'up maps what the constraint would refuse',
      );
      await db.query(`DELETE FROM memberships WHERE user_id = 9999`);
      await t.rejects(v2.query(`INSERT INTO users (name) VALUES (NULL)`), { code: '23502' }, 'DROP NOT NULL waits for complete: old readers never see a NULL');
      t.notOk(
        (await columnsOf(db, 'public', 'users')).some((c) => c.startsWith('_sundial_')),
        'DROP NOT NULL took the cheap path: no shadow column',
      );
    },
    async completed(t, { db, v2 }) {
      t.equal((await one(db, `SELECT convalidated FROM pg_constraint WHERE conname = 'memberships_user_fk'`)).convalidated, true);
      t.equal((await one(db, `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'`)).is_nullable, 'YES');
      await v2.query(`INSERT INTO users (name) VALUES (NULL)`);
      t.equal((await one(db, `SELECT count(*)::int AS n FROM users WHERE name IS NULL`)).n, 1, 'the new version writes NULLs once complete');
    },
  },
  {
    name: 'create_index',
    ops: [{ create_index: { name: 'users_age_idx', table: 'users', columns: ['age'] } }],
    async started(t, { db }) {
      t.equal((await one(db, `SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = 'users_age_idx'::regclass`)).indisvalid, true);
    },
    async completed(t, { db }) {
      t.ok(await exists(db, 'public.users_age_idx'));
    },
    async rolledBack(t, { db }) {
      t.notOk(await exists(db, 'public.users_age_idx'));
    },
  },
  {
    name: 'drop_index',
    ops: [{ drop_index: { name: 'users_email_idx' } }],
    async started(t, { db }) {
      t.ok(await exists(db, 'public.users_email_idx'), 'kept while the old version runs');
    },
    async completed(t, { db }) {
      t.notOk(await exists(db, 'public.users_email_idx'));
    },
  },
  {
    name: 'create_constraint check',
    ops: [{ create_constraint: { table: 'users', name: 'age_positive', type: 'check', columns: ['age'], check: 'age > 0' } }],
    async started(t, { db }) {
      t.equal((await one(db, `SELECT convalidated FROM pg_constraint WHERE conname = 'age_positive'`)).convalidated, false, 'added NOT VALID');
      await t.rejects(db.query(`INSERT INTO users (name, age) VALUES ('neg', -1)`), { code: '23514' });
    },
    async completed(t, { db }) {
      t.equal((await one(db, `SELECT convalidated FROM pg_constraint WHERE conname = 'age_positive'`)).convalidated, true, 'validated');
    },
  },
  {
    name: 'create_constraint unique',
    ops: [{ create_constraint: { table: 'users', name: 'users_email_key', type: 'unique', columns: ['email'] } }],
    async started(t, { db }) {
      t.ok(await exists(db, 'public.users_email_key'), 'index built concurrently');
    },
    async completed(t, { db }) {
      t.equal((await one(db, `SELECT contype FROM pg_constraint WHERE conname = 'users_email_key'`)).contype, 'u');
    },
  },
  {
    name: 'create_constraint foreign_key',
    ops: [
      {
        create_constraint: {
          table: 'memberships',
          name: 'memberships_user_fk',
          type: 'foreign_key',
          columns: ['user_id'],
          references: { table: 'users', columns: ['id'], on_delete: 'CASCADE' },
        },
      },
    ],
    async started(t, { db }) {
      await t.rejects(db.query(`INSERT INTO memberships (user_id) VALUES (9999)`), { code: '23503' });
    },
    async completed(t, { db }) {
      t.equal((await one(db, `SELECT convalidated FROM pg_constraint WHERE conname = 'memberships_user_fk'`)).convalidated, true);
    },
  },
  {
    name: 'sql',
    ops: [{ drop_table: { name: 'teams' } }, { sql: { up: 'CREATE TABLE audit (id bigserial PRIMARY KEY, msg text)', down: 'DROP TABLE audit' } }],
    async started(t, { v2 }) {
      await v2.query(`INSERT INTO audit (msg) VALUES ('x')`);
      t.ok(await exists(v2, 'public_m.audit'), 'the new version sees a table made by sql');
      t.notOk(await exists(v2, 'public_m.teams'), 'and not a table dropped by an earlier operation');
    },
    async completed(t, { db }) {
      t.ok(await exists(db, 'public.audit'));
    },
    async rolledBack(t, { db }) {
      t.notOk(await exists(db, 'public.audit'));
    },
  },
];

async function setUp(): Promise<Dbs & { url: string; before: string[] }> {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(SETUP);
  const before = await schemaSnapshot(db);
  return { url, db, v2: undefined as never, before };
}

for (const c of cases) {
  t.test(`${c.name}: start then complete`, async (t) => {
    const s = await setUp();
    await startMigration(s.db, parseMigration('m.yaml', { name: 'm', operations: c.ops }), { backfill: { batchSize: 7 } });
    const v2 = await pgt.connect(s.url, 'public_m');
    await c.started?.(t, { db: s.db, v2 });
    await completeMigration(s.db);
    const snap = await schemaSnapshot(s.db);
    t.notOk(
      snap.some((x) => x.includes('_sundial_')),
      'no temporary columns, checks or triggers remain',
    );
    t.ok(snap.includes('nsp public_m'), 'the version schema stays for the new version');
    await c.completed?.(t, { db: s.db, v2 });
    t.equal((await one(s.db, `SELECT status FROM sundial_migrate.migrations WHERE name = 'm'`)).status, 'complete');
  });

  t.test(`${c.name}: start then rollback`, async (t) => {
    const s = await setUp();
    await startMigration(s.db, parseMigration('m.yaml', { name: 'm', operations: c.ops }), { backfill: { batchSize: 7 } });
    const v2 = await pgt.connect(s.url, 'public_m');
    await c.started?.(t, { db: s.db, v2 });
    await v2.end();
    await rollbackMigration(s.db);
    t.same(await schemaSnapshot(s.db), s.before, 'the schema is exactly as before start');
    await c.rolledBack?.(t, { db: s.db, v2 });
    t.equal((await one(s.db, `SELECT status FROM sundial_migrate.migrations WHERE name = 'm'`)).status, 'rolled_back');
  });
}
