// The runbook: its sections, the lock of each statement, and the backfill estimate from
// pg_class.reltuples (or "unknown" without a database).
import t from 'tap';
import { usePostgres } from '../helpers/postgres.js';
import { parseMigration } from '../../src/migrate/load.js';
import { planInput } from '../../src/migrate/plan-input.js';
import { renderPlan } from '../../src/migrate/plan.js';

const migration = parseMigration('migrations/04_accounts.yaml', {
  name: 'accounts_v2',
  operations: [
    { rename_column: { table: 'accounts', from: 'nme', to: 'name' } },
    { alter_column: { table: 'accounts', column: 'age', type: 'bigint', nullable: false, up: 'coalesce(age, 0)', down: 'age::int' } },
    { create_index: { name: 'accounts_name_idx', table: 'accounts', columns: ['name'] } },
  ],
});

function section(md: string, title: string): string {
  const start = md.indexOf(`## ${title}`);
  const next = md.indexOf('\n## ', start + 1);
  return start < 0 ? '' : md.slice(start, next < 0 ? undefined : next);
}

t.test('without a database', async (t) => {
  const md = renderPlan(await planInput(undefined, migration, 'public', 1000, 500));
  for (const s of [
    'Overview',
    'Backfill estimate',
    'Phase 1: Expand',
    'Phase 2: Migrate',
    'Phase 3: Contract',
    'Lock analysis',
    'Rollback plan',
    'Success criteria',
  ]) {
    t.ok(section(md, s), `has ${s}`);
  }
  const overview = section(md, 'Overview');
  t.match(overview, /\| 1 \| rename column accounts.nme to name \| `rename_column` \|/);
  t.match(overview, /\| 2 \| alter column accounts.age: type bigint, SET NOT NULL \| `alter_column` \|.*backfill of unknown rows/);
  t.match(overview, /\| 3 \| .* \| `create_index` \| .* \| SHARE UPDATE EXCLUSIVE; scans table without blocking writes \| seconds/);
  t.match(section(md, 'Backfill estimate'), /\| `accounts` \| unknown \| unknown \|/);
  const expand = section(md, 'Phase 1: Expand');
  t.match(
    expand,
    /- \[ \] Expand: .*\n  ```sql\n  ALTER TABLE "public"."accounts" ADD COLUMN "_sundial_new_age" bigint\n  ```\n  Lock: \*\*ACCESS EXCLUSIVE\*\* on `accounts`/,
  );
  t.match(expand, /CHECK \("_sundial_new_age" IS NOT NULL\) NOT VALID/);
  t.match(expand, /CREATE INDEX CONCURRENTLY IF NOT EXISTS "accounts_name_idx"[^]*Lock: \*\*SHARE UPDATE EXCLUSIVE\*\*/);
  const contract = section(md, 'Phase 3: Contract');
  t.match(
    contract,
    /VALIDATE CONSTRAINT "_sundial_accounts_age_not_null"\n  ```\n  Lock: \*\*SHARE UPDATE EXCLUSIVE\*\* on `accounts`, blocks other DDL and VACUUM; reads and writes go on. Rewrites table: no. Scans table: yes./,
  );
  t.match(contract, /SET NOT NULL[^]*Scans table: no/);
  t.match(contract, /RENAME COLUMN "nme" TO "name"/);
  const locks = section(md, 'Lock analysis');
  t.match(locks, /\| Expand \| `CREATE TRIGGER [^|]*` \| SHARE ROW EXCLUSIVE \| `accounts` \| no \| no \|/);
  t.match(locks, /\| Rollback \| `ALTER TABLE IF EXISTS "public"."accounts" DROP COLUMN IF EXISTS "_sundial_new_age"` \| ACCESS EXCLUSIVE \|/);
  t.match(locks, /\| Migrate \| `SELECT count\(\*\)::int AS n, [^|]*` \| ROW EXCLUSIVE \| `accounts` \| no \| no \|/, 'the backfill batch statement');
  t.notMatch(locks, /\| yes \| no \|/, 'no statement rewrites a table');
  t.match(section(md, 'Rollback plan'), /sundial migrate rollback/);
  t.match(section(md, 'Success criteria'), /- \[ \] /);
});

t.test('with a database: validated, row estimates from reltuples', async (t) => {
  const pgt = await usePostgres(t);
  const db = await pgt.connect(await pgt.freshDatabase());
  await db.query(`CREATE TABLE accounts (id bigserial PRIMARY KEY, nme text, age int);
    INSERT INTO accounts (nme, age) SELECT 'a' || g, g FROM generate_series(1, 4321) g; ANALYZE accounts;`);
  const md = renderPlan(await planInput(db, migration, 'public', 1000, 500));
  t.match(section(md, 'Backfill estimate'), /\| `accounts` \| ~4,321 \| 5 \|/);
  t.match(section(md, 'Overview'), /backfill of ~4,321 rows/);
  const bad = parseMigration('x.yaml', { operations: [{ rename_column: { table: 'accounts', from: 'nope', to: 'x' } }] });
  await t.rejects(planInput(db, bad, 'public', 1000, 500), { code: 'SUNDIAL_ERR_MIGRATE_INVALID' });
});

t.test('generated columns, exclusion constraints and index tablespaces name their locks', async (t) => {
  const m = parseMigration('migrations/09_shelves.yaml', {
    operations: [
      { add_column: { table: 'shelves', column: { name: 'width', type: 'int', nullable: true, generated: { expression: 'ends - starts' } } } },
      { add_column: { table: 'shelves', column: { name: 'n', type: 'bigint', generated: { identity: { user_specified_values: 'BY DEFAULT' } } } } },
      { create_constraint: { table: 'shelves', name: 'no_overlap', type: 'exclude', exclude: { elements: 'int4range(starts, ends) WITH &&' } } },
      { create_index: { table: 'shelves', name: 'shelves_label_idx', columns: ['label'], tablespace: 'fast_disk' } },
    ],
  });
  const md = renderPlan(await planInput(undefined, m, 'public', 1000, 500));
  const locks = section(md, 'Lock analysis');
  t.match(
    locks,
    /\| Expand \| `ALTER TABLE "public"."shelves" ADD COLUMN "_sundial_new_width" int GENERATED[^|]*` \| ACCESS EXCLUSIVE \| `shelves` \| yes \| no \|/,
    'the stored generated column: ACCESS EXCLUSIVE, rewrites the table',
  );
  t.match(
    locks,
    /\| Expand \| `ALTER TABLE "public"."shelves" ADD COLUMN "_sundial_new_n" bigint GENERATED[^|]*` \| ACCESS EXCLUSIVE \| `shelves` \| yes \| no \|/,
    'the identity column too',
  );
  t.match(
    locks,
    /\| Expand \| `ALTER TABLE "public"."shelves" ADD CONSTRAINT "no_overlap" EXCLUDE[^|]*` \| ACCESS EXCLUSIVE \| `shelves` \| no \| yes \|/,
    'the exclusion constraint: ACCESS EXCLUSIVE while its index builds',
  );
  t.match(
    locks,
    /\| Expand \| `CREATE INDEX CONCURRENTLY IF NOT EXISTS "shelves_label_idx"[^|]*` \| SHARE UPDATE EXCLUSIVE \| `shelves` \| no \| yes \|/,
    'the index, built concurrently',
  );
  const expand = section(md, 'Phase 1: Expand');
  t.match(expand, 'ADD COLUMN "_sundial_new_width" int GENERATED ALWAYS AS (ends - starts) STORED');
  t.match(expand, 'ADD COLUMN "_sundial_new_n" bigint GENERATED BY DEFAULT AS IDENTITY');
  t.match(expand, 'ADD CONSTRAINT "no_overlap" EXCLUDE USING gist (int4range(starts, ends) WITH &&)');
  t.match(expand, 'ON "public"."shelves" ("label") TABLESPACE "fast_disk"');
});
