// For each of the nine migration tools: realistic migrations in the tool's own idiom
// (test/migrate/fixtures/lint/<tool>), found by layout, detected from the tool's own files,
// read in the tool's order with its transaction model, with the expected error findings at
// the expected lines of the tool's files, and a safe migration with no finding at all.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { lintPath } from '../../src/migrate/lint/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/migrate/fixtures/lint', import.meta.url));

const expected: Record<string, { detectedBy: string; files: number; safe: string; errors: string[] }> = {
  prisma: {
    detectedBy: 'package.json (prisma)',
    files: 5,
    safe: 'prisma/migrations/20240415000000_safe_notes/migration.sql',
    errors: [
      // "Account" was created in the first migration of the set: changing it later is free.
      'prisma/migrations/20240205093000_add_plan/migration.sql:2:adding-required-field',
      'prisma/migrations/20240310120000_email_index/migration.sql:2:require-concurrent-index-deletion',
      // Prisma runs the file in one transaction.
      'prisma/migrations/20240310120000_email_index/migration.sql:5:ban-concurrent-index-creation-in-transaction',
      'prisma/migrations/20240401080000_drop_legacy/migration.sql:2:ban-drop-column',
      'prisma/migrations/20240401080000_drop_legacy/migration.sql:3:changing-column-type',
    ],
  },
  drizzle: {
    detectedBy: 'package.json (drizzle-kit)',
    files: 4,
    safe: 'drizzle/0003_quiet_rogue.sql',
    errors: [
      'drizzle/0000_tidy_wolverine.sql:2:require-concurrent-index-creation',
      'drizzle/0001_brave_hulk.sql:1:renaming-column',
      'drizzle/0001_brave_hulk.sql:2:require-concurrent-index-deletion',
      'drizzle/0002_calm_storm.sql:7:adding-foreign-key-constraint',
    ],
  },
  flyway: {
    detectedBy: 'flyway.conf',
    files: 7,
    safe: 'db/migration/V10__safe.sql',
    errors: [
      // V4's SET NOT NULL is not flagged: V2 added the CHECK NOT VALID and V3 validated it.
      'db/migration/V4__name_required.sql:4:changing-column-type',
      // V5 is run outside a transaction by Flyway (CREATE INDEX CONCURRENTLY); V6 opens one itself.
      'db/migration/V6__mixed.sql:4:ban-concurrent-index-creation-in-transaction',
    ],
  },
  typeorm: {
    detectedBy: 'package.json (typeorm)',
    files: 4,
    safe: 'src/migrations/1700000300000-SafeConcurrent.ts',
    errors: [
      'src/migrations/1700000000000-AddRoleType.ts:7:adding-required-field',
      'src/migrations/1700000000000-AddRoleType.ts:9:require-concurrent-index-creation',
      // TableColumn is NOT NULL unless isNullable: true.
      'src/migrations/1700000100000-ProfileColumns.ts:5:adding-required-field',
      'src/migrations/1700000100000-ProfileColumns.ts:9:renaming-column',
      'src/migrations/1700000100000-ProfileColumns.ts:10:require-concurrent-index-creation',
      'src/migrations/1700000200000-ConcurrentIndex.ts:5:ban-concurrent-index-creation-in-transaction',
      'src/migrations/1700000200000-ConcurrentIndex.ts:6:ban-drop-column',
    ],
  },
  knex: {
    detectedBy: 'package.json (knex)',
    files: 4,
    safe: 'migrations/20240104120000_safe_concurrent.js',
    errors: [
      'migrations/20240101120000_add_username.js:3:adding-required-field',
      'migrations/20240102120000_posts.js:9:changing-column-type',
      'migrations/20240102120000_posts.js:10:renaming-column',
      'migrations/20240103120000_index_email.ts:4:ban-concurrent-index-creation-in-transaction',
      'migrations/20240103120000_index_email.ts:6:require-concurrent-index-creation',
    ],
  },
  sequelize: {
    detectedBy: 'package.json (sequelize)',
    files: 4,
    safe: 'migrations/20240104000000-safe-index.js',
    errors: [
      'migrations/20240101000000-messages-content.js:5:adding-not-nullable-field',
      'migrations/20240101000000-messages-content.js:5:changing-column-type',
      'migrations/20240102000000-messages-sender.js:5:adding-foreign-key-constraint',
      'migrations/20240102000000-messages-sender.js:9:require-concurrent-index-creation',
      // UUIDV4 is filled in by Sequelize, not by a database default.
      'migrations/20240102000000-messages-sender.js:10:adding-required-field',
      'migrations/20240103000000-messages-cleanup.js:5:ban-drop-column',
      'migrations/20240103000000-messages-cleanup.js:6:renaming-table',
      'migrations/20240103000000-messages-cleanup.js:7:ban-truncate-cascade',
    ],
  },
  django: {
    detectedBy: 'manage.py',
    files: 4,
    safe: 'shop/migrations/0004_safe_index.py',
    errors: [
      // Coupon is created in this migration, so its AddField is free; product is an existing table.
      'shop/migrations/0001_initial.py:23:adding-required-field',
      'shop/migrations/0002_product_changes.py:9:adding-required-field',
      'shop/migrations/0002_product_changes.py:14:renaming-column',
      'shop/migrations/0002_product_changes.py:19:adding-not-nullable-field',
      'shop/migrations/0002_product_changes.py:19:disallowed-unique-constraint',
      'shop/migrations/0003_concurrent_index.py:10:ban-concurrent-index-creation-in-transaction',
      'shop/migrations/0003_concurrent_index.py:14:ban-drop-column',
      'shop/migrations/0003_concurrent_index.py:15:ban-drop-column',
    ],
  },
  alembic: {
    detectedBy: 'alembic.ini',
    files: 4,
    safe: 'alembic/versions/ddee11ff2233_safe_autocommit.py',
    errors: [
      'alembic/versions/a1b2c3d4e5f6_add_customer_region.py:16:adding-required-field',
      'alembic/versions/a1b2c3d4e5f6_add_customer_region.py:17:require-concurrent-index-creation',
      'alembic/versions/0f9e8d7c6b5a_region_required.py:14:adding-not-nullable-field',
      'alembic/versions/0f9e8d7c6b5a_region_required.py:15:adding-foreign-key-constraint',
      'alembic/versions/0f9e8d7c6b5a_region_required.py:16:renaming-column',
      'alembic/versions/77aa88bb99cc_concurrent_index.py:13:ban-concurrent-index-creation-in-transaction',
      'alembic/versions/77aa88bb99cc_concurrent_index.py:14:disallowed-unique-constraint',
    ],
  },
  liquibase: {
    detectedBy: 'liquibase.properties',
    files: 4,
    safe: 'db/changelog/db.changelog-master.xml:29',
    errors: [
      'db/changelog/changes/003-yaml.yaml:7:changing-column-type',
      'db/changelog/changes/003-yaml.yaml:11:adding-not-nullable-field',
      'db/changelog/changes/003-yaml.yaml:14:require-concurrent-index-deletion',
      'db/changelog/changes/004-json.json:9:disallowed-unique-constraint',
      'db/changelog/changes/004-json.json:16:ban-drop-column',
      'db/changelog/changes/005-formatted.sql:4:renaming-table',
      'db/changelog/db.changelog-master.xml:18:adding-required-field',
      'db/changelog/db.changelog-master.xml:23:renaming-column',
      'db/changelog/db.changelog-master.xml:24:adding-foreign-key-constraint',
    ],
  },
};

for (const [tool, want] of Object.entries(expected)) {
  t.test(tool, async (t) => {
    const root = join(FIXTURES, tool);
    const s = await lintPath(root, { config: { style: false } });
    t.same(
      s.sets.map((x) => [x.tool, x.detectedBy, x.files]),
      [[tool, want.detectedBy, want.files]],
      'found, detected from its own files, every file read',
    );
    t.ok(s.sets[0].statements > want.files, 'statements counted');
    const errors = s.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${relative(root, f.file)}:${f.line}:${f.rule}`)
      .sort();
    t.same(errors, [...want.errors].sort(), 'expected errors at the expected lines');
    const [safeFile, fromLine] = want.safe.split(':');
    // For Liquibase the safe changeset is the last one of the master changelog, from line 29.
    const inSafe = s.findings.filter((f) => relative(root, f.file) === safeFile && f.line >= Number(fromLine ?? 0));
    t.same(inSafe, [], 'the safe migration has no finding');
  });
}

t.test('a repository with several tools lints each as its own set', async (t) => {
  const s = await lintPath(FIXTURES, { config: { style: false } });
  t.same(s.sets.map((x) => x.tool).sort(), ['alembic', 'django', 'drizzle', 'flyway', 'knex', 'liquibase', 'prisma', 'sequelize', 'typeorm']);
});
