// A numbered sequence of migration files in pgroll's format (JSON and YAML, pgroll's
// defaults) that together use every operation and field sundial takes from pgroll. Each
// runs start + rollback (the catalogue must be exactly as before), then start + complete
// (the catalogue must show what the file asks for). Real PostgreSQL, one database for the
// whole sequence, as a project's migrations directory would be applied.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usePostgres } from '../helpers/postgres.js';
import { catalogue } from './helpers/catalogue.js';
import { loadMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';
import { expectations } from './pgroll-expectations.js';

const pgt = await usePostgres(t);
const dir = fileURLToPath(new URL('../../../test/migrate/fixtures/pgroll/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

const url = await pgt.freshDatabase();
const db = await pgt.connect(url);

t.same(Object.keys(expectations).sort(), files, 'every file has its expectations');

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
  });
}
