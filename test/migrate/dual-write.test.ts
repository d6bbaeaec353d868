// Old and new application versions write at the same time, on their own connections with
// their own search_path, while a migration is in progress. Each must see the other's
// writes, and after complete (or rollback) the data must be exactly what was written.
import t, { type Test } from 'tap';
import type pg from 'pg';
import { usePostgres } from '../helpers/postgres.js';
import { checksum } from './helpers/schema.js';
import { parseMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';

const pgt = await usePostgres(t);

const migration = parseMigration('v2.yaml', {
  name: 'v2',
  operations: [
    { rename_column: { table: 'accounts', from: 'name', to: 'display_name' } },
    {
      alter_column: {
        table: 'accounts',
        column: 'balance_cents',
        name: 'balance',
        type: 'numeric(12,2)',
        up: 'balance_cents / 100.0',
        down: '(balance * 100)::int',
      },
    },
  ],
});

type Row = { name: string; cents: number };
const SEED = 200;

/** One writer: inserts rows and updates its own share of the seed rows, recording what it committed. */
async function writer(db: pg.Client, version: 'v1' | 'v2', k: number, expected: Map<number, Row>): Promise<void> {
  const mine = [...expected.keys()].filter((id) => id <= SEED && id % 4 === k);
  for (let i = 0; i < 60; i++) {
    const name = `${version}-w${k}-${i}`;
    const cents = k * 100_000 + i * 7 + 1;
    const r =
      version === 'v1'
        ? await db.query('INSERT INTO accounts (name, balance_cents) VALUES ($1, $2) RETURNING id', [name, cents])
        : await db.query('INSERT INTO accounts (display_name, balance) VALUES ($1, $2) RETURNING id', [name, (cents / 100).toFixed(2)]);
    expected.set(r.rows[0].id, { name, cents });
    if (i % 3 === 0 && mine.length) {
      const id = mine[i % mine.length];
      const row = { name: `${name}-upd`, cents: cents + 5 };
      if (version === 'v1') await db.query('UPDATE accounts SET name = $2, balance_cents = $3 WHERE id = $1', [id, row.name, row.cents]);
      else await db.query('UPDATE accounts SET display_name = $2, balance = $3 WHERE id = $1', [id, row.name, (row.cents / 100).toFixed(2)]);
      expected.set(id, row);
    }
  }
}

async function scenario(t: Pick<Test, 'same' | 'equal'>, finish: 'complete' | 'rollback') {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, balance_cents int NOT NULL)`);
  await db.query(`INSERT INTO accounts (name, balance_cents) SELECT 'seed' || g, g * 100 FROM generate_series(1, ${SEED}) g`);
  const expected = new Map<number, Row>();
  for (let g = 1; g <= SEED; g++) expected.set(g, { name: `seed${g}`, cents: g * 100 });

  const old1 = await pgt.connect(url, 'public');
  const old2 = await pgt.connect(url, 'public');
  // Old writers are already busy while start expands the schema and backfills.
  const oldWriters = Promise.all([writer(old1, 'v1', 0, expected), writer(old2, 'v1', 1, expected)]);
  await startMigration(db, migration, { backfill: { batchSize: 25 } });
  const new1 = await pgt.connect(url, 'public_v2');
  const new2 = await pgt.connect(url, 'public_v2');
  await Promise.all([oldWriters, writer(new1, 'v2', 2, expected), writer(new2, 'v2', 3, expected)]);

  const want = [...expected].sort((a, b) => a[0] - b[0]);
  const v1 = await old1.query('SELECT id, name, balance_cents FROM accounts ORDER BY id');
  t.same(
    v1.rows.map((r) => [Number(r.id), { name: r.name, cents: r.balance_cents }]),
    want,
    'the old version sees every write in its shape',
  );
  const v2 = await new1.query('SELECT id, display_name, balance FROM accounts ORDER BY id');
  t.same(
    v2.rows.map((r) => [Number(r.id), { name: r.display_name, cents: Math.round(Number(r.balance) * 100) }]),
    want,
    'the new version sees every write in its shape',
  );
  t.same(
    await checksum(db, 'SELECT id, display_name, (balance * 100)::int FROM public_v2.accounts'),
    await checksum(db, 'SELECT id, name, balance_cents FROM public.accounts'),
    'both shapes hold the same data',
  );

  for (const c of [old1, old2, new1, new2]) await c.end();
  if (finish === 'complete') {
    await completeMigration(db);
    const after = await db.query('SELECT id, display_name, balance FROM public_v2.accounts ORDER BY id');
    t.equal(after.rowCount, expected.size, 'row count after complete');
    t.same(
      after.rows.map((r) => [Number(r.id), { name: r.display_name, cents: Math.round(Number(r.balance) * 100) }]),
      want,
      'data after complete',
    );
    const phys = await db.query(
      `SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'accounts' AND column_name = 'balance'`,
    );
    t.equal(phys.rows[0].data_type, 'numeric', 'the table has the new shape');
  } else {
    await rollbackMigration(db);
    const after = await db.query('SELECT id, name, balance_cents FROM public.accounts ORDER BY id');
    t.equal(after.rowCount, expected.size, 'row count after rollback');
    t.same(
      after.rows.map((r) => [Number(r.id), { name: r.name, cents: r.balance_cents }]),
      want,
      'no write of the new version is lost',
    );
  }
}

t.test('concurrent old and new writers, then complete', (t) => scenario(t, 'complete'));
t.test('concurrent old and new writers, then rollback', (t) => scenario(t, 'rollback'));
