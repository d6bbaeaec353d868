// The worked example of docs/migrate.md: rename users.nme to users.name while a v1 service
// and a v2 service write at the same time, then complete. Run it with
//   npm run build && node dist/examples/migrate/demo.js
// (it starts a throwaway PostgreSQL), or import runDemo() and pass a database URL.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { completeMigration, startMigration } from '../../src/migrate/engine.js';
import { loadMigration } from '../../src/migrate/load.js';
import { startEmbedded } from '../../src/migrate/embedded.js';

const here = (f: string) => fileURLToPath(new URL(`../../../examples/migrate/${f}`, import.meta.url));

/** A service: one connection whose search_path selects its version of the schema. */
async function service(url: string, searchPath: string) {
  const db = new pg.Client({ connectionString: url, application_name: searchPath });
  await db.connect();
  await db.query(`SET search_path TO ${searchPath}`);
  return db;
}

export interface DemoResult {
  v1Writes: number;
  v2Writes: number;
  v1SeesV2: boolean;
  v2SeesV1: boolean;
  rowsAfterComplete: number;
  expectedRows: number;
}

export async function runDemo(url: string, log: (s: string) => void = console.log): Promise<DemoResult> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(readFileSync(here('schema.sql'), 'utf8'));
  const seeded = Number((await admin.query('SELECT count(*) FROM users')).rows[0].count);

  // v1 is live before the migration and keeps writing throughout.
  const v1 = await service(url, 'public');
  let v1Writes = 0;
  let stop = false;
  const v1Loop = (async () => {
    while (!stop) {
      await v1.query(`INSERT INTO users (nme, email) VALUES ($1, $2)`, [`v1 user ${v1Writes}`, `v1-${v1Writes}@example.com`]);
      v1Writes++;
    }
  })();

  const migration = await loadMigration(here('01_rename_nme.yaml'));
  const started = await startMigration(admin, migration, { onEvent: (e) => e.type === 'info' && log(e.message) });
  log(`started: v1 uses ${started.oldVersion}, v2 uses ${started.version}`);

  // v2 deploys against the new version schema and writes alongside v1.
  const v2 = await service(url, started.version);
  let v2Writes = 0;
  for (; v2Writes < 200; v2Writes++) {
    await v2.query(`INSERT INTO users (name, email) VALUES ($1, $2)`, [`v2 user ${v2Writes}`, `v2-${v2Writes}@example.com`]);
  }
  const v1SeesV2 = Number((await v1.query(`SELECT count(*) FROM users WHERE nme LIKE 'v2 user %'`)).rows[0].count) === v2Writes;
  const v1Sofar = Number((await v1.query(`SELECT count(*) FROM users WHERE nme LIKE 'v1 user %'`)).rows[0].count);
  const v2SeesV1 = Number((await v2.query(`SELECT count(*) FROM users WHERE name LIKE 'v1 user %'`)).rows[0].count) >= v1Sofar;
  log(`v1 sees v2's rows: ${v1SeesV2}; v2 sees v1's rows: ${v2SeesV1}`);

  // v1 is retired (its traffic drained); then contract.
  stop = true;
  await v1Loop;
  await v1.end();
  await completeMigration(admin);
  const rowsAfterComplete = Number((await v2.query('SELECT count(*) FROM users')).rows[0].count);
  const cols = (
    await admin.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position`)
  ).rows.map((r) => r.column_name);
  log(`complete: public.users has columns ${cols.join(', ')}; ${rowsAfterComplete} rows (${seeded} seeded + ${v1Writes} from v1 + ${v2Writes} from v2)`);
  await v2.end();
  await admin.end();
  return { v1Writes, v2Writes, v1SeesV2, v2SeesV1, rowsAfterComplete, expectedRows: seeded + v1Writes + v2Writes };
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const db = await startEmbedded();
  try {
    const r = await runDemo(db.url);
    process.exitCode = r.v1SeesV2 && r.v2SeesV1 && r.rowsAfterComplete === r.expectedRows ? 0 : 1;
  } finally {
    await db.stop();
  }
}
