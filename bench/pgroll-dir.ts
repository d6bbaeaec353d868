// `npm run bench -- --pgroll DIR`: runs every migration file of DIR (pgroll's format), in
// file-name order, and prints one line per file. A user coming from pgroll points it at
// their own migrations directory to see whether sundial runs them unchanged.
//
// For each file, on a copy of the database as the earlier files left it: start, then
// rollback, and the catalogue must be exactly as before. Then on the database itself:
// start, then complete. The copy keeps the two apart: an `sql` operation without `down`
// is not undone by rollback (in pgroll neither), and must not make the complete fail.
// It goes on past a failure, so every problem shows in one run (a file that builds on a
// failed one may then fail for that reason). Exit code 1 if any failed.
//
// The server is an embedded PostgreSQL, or DATABASE_URL's server: two databases are made
// there (sundial_pgroll_main and sundial_pgroll_trial) and dropped at the end.
// --catalogue prints the final catalogue (columns, constraints, indexes, comments).
import { basename } from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/migrate/embedded.js';
import { migrationFiles } from '../src/migrate/apply.js';
import { loadMigration } from '../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../src/migrate/engine.js';
import { activeMigration, stateExists } from '../src/migrate/state.js';
import { catalogue } from '../test/migrate/helpers/catalogue.js';

const MAIN = 'sundial_pgroll_main';
const TRIAL = 'sundial_pgroll_trial';

function reason(err: unknown): string {
  const e = err as Error & { code?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message}`.split('\n').slice(0, 4).join(' | ');
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

async function clearActive(db: pg.Client): Promise<void> {
  if ((await stateExists(db)) && (await activeMigration(db, 'public'))) await rollbackMigration(db).catch(() => {});
}

export async function main(argv: string[]): Promise<number> {
  const dir = argv.filter((a) => a !== '--pgroll' && !a.startsWith('--'))[0];
  if (!dir) {
    process.stderr.write('usage: npm run bench -- --pgroll DIR [--catalogue]   (DATABASE_URL: a server to use; default: embedded PostgreSQL)\n');
    return 2;
  }
  const files = await migrationFiles(dir);
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded();
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const urlOf = (db: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const admin = await connect(serverUrl);
  let loaded = 0;
  let rolledBack = 0;
  let completed = 0;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TRIAL}`);
    await admin.query(`DROP DATABASE IF EXISTS ${MAIN}`);
    await admin.query(`CREATE DATABASE ${MAIN}`);
    for (const file of files) {
      const name = basename(file);
      let m;
      try {
        m = await loadMigration(file);
        loaded++;
      } catch (err) {
        process.stdout.write(`FAIL  ${name}: load: ${reason(err)}\n`);
        continue;
      }
      let rb = 'ok';
      await admin.query(`DROP DATABASE IF EXISTS ${TRIAL}`);
      await admin.query(`CREATE DATABASE ${TRIAL} TEMPLATE ${MAIN}`);
      const trial = await connect(urlOf(TRIAL));
      try {
        const before = await catalogue(trial);
        await startMigration(trial, m);
        await rollbackMigration(trial);
        const after = await catalogue(trial);
        const changed = [...after.filter((l) => !before.includes(l)), ...before.filter((l) => !after.includes(l)).map((l) => `-${l}`)];
        if (changed.length) rb = `FAILED: the catalogue differs after rollback: ${changed.join('; ')}`;
        else rolledBack++;
      } catch (err) {
        rb = `FAILED: ${reason(err)}`;
      } finally {
        await trial.end();
      }
      let done = 'ok';
      const db = await connect(urlOf(MAIN));
      try {
        await startMigration(db, m);
        await completeMigration(db);
        completed++;
      } catch (err) {
        done = `FAILED: ${reason(err)}`;
        await clearActive(db);
      } finally {
        await db.end();
      }
      const ok = rb === 'ok' && done === 'ok';
      process.stdout.write(`${ok ? 'ok   ' : 'FAIL '} ${name}: start+rollback ${rb}; start+complete ${done}\n`);
    }
    if (argv.includes('--catalogue')) {
      const db = await connect(urlOf(MAIN));
      process.stdout.write(`\nthe catalogue at the end:\n${(await catalogue(db)).map((l) => `  ${l}\n`).join('')}`);
      await db.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${TRIAL}`).catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${MAIN}`).catch(() => {});
    await admin.end();
    await embedded?.stop();
  }
  process.stdout.write(`\n${files.length} files: ${loaded} loaded, ${rolledBack} start+rollback, ${completed} start+complete\n`);
  return completed === files.length && rolledBack === files.length ? 0 : 1;
}
