// A backfill killed with SIGKILL part way resumes where it stopped: every row ends up
// right, and none is processed twice. The `up` expression logs each call in the same
// transaction as the batch, so a row processed twice would show up in the log.
import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { usePostgres } from '../helpers/postgres.js';
import { loadMigration } from '../../src/migrate/load.js';
import { startMigration, completeMigration } from '../../src/migrate/engine.js';
import type { MigrateEvent } from '../../src/migrate/events.js';
import { tempDir } from '../helpers/temp-dir.js';

const pgt = await usePostgres(t);
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const ROWS = 3000;

t.test('SIGKILL during backfill, then resume', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`
    CREATE TABLE counters (id bigserial PRIMARY KEY, n int NOT NULL);
    INSERT INTO counters (n) SELECT g * 3 FROM generate_series(1, ${ROWS}) g;
    CREATE TABLE touch_log (id bigint NOT NULL);
    CREATE FUNCTION touched(i bigint, n int) RETURNS int LANGUAGE sql AS $$ INSERT INTO touch_log VALUES (i); SELECT n + 1 $$;
  `);
  const dir = tempDir('sundial-kill-');
  const file = join(dir, 'add_m.yaml');
  writeFileSync(
    file,
    `name: add_m\noperations:\n  - add_column:\n      table: counters\n      column: { name: m, type: int, nullable: false }\n      up: touched(id, n)\n`,
  );

  const child = spawn(process.execPath, [cli, 'migrate', 'start', file, '--database-url', url, '--batch-size', '20', '--batch-delay', '25ms'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  // Wait until some batches are recorded, then kill without warning.
  let batches = 0;
  for (let i = 0; i < 600 && batches < 5; i++) {
    await sleep(50);
    const r = await db.query(`SELECT coalesce(max(batches), 0)::int AS b FROM sundial_migrate.backfill`).catch(() => ({ rows: [{ b: 0 }] }));
    batches = r.rows[0].b;
  }
  t.ok(batches >= 5, `some batches were recorded before the kill (${batches})\n${output}`);
  child.kill('SIGKILL');
  t.equal((await exited).signal, 'SIGKILL');
  t.match(output, /backfill counters: batch \d+, \d+\/\d+ rows/, 'plain progress lines when not on a TTY');

  const mid = (await db.query(`SELECT rows_done::int, done FROM sundial_migrate.backfill`)).rows[0];
  t.equal(mid.done, false, 'the backfill was interrupted');
  t.ok(mid.rows_done < ROWS, 'part way');
  const logged = (await db.query(`SELECT count(*)::int AS n FROM touch_log`)).rows[0].n;
  t.equal(logged, mid.rows_done, 'only committed batches left a trace: progress and data moved together');

  const events: MigrateEvent[] = [];
  const res = await startMigration(db, await loadMigration(file), { backfill: { batchSize: 20 }, onEvent: (e) => events.push(e) });
  t.equal(res.resumed, true);
  const begin = events.find((e) => e.type === 'backfill-start');
  t.ok(begin && begin.type === 'backfill-start' && begin.resumedFrom !== null && begin.rowsDone === mid.rows_done, 'resumed after the last recorded key');

  const end = (await db.query(`SELECT rows_done::int, done FROM sundial_migrate.backfill`)).rows[0];
  t.same(end, { rows_done: ROWS, done: true }, 'every row counted exactly once');
  const touches = (await db.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM touch_log`)).rows[0];
  t.same(touches, { n: ROWS, d: ROWS }, 'up ran exactly once per row');
  const wrong = (await db.query(`SELECT count(*)::int AS n FROM counters WHERE _sundial_new_m IS DISTINCT FROM n + 1`)).rows[0].n;
  t.equal(wrong, 0, 'every row has m = n + 1');

  await completeMigration(db);
  const after = (await db.query(`SELECT count(*)::int AS n FROM counters WHERE m = n + 1`)).rows[0].n;
  t.equal(after, ROWS);
});
