// The `sundial migrate` command end to end on the example files: start, status --json,
// complete, a second migration, rollback; help and usage errors; and the worked example.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { usePostgres } from '../helpers/postgres.js';
import { run } from '../../src/cli/migrate.js';
import { runDemo } from '../../examples/migrate/demo.js';
import { tempDir } from '../helpers/temp-dir.js';

const pgt = await usePostgres(t);
const example = (f: string) => fileURLToPath(new URL(`../../../examples/migrate/${f}`, import.meta.url));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const code = await run(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

t.test('start, status, complete, then a second migration rolled back', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query((await import('node:fs')).readFileSync(example('schema.sql'), 'utf8'));
  const db_ = ['--database-url', url];

  const started = await cli(['start', example('01_rename_nme.yaml'), ...db_]);
  t.equal(started.code, 0, started.err);
  t.match(started.out, 'new version: SET search_path TO public_01_rename_nme');

  const again = await cli(['start', example('02_email_required.yaml'), ...db_]);
  t.equal(again.code, 1, 'one active migration per schema');
  t.match(again.err, 'SUNDIAL_ERR_MIGRATE_ACTIVE');

  const status = await cli(['status', '--json', ...db_]);
  const s = JSON.parse(status.out);
  t.match(s, { schema: 'public', active: { name: '01_rename_nme', phase: 'ready', versionSchema: 'public_01_rename_nme', oldVersionSchema: 'public' } });

  t.equal((await cli(['complete', ...db_])).code, 0);
  const text = await cli(['status', ...db_]);
  t.match(text.out, 'active migration: none');
  t.match(text.out, 'latest version: SET search_path TO public_01_rename_nme');

  const second = await cli(['start', example('02_email_required.yaml'), '--batch-size', '700', ...db_]);
  t.equal(second.code, 0, second.err);
  t.match(second.out, 'old version: SET search_path TO public_01_rename_nme', 'the previous version schema serves old clients');
  const st2 = JSON.parse((await cli(['status', '--json', ...db_])).out);
  t.same(
    st2.active.backfill.map((b: { table: string; rowsDone: number; done: boolean }) => [b.table, b.rowsDone, b.done]),
    [['users', 5000, true]],
  );
  t.equal((await cli(['rollback', ...db_])).code, 0);
  const hist = JSON.parse((await cli(['status', '--json', ...db_])).out).history;
  t.same(
    hist.map((h: { name: string; status: string; parent: string | null }) => [h.name, h.status, h.parent]),
    [
      ['01_rename_nme', 'complete', null],
      ['02_email_required', 'rolled_back', '01_rename_nme'],
    ],
  );
  const v1 = await pgt.connect(url, 'public_01_rename_nme');
  t.equal((await v1.query('SELECT count(*)::int AS n FROM users')).rows[0].n, 5000, 'the version schema still serves after the rollback');
});

t.test('plan without a database', async (t) => {
  const r = await cli(['plan', example('01_rename_nme.yaml')]);
  t.equal(r.code, 0);
  t.match(r.out, '# Migration plan: 01_rename_nme');
  t.match(r.out, 'No backfill');
});

t.test('help and usage errors', async (t) => {
  for (const c of ['start', 'complete', 'rollback', 'status', 'plan', 'lint']) {
    const r = await cli([c, '--help']);
    t.equal(r.code, 0);
    t.match(r.out, `Usage: sundial migrate ${c}`);
  }
  t.equal((await cli(['frobnicate'])).code, 2);
  t.equal((await cli(['start'])).code, 2, 'missing FILE');
  t.equal((await cli(['status', '--bogus'])).code, 2);
  t.equal((await cli(['start', 'x.yaml', '--batch-size', 'lots'])).code, 2);
  const none = await cli(['status'].concat(process.env.DATABASE_URL ? ['--database-url', ''] : []));
  t.equal(none.code, 1);
  t.match(none.err, 'SUNDIAL_ERR_MIGRATE_NO_DATABASE');
});

t.test('the worked example of docs/migrate.md', async (t) => {
  const r = await runDemo(await pgt.freshDatabase(), () => {});
  t.ok(r.v1SeesV2, 'v1 reads the rows v2 wrote');
  t.ok(r.v2SeesV1, 'v2 reads the rows v1 wrote');
  t.ok(r.v1Writes > 0 && r.v2Writes === 200);
  t.equal(r.rowsAfterComplete, r.expectedRows, 'no write lost');
});

t.test('--embedded with --seed: plan validated against a throwaway server', async (t) => {
  const r = await cli(['plan', example('02_email_required.yaml'), '--embedded', '--seed', example('schema.sql')]);
  t.equal(r.code, 0, r.err);
  t.match(r.err, 'started a throwaway PostgreSQL');
  t.match(r.out, /\| `users` \| ~5,000 \| 5 \|/, 'row estimate from reltuples');
  t.match(r.out, 'ADD COLUMN "_sundial_new_email" text', 'the current type was read from the database');
});

t.test('--schema: a schema other than public', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(`CREATE SCHEMA app; CREATE TABLE app.items (id bigserial PRIMARY KEY, label text); INSERT INTO app.items (label) VALUES ('a'), ('b');
    CREATE TABLE public.items (id int)`);
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const file = join(tempDir('sundial-schema-'), 'm.json');
  writeFileSync(file, JSON.stringify({ name: 'title', operations: [{ rename_column: { table: 'items', from: 'label', to: 'title' } }] }));
  const r = await cli(['start', file, '--schema', 'app', '--database-url', url]);
  t.equal(r.code, 0, r.err);
  const v2 = await pgt.connect(url, 'app_title');
  t.same((await v2.query('SELECT title FROM items ORDER BY id')).rows, [{ title: 'a' }, { title: 'b' }]);
  t.equal((await cli(['complete', '--schema', 'app', '--database-url', url])).code, 0);
  t.same(
    (
      await db.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'items' ORDER BY ordinal_position`)
    ).rows.map((x) => x.column_name),
    ['id', 'title'],
  );
  t.same(
    (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'items'`)).rows.map(
      (x) => x.column_name,
    ),
    ['id'],
    'public is untouched',
  );
});
