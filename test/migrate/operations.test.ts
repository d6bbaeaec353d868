import t from 'tap';
import { usePostgres } from '../helpers/postgres.js';
import { parseMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';

const pgt = await usePostgres(t);

t.test('smoke: alter_column type change', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int)`);
  await db.query(`INSERT INTO items (name, qty) SELECT 'n' || g, g FROM generate_series(1, 25) g`);
  const m = parseMigration('m.yaml', { name: 'm1', operations: [
    { alter_column: { table: 'items', column: 'qty', type: 'text', up: "'q' || qty", down: "substr(qty, 2)::int" } },
    { rename_column: { table: 'items', from: 'name', to: 'title' } },
  ] });
  const events: unknown[] = [];
  await startMigration(db, m, { backfill: { batchSize: 10, batchDelayMs: 0 }, onEvent: (e) => events.push(e) });
  const v2 = await pgt.connect(url, 'public_m1');
  await v2.query(`INSERT INTO items (title, qty) VALUES ('new', 'q7')`);
  const r = await v2.query(`SELECT * FROM items ORDER BY id`);
  t.equal(r.rows[0].qty, 'q1');
  const old = await db.query(`SELECT * FROM items WHERE name = 'new'`);
  t.equal(old.rows[0].qty, 7);
  await completeMigration(db);
  const after = await db.query(`SELECT * FROM items ORDER BY id`);
  t.same(Object.keys(after.rows[0]), ['id', 'title', 'qty']);
  t.equal(after.rows[25].qty, 'q7');
});
