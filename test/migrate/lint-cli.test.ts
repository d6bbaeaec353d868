// The lint CLI as a user runs it: a real `sundial migrate lint` process for stdin, exit codes
// and bad paths; SARIF validated against the SARIF 2.1.0 schema (shipped in fixtures from the
// @microsoft/jest-sarif package); GitHub annotations; the config file; and convert.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import { formatGithub, formatJson, lintPath, lintStdin } from '../../src/migrate/lint/index.js';
import { parse } from 'yaml';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../../test/migrate/fixtures/sarif-2.1.0.schema.json', import.meta.url));

function sundial(args: string[], input?: string, cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, 'migrate', ...args], { input, encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sundial-lint-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

t.test('stdin: the SQL a tool prints is linted', async (t) => {
  const sql = `BEGIN;\n--\n-- Add field stock to product\n--\nALTER TABLE "shop_product" ADD COLUMN "stock" integer NOT NULL;\nCOMMIT;\n`;
  const r = sundial(['lint', '-'], sql);
  t.equal(r.code, 1);
  t.match(r.out, /<stdin>:5: error adding-required-field/);
  t.match(r.out, /sql \(from standard input\): 1 file, 3 statements/);
  const ok = await lintStdin(`SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nALTER TABLE t ADD COLUMN n text;\n`);
  t.same(ok.findings, []);
});

t.test('a path with no migrations exits 2 and names the layouts looked for', async (t) => {
  const root = project({ 'README.md': '# nothing here', 'src/app.js': 'console.log(1)' });
  const r = sundial(['lint', root]);
  t.equal(r.code, 2);
  t.match(r.err, /SUNDIAL_ERR_LINT_NO_MIGRATIONS: no migrations found in .*Looked for: Prisma .*Alembic/);
});

t.test('a missing path is a clear error, not ENOENT', async (t) => {
  const r = sundial(['lint', '/nonexistent/migrations']);
  t.equal(r.code, 2);
  t.match(r.err, /cannot lint \/nonexistent\/migrations: no such file or directory/);
  t.notMatch(r.err, /ENOENT/);
});

t.test('a YAML file that is no migration is not an SQL syntax error', async (t) => {
  const root = project({ 'migration.yaml': 'name: add_plan\noperations:\n  - add_column: { table: users }\n' });
  await t.rejects(lintPath(join(root, 'migration.yaml')), /no migrations found/);
});

t.test('summary names the tool and counts files and statements', async (t) => {
  const root = project({ 'db/V1__a.sql': 'CREATE TABLE a (id bigint);\nCREATE TABLE b (id bigint);\n', 'db/V2__b.sql': 'SELECT 1;\n', 'flyway.conf': '' });
  const j = JSON.parse(formatJson(await lintPath(root)));
  t.same(j.tools, [{ tool: 'flyway', detectedBy: 'flyway.conf', files: 2, statements: 3 }]);
});

t.test('--format sarif validates against the SARIF 2.1.0 schema', async (t) => {
  const root = project({ 'drizzle/0001_x.sql': `ALTER TABLE users RENAME COLUMN a TO b;\nCREATE INDEX i ON users (b);\n` });
  const r = sundial(['lint', root, '--format', 'sarif'], undefined, root);
  t.equal(r.code, 1);
  const log = JSON.parse(r.out);
  const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as new (o: object) => {
    compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
  };
  const ajv = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  t.ok(validate(log), JSON.stringify(validate.errors));
  const results = log.runs[0].results;
  t.same(
    results
      .filter((x: any) => x.level === 'error')
      .map((x: any) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine]),
    [
      ['renaming-column', 'drizzle/0001_x.sql', 1],
      ['require-concurrent-index-creation', 'drizzle/0001_x.sql', 2],
    ],
  );
  t.ok(
    log.runs[0].tool.driver.rules.every((d: any, i: number) => results.filter((x: any) => x.ruleIndex === i).every((x: any) => x.ruleId === d.id)),
    'ruleIndex points at its rule',
  );
  // A broken log must fail the same schema, or the check above proves nothing.
  t.notOk(validate({ ...log, version: '3.0' }));
});

t.test('--format github prints workflow annotations', async (t) => {
  const r = { out: formatGithub(await lintStdin('ALTER TABLE users DROP COLUMN a;\n')) };
  t.match(r.out, /^::error file=<stdin>,line=1,title=ban-drop-column::column "users"\."a" is dropped\./m);
  t.match(r.out, /^::warning file=<stdin>,line=1,title=require-lock-timeout::/m);
});

t.test('--pg-version follows the target version', async (t) => {
  const sql = `SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\n`;
  t.same((await lintStdin(sql)).findings, []);
  t.same(
    (await lintStdin(sql, { pgVersion: 10 })).findings.map((f) => f.rule),
    ['adding-field-with-default'],
  );
  t.equal(sundial(['lint', '-', '--pg-version', 'eleven'], sql).code, 2);
});

t.test('config: severities, excluded rules and paths, in .sundial-lint.yaml or a lint: block', async (t) => {
  const sql = { 'drizzle/0001_a.sql': 'ALTER TABLE users DROP COLUMN a;\n', 'drizzle/legacy/0000_b.sql': 'ALTER TABLE users RENAME TO people;\n' };
  const plain = await lintPath(project(sql));
  t.same(
    plain.findings
      .filter((f) => f.severity === 'error')
      .map((f) => f.rule)
      .sort(),
    ['ban-drop-column', 'renaming-table'],
  );
  const root = project({
    ...sql,
    '.sundial-lint.yaml':
      'rules:\n  ban-drop-column: warning\n  require-statement-timeout: off\nexclude_rules: [require-lock-timeout]\nexclude_paths: ["drizzle/legacy/**"]\n',
  });
  const r = await lintPath(root);
  t.same(
    r.findings.map((f) => `${f.rule}:${f.severity}`),
    ['ban-drop-column:warning'],
    'no error left',
  );
  const block = project({ ...sql, 'config/gateway.yaml': 'listen: { port: 8080 }\nlint:\n  exclude_rules: [ban-drop-column, renaming-table]\n' });
  t.same(
    (await lintPath(block)).findings.filter((f) => f.severity === 'error'),
    [],
    'a lint: block in config/gateway.yaml',
  );
  const bad = project({ ...sql, '.sundial-lint.yaml': 'rules:\n  no-such-rule: off\n' });
  await t.rejects(lintPath(bad), /invalid lint config .*\.sundial-lint\.yaml: field rules\.no-such-rule/);
});

t.test('transaction models: Knex transaction: false, Django atomic = False, Liquibase runInTransaction, Alembic autocommit_block', async (t) => {
  const idx = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email)';
  const cases: [string, Record<string, string>, boolean][] = [
    ['knex default', { 'migrations/001_a.js': `exports.up = (knex) => knex.raw('${idx}');\n` }, true],
    ['knex transaction: false', { 'migrations/001_a.js': `exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('${idx}');\n` }, false],
    [
      'django atomic',
      {
        'app/migrations/0001_a.py': `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("${idx}")]\n`,
      },
      true,
    ],
    [
      'django atomic = False',
      {
        'app/migrations/0001_a.py': `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    atomic = False\n    operations = [migrations.RunSQL("${idx}")]\n`,
      },
      false,
    ],
    ['liquibase changeset', { 'changelog.xml': `<databaseChangeLog><changeSet id="1" author="a"><sql>${idx}</sql></changeSet></databaseChangeLog>` }, true],
    [
      'liquibase runInTransaction="false"',
      { 'changelog.xml': `<databaseChangeLog><changeSet id="1" author="a" runInTransaction="false"><sql>${idx}</sql></changeSet></databaseChangeLog>` },
      false,
    ],
    ['alembic', { 'versions/a_x.py': `from alembic import op\nrevision = "a"\ndown_revision = None\n\ndef upgrade():\n    op.execute("${idx}")\n` }, true],
    [
      'alembic autocommit_block',
      {
        'versions/a_x.py': `from alembic import op\nrevision = "a"\ndown_revision = None\n\ndef upgrade():\n    with op.get_context().autocommit_block():\n        op.execute("${idx}")\n`,
      },
      false,
    ],
    [
      'sequelize (no transaction)',
      { 'migrations/001-a.js': `module.exports = { async up(queryInterface) { await queryInterface.sequelize.query('${idx}'); } };\n` },
      false,
    ],
    [
      'typeorm transaction = false',
      {
        'src/migrations/1-A.ts': `export class A1 implements MigrationInterface {\n  transaction = false;\n  async up(queryRunner: QueryRunner) { await queryRunner.query('${idx}'); }\n}\n`,
      },
      false,
    ],
  ];
  for (const [name, files, inTx] of cases) {
    const r = await lintPath(project(files));
    t.equal(
      r.findings.some((f) => f.rule === 'ban-concurrent-index-creation-in-transaction'),
      inTx,
      name,
    );
  }
});

t.test('convert: zero-downtime operations, each naming the rule it answers', async (t) => {
  const root = project({
    'migration.sql': `-- AlterTable\nALTER TABLE "users" RENAME COLUMN "nme" TO "name";\nALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL DEFAULT 'free';\nCREATE INDEX "users_plan_idx" ON "users"("plan");\nALTER TABLE "orders" ADD CONSTRAINT "orders_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;\nALTER TABLE "users" DROP COLUMN "legacy";\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n`,
  });
  const r = sundial(['convert', join(root, 'migration.sql'), '--name', '05_users']);
  t.equal(r.code, 0, r.err);
  const doc = parse(r.out);
  t.equal(doc.name, '05_users');
  t.same(
    doc.operations.map((o: object) => Object.keys(o)[0]),
    ['rename_column', 'add_column', 'create_index', 'create_constraint', 'alter_column', 'drop_column', 'sql'],
  );
  t.same(doc.operations[1].add_column, { table: 'users', column: { name: 'plan', type: 'text', nullable: false, default: "'free'" } });
  t.same(doc.operations[3].create_constraint, {
    table: 'orders',
    name: 'orders_user_fk',
    type: 'foreign_key',
    columns: ['user_id'],
    references: { table: 'users', columns: ['id'] },
  });
  t.equal(doc.operations[6].sql.up, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
  for (const rule of ['renaming-column', 'require-concurrent-index-creation', 'adding-foreign-key-constraint', 'adding-not-nullable-field', 'ban-drop-column'])
    t.match(r.out, new RegExp(`# answers ${rule}`), rule);
  t.match(r.out, /# not converted: no sundial operation does this/);
});
