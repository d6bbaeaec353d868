// Failures part way: a concurrent index build that fails leaves no INVALID index and can be
// resumed; a complete that fails validation leaves both versions working; a chain of
// migrations hands the old version schema over and then drops it.
import t from 'tap';
import { usePostgres } from '../helpers/postgres.js';
import { schemaSnapshot } from './helpers/schema.js';
import { parseMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';
import { migrationStatus } from '../../src/migrate/status.js';
import { createReporter } from '../../src/migrate/progress.js';
import type { MigrateEvent } from '../../src/migrate/events.js';

const pgt = await usePostgres(t);

async function users() {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, age int);
    INSERT INTO users (name, email, age) SELECT 'u' || g, 'u' || g || '@x', g FROM generate_series(1, 30) g;
    UPDATE users SET email = 'dup@x' WHERE id IN (3, 4);`);
  return { url, db };
}

t.test('a failed concurrent index build is cleaned up, then resumed', async (t) => {
  const { db } = await users();
  const m = parseMigration('idx.yaml', {
    name: 'idx',
    operations: [{ create_index: { name: 'users_email_key', table: 'users', columns: ['email'], unique: true } }],
  });
  const events: MigrateEvent[] = [];
  const err = await startMigration(db, m, { onEvent: (e) => events.push(e) }).catch((e) => e);
  t.equal(err.code, 'SUNDIAL_ERR_MIGRATE_STEP_FAILED');
  t.match(err.message, /could not create unique index/);
  t.match(err.message, 'Re-run `sundial migrate start idx.yaml` to resume, or `sundial migrate rollback`');
  t.ok(
    events.some((e) => e.type === 'index-cleanup' && e.index === 'users_email_key'),
    'the INVALID index was dropped',
  );
  t.equal((await db.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'users_email_key'`)).rows[0].n, 0, 'no index left behind');
  t.equal((await migrationStatus(db, 'public')).active?.phase, 'expanded');
  await t.rejects(completeMigration(db), { code: 'SUNDIAL_ERR_MIGRATE_NOT_READY' }, 'complete refuses a half-started migration');

  await db.query(`UPDATE users SET email = 'fixed@x' WHERE id = 4`);
  const again = await startMigration(db, m);
  t.equal(again.resumed, true);
  t.equal((await db.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_key'::regclass`)).rows[0].indisvalid, true);
  await completeMigration(db);
});

t.test('a half-started migration rolls back to exactly the schema before', async (t) => {
  const { db } = await users();
  const before = await schemaSnapshot(db);
  const m = parseMigration('idx.yaml', {
    name: 'idx',
    operations: [
      { add_column: { table: 'users', column: { name: 'score', type: 'int' }, up: 'age' } },
      { create_index: { name: 'users_email_key', table: 'users', columns: ['email'], unique: true } },
    ],
  });
  await t.rejects(startMigration(db, m), { code: 'SUNDIAL_ERR_MIGRATE_STEP_FAILED' });
  await rollbackMigration(db);
  t.same(await schemaSnapshot(db), before);
});

t.test('complete stops at a failed validation; both versions keep working; rollback is clean', async (t) => {
  const { url, db } = await users();
  await db.query(`UPDATE users SET age = -1 WHERE id = 7`);
  const before = await schemaSnapshot(db);
  await startMigration(
    db,
    parseMigration('chk.yaml', {
      name: 'chk',
      operations: [
        { create_constraint: { table: 'users', name: 'age_positive', type: 'check', columns: ['age'], check: 'age > 0' } },
        { rename_column: { table: 'users', from: 'name', to: 'full_name' } },
      ],
    }),
  );
  const err = await completeMigration(db).catch((e) => e);
  t.equal(err.code, 'SUNDIAL_ERR_MIGRATE_STEP_FAILED');
  t.match(err.message, 'VALIDATE CONSTRAINT "age_positive"');
  t.match(err.message, 'is still active and both versions still work');
  const v2 = await pgt.connect(url, 'public_chk');
  t.equal((await v2.query(`SELECT full_name FROM users WHERE id = 1`)).rows[0].full_name, 'u1', 'the new version still works');
  t.equal((await db.query(`SELECT name FROM users WHERE id = 1`)).rows[0].name, 'u1', 'the old version still works');
  await v2.end();
  await rollbackMigration(db);
  t.same(await schemaSnapshot(db), before);
});

t.test("a second migration serves old clients from the first one's version schema", async (t) => {
  const { url, db } = await users();
  await startMigration(db, parseMigration('a.yaml', { name: 'a', operations: [{ rename_column: { table: 'users', from: 'name', to: 'full_name' } }] }));
  await completeMigration(db);
  const r = await startMigration(db, parseMigration('b.yaml', { name: 'b', operations: [{ drop_column: { table: 'users', column: 'age', down: '0' } }] }));
  t.same([r.oldVersion, r.version], ['public_a', 'public_b']);
  const va = await pgt.connect(url, 'public_a');
  const vb = await pgt.connect(url, 'public_b');
  await va.query(`INSERT INTO users (full_name, age) VALUES ('old client', 42)`);
  await vb.query(`INSERT INTO users (full_name) VALUES ('new client')`);
  t.same((await va.query(`SELECT full_name, age FROM users WHERE id > 30 ORDER BY id`)).rows, [
    { full_name: 'old client', age: 42 },
    { full_name: 'new client', age: 0 },
  ]);
  await va.end();
  await completeMigration(db);
  const schemas = (await db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public_%' ORDER BY 1`)).rows.map((x) => x.nspname);
  t.same(schemas, ['public_b'], 'the old version schema is dropped at complete');
  t.equal((await vb.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n, 32);
});

t.test('progress: a bar on a terminal, lines otherwise', async (t) => {
  const batch: MigrateEvent = { type: 'backfill-batch', table: 'users', batch: 2, rows: 10, rowsDone: 20, total: 40 };
  let tty = '';
  createReporter({ write: (s) => (tty += s) }, { tty: true, width: 10 })(batch);
  t.equal(tty, '\rusers [#####-----] 50% 20/40 rows');
  let plain = '';
  createReporter({ write: (s) => (plain += s) }, { tty: false })(batch);
  t.equal(plain, 'backfill users: batch 2, 20/40 rows (50%)\n');
});
