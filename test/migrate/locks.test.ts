// DDL under a held lock times out and retries instead of queueing (and blocking everyone
// behind it); it succeeds once the lock is released, and gives up cleanly after the last attempt.
import t from 'tap';
import { usePostgres } from '../helpers/postgres.js';
import { parseMigration } from '../../src/migrate/load.js';
import { startMigration } from '../../src/migrate/engine.js';
import type { MigrateEvent } from '../../src/migrate/events.js';
import { schemaSnapshot } from './helpers/schema.js';

const pgt = await usePostgres(t);
const locks = { lockTimeoutMs: 50, backoffMs: 20, maxBackoffMs: 200 };

async function setUp() {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`CREATE TABLE t (id bigserial PRIMARY KEY, a int); INSERT INTO t (a) SELECT g FROM generate_series(1, 10) g`);
  const holder = await pgt.connect(url);
  return { url, db, holder };
}

for (const [name, op, mode] of [
  ['add_column (ACCESS EXCLUSIVE)', { add_column: { table: 't', column: { name: 'b', type: 'int', nullable: true } } }, 'ACCESS SHARE'],
  ['create_index (CONCURRENTLY)', { create_index: { name: 't_a_idx', table: 't', columns: ['a'] } }, 'SHARE UPDATE EXCLUSIVE'],
] as const) {
  t.test(`${name}: retries while the lock is held, succeeds after release`, async (t) => {
    const { db, holder } = await setUp();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE t IN ${mode} MODE`);
    const events: MigrateEvent[] = [];
    let released = false;
    const started = startMigration(db, parseMigration('m.yaml', { name: 'm', operations: [op] }), {
      locks: { ...locks, maxAttempts: 1000 },
      onEvent: (e) => {
        events.push(e);
        // Release only after a few refusals: the DDL must be waiting by retrying, not queueing.
        if (e.type === 'lock-retry' && e.attempt === 3 && !released) {
          released = true;
          void holder.query('COMMIT');
        }
      },
    });
    await started;
    const retries = events.filter((e) => e.type === 'lock-retry');
    t.ok(retries.length >= 3, `retried ${retries.length} times`);
    t.same(
      retries.slice(0, 3).map((e) => e.type === 'lock-retry' && e.delayMs),
      [20, 40, 80],
      'exponential backoff',
    );
    t.ok(released);
    const m = (await db.query(`SELECT status FROM sundial_migrate.migrations`)).rows[0];
    t.equal(m.status, 'active');
  });
}

t.test('gives up after maxAttempts with nothing changed', async (t) => {
  const { db, holder } = await setUp();
  const before = await schemaSnapshot(db);
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE t IN ACCESS SHARE MODE');
  const events: MigrateEvent[] = [];
  await t.rejects(
    startMigration(
      db,
      parseMigration('m.yaml', { name: 'm', operations: [{ add_column: { table: 't', column: { name: 'b', type: 'int', nullable: true } } }] }),
      {
        locks: { ...locks, maxAttempts: 3 },
        onEvent: (e) => events.push(e),
      },
    ),
    { code: 'SUNDIAL_ERR_MIGRATE_LOCK_TIMEOUT' },
  );
  t.equal(events.filter((e) => e.type === 'lock-retry').length, 2, 'two retries, then the third refusal is final');
  await holder.query('COMMIT');
  t.same(await schemaSnapshot(db), before, 'nothing changed');
  t.equal((await db.query(`SELECT count(*)::int AS n FROM sundial_migrate.migrations`)).rows[0].n, 0, 'no migration recorded');
});
