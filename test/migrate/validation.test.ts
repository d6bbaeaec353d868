// A bad migration is refused before anything changes, with a message naming the file,
// the operation and the field.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usePostgres } from '../helpers/postgres.js';
import { schemaSnapshot } from './helpers/schema.js';
import { loadMigration, parseMigration } from '../../src/migrate/load.js';
import { startMigration } from '../../src/migrate/engine.js';
import { run } from '../../src/cli/migrate.js';
import { tempDir } from '../helpers/temp-dir.js';

const pgt = await usePostgres(t);
const url = await pgt.freshDatabase();
const db = await pgt.connect(url);
await db.query(`CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, age int); INSERT INTO users (name) VALUES ('a');
  CREATE TABLE nokey (a int)`);

const semantic: [string, unknown[], string][] = [
  [
    'unknown column',
    [{ rename_column: { table: 'users', from: 'nme', to: 'name2' } }],
    'operations[0].rename_column.from: column "nme" does not exist on table "users"',
  ],
  [
    'unknown table',
    [{ add_column: { table: 'userz', column: { name: 'x', type: 'int', nullable: true } } }],
    'operations[0].add_column.table: table "userz" does not exist',
  ],
  [
    'NOT NULL without up',
    [{ add_column: { table: 'users', column: { name: 'x', type: 'int', nullable: false } } }],
    'operations[0].add_column.up: a NOT NULL column without a default needs `up`',
  ],
  [
    'type change without down',
    [{ alter_column: { table: 'users', column: 'age', type: 'text', up: 'age::text' } }],
    'operations[0].alter_column.down: a type change needs `down`',
  ],
  [
    'existing column',
    [{ add_column: { table: 'users', column: { name: 'name', type: 'text', nullable: true } } }],
    'operations[0].add_column.column.name: column "name" already exists on table "users"',
  ],
  [
    'later operation sees earlier ones',
    [{ rename_column: { table: 'users', from: 'name', to: 'full_name' } }, { drop_column: { table: 'users', column: 'name' } }],
    'operations[1].drop_column.column: column "name" does not exist on table "users"',
  ],
  [
    'backfill needs a key',
    [{ add_column: { table: 'nokey', column: { name: 'b', type: 'int', nullable: true }, up: 'a' } }],
    'operations[0].add_column.table: table "nokey" has no primary key',
  ],
  [
    "columns are NOT NULL unless nullable is given (pgroll's default)",
    [{ add_column: { table: 'users', column: { name: 'x', type: 'int' } } }],
    'operations[0].add_column.up: a NOT NULL column without a default needs `up`',
  ],
  [
    'instant rename onto an existing column',
    [{ alter_column: { table: 'users', column: 'name', name: 'age' } }],
    'operations[0].alter_column.name: column "age" already exists on table "users"',
  ],
  [
    'sql onComplete with down',
    [{ sql: { up: 'SELECT 1', down: 'SELECT 2', onComplete: true } }],
    'operations[0].sql.down: `down` cannot go with `onComplete: true`',
  ],
  ['missing index', [{ drop_index: { name: 'nope_idx' } }], 'operations[0].drop_index.name: index "nope_idx" does not exist'],
  [
    'generated column with up',
    [{ add_column: { table: 'users', up: '1', column: { name: 'g', type: 'int', generated: { expression: 'age + 1' } } } }],
    'operations[0].add_column.up: a generated column computes its own values',
  ],
  [
    'generated column with a default',
    [{ add_column: { table: 'users', column: { name: 'g', type: 'int', default: '1', generated: { identity: {} } } } }],
    'operations[0].add_column.column.default: a generated column cannot have a default',
  ],
  [
    'exclusion constraint without exclude',
    [{ create_constraint: { table: 'users', name: 'users_excl', type: 'exclude' } }],
    'operations[0].create_constraint.exclude: an exclusion constraint needs `exclude',
  ],
  [
    'unique constraint without columns',
    [{ create_constraint: { table: 'users', name: 'users_u', type: 'unique' } }],
    'operations[0].create_constraint.columns: a unique constraint needs `columns`',
  ],
];

for (const [name, operations, message] of semantic) {
  t.test(name, async (t) => {
    const before = await schemaSnapshot(db);
    const err = await startMigration(db, parseMigration('migrations/03_rename.yaml', { name: 'm', operations })).catch((e) => e);
    t.equal(err.code, 'SUNDIAL_ERR_MIGRATE_INVALID');
    t.match(err.message, `migrations/03_rename.yaml: ${message}`);
    t.match(err.message, 'nothing was changed');
    t.same(await schemaSnapshot(db), before, 'nothing changed');
    t.equal((await db.query(`SELECT to_regnamespace('sundial_migrate') AS s`)).rows[0].s, null, 'not even sundial_migrate was created');
  });
}

const shape: [string, unknown, string][] = [
  ['unknown operation', { operations: [{ rename_colum: { table: 'users' } }] }, 'f.yaml: operations[0].rename_colum: unknown operation'],
  ['missing field', { operations: [{ rename_column: { table: 'users', from: 'name' } }] }, 'f.yaml: operations[0].rename_column.to:'],
  ['unknown field', { operations: [{ drop_table: { name: 'users', cascade: true } }] }, 'f.yaml: operations[0].drop_table:'],
  [
    'wrong type',
    { operations: [{ add_column: { table: 'users', column: { name: 'x', type: 'int', nullable: 'no' } } }] },
    'f.yaml: operations[0].add_column.column.nullable:',
  ],
  ['two keys', { operations: [{ drop_table: { name: 'a' }, sql: { up: 'x' } }] }, 'f.yaml: operations[0]: each operation is an object with exactly one key'],
  ['bad name', { name: 'has space', operations: [{ sql: { up: 'SELECT 1' } }] }, 'f.yaml: name:'],
  ['bad version_schema', { version_schema: 'a-b', operations: [{ sql: { up: 'SELECT 1' } }] }, 'f.yaml: version_schema:'],
];

for (const [name, doc, message] of shape) {
  t.test(`file shape: ${name}`, async (t) => {
    t.throws(() => parseMigration('f.yaml', doc), { code: 'SUNDIAL_ERR_MIGRATE_INVALID', message: new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  });
}

t.test('CLI: refused with the message and exit 1, database untouched', async (t) => {
  const dir = tempDir('sundial-val-');
  mkdirSync(join(dir, 'migrations'));
  const file = join(dir, 'migrations', '03_rename.yaml');
  writeFileSync(file, 'operations:\n  - rename_column: { table: users, from: nme, to: name2 }\n');
  t.equal((await loadMigration(file)).name, '03_rename', 'the name defaults to the file name');
  const before = await schemaSnapshot(db);
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => {
    err += s;
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await run(['start', file, '--database-url', url]);
  } finally {
    process.stderr.write = write;
  }
  t.equal(code, 1);
  t.match(err, `${file}: operations[0].rename_column.from: column "nme" does not exist on table "users"`);
  t.same(await schemaSnapshot(db), before);
});
