// `sundial migrate apply DIR`: every file not applied yet, in order; all but the last
// completed; the first failure stops the run with the state and the next step. Real PostgreSQL.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usePostgres } from '../helpers/postgres.js';
import { applyDirectory } from '../../src/migrate/apply.js';
import { history } from '../../src/migrate/state.js';

const pgt = await usePostgres(t);

t.test('applies in order, leaves the last active, picks up where it stopped', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  const dir = mkdtempSync(join(tmpdir(), 'sundial-apply-'));
  writeFileSync(
    join(dir, '01_users.yaml'),
    'operations:\n  - create_table: { name: users, columns: [{ name: id, type: serial, pk: true }, { name: name, type: text }] }\n',
  );
  writeFileSync(
    join(dir, '02_email.json'),
    JSON.stringify({ operations: [{ add_column: { table: 'users', column: { name: 'email', type: 'text', nullable: true } } }] }),
  );
  writeFileSync(join(dir, 'README.md'), 'not a migration');

  const r1 = await applyDirectory(db, dir);
  t.same(
    r1.applied.map((a) => [a.name, a.action]),
    [
      ['01_users', 'started and completed'],
      ['02_email', 'started'],
    ],
  );
  t.equal(r1.active, '02_email', 'the last one stays active: both versions run');
  t.same(
    (await history(db, 'public')).map((m) => [m.name, m.status]),
    [
      ['01_users', 'complete'],
      ['02_email', 'active'],
    ],
  );

  writeFileSync(join(dir, '03_bad.yaml'), 'operations:\n  - add_column: { table: users, column: { name: age, type: int } }\n');
  const err = await applyDirectory(db, dir).catch((e) => e);
  t.equal(err.code, 'SUNDIAL_ERR_MIGRATE_APPLY_STOPPED');
  t.match(err.message, /stopped at .*03_bad\.yaml \(2 of 2 pending; applied before it: 02_email\)/);
  t.match(err.message, /needs `up`/);
  t.match(err.message, /re-run `sundial migrate apply/);
  t.same(
    (await history(db, 'public')).map((m) => [m.name, m.status]),
    [
      ['01_users', 'complete'],
      ['02_email', 'complete'],
    ],
    'the active one was completed before the bad file, which changed nothing',
  );

  writeFileSync(join(dir, '03_bad.yaml'), 'operations:\n  - add_column: { table: users, column: { name: age, type: int, nullable: true } }\n');
  const r3 = await applyDirectory(db, dir, { complete: true });
  t.same(r3.skipped, ['01_users', '02_email']);
  t.same(
    r3.applied.map((a) => [a.name, a.action]),
    [['03_bad', 'started and completed']],
  );
  t.equal(r3.active, undefined, '--complete completes the last one too');
  const cols = (
    await db.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position`)
  ).rows.map((r) => r.column_name);
  t.same(cols, ['id', 'name', 'email', 'age']);
  t.same((await applyDirectory(db, dir)).applied, [], 'nothing left to apply');
});
