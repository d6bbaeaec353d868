// A corpus over squawk's safety rules (and sundial's own), written for this project: each
// unsafe case names the rule that must flag it; each safe case must get no error. The test
// measures recall (at least 95%) and false alarms (at most 3%) and lists what it missed.
import t from 'tap';
import { lintSql } from '../../src/migrate/lint/index.js';

const T = `SET lock_timeout = '500ms';\nSET statement_timeout = '5s';\n`;

const unsafe: [string, string][] = [
  ['adding-field-with-default', `ALTER TABLE accounts ADD COLUMN ref uuid DEFAULT gen_random_uuid();`],
  ['adding-field-with-default', `ALTER TABLE accounts ADD COLUMN r float8 DEFAULT random();`],
  ['adding-field-with-default', `ALTER TABLE accounts ADD COLUMN seen timestamptz DEFAULT clock_timestamp();`],
  ['adding-field-with-default', `ALTER TABLE accounts ADD COLUMN n bigserial;`],
  ['adding-field-with-default', `ALTER TABLE accounts ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;`],
  ['adding-required-field', `ALTER TABLE accounts ADD COLUMN region text NOT NULL;`],
  ['adding-required-field', `ALTER TABLE "Accounts" ADD COLUMN "tier" INTEGER NOT NULL;`],
  ['adding-serial-primary-key-field', `ALTER TABLE events ADD COLUMN id bigint PRIMARY KEY;`],
  ['adding-primary-key-constraint', `ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);`],
  ['adding-not-nullable-field', `ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;`],
  ['adding-foreign-key-constraint', `ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);`],
  ['adding-foreign-key-constraint', `ALTER TABLE orders ADD COLUMN account_id bigint REFERENCES accounts (id);`],
  ['constraint-missing-not-valid', `ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);`],
  [
    'constraint-missing-not-valid',
    `BEGIN;\nALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT qty_positive;\nCOMMIT;`,
  ],
  ['disallowed-unique-constraint', `ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);`],
  ['disallowed-unique-constraint', `ALTER TABLE accounts ADD COLUMN handle text UNIQUE;`],
  ['changing-column-type', `ALTER TABLE accounts ALTER COLUMN id TYPE bigint;`],
  ['changing-column-type', `ALTER TABLE accounts ALTER COLUMN name SET DATA TYPE varchar(50);`],
  ['renaming-column', `ALTER TABLE accounts RENAME COLUMN nm TO name;`],
  ['renaming-table', `ALTER TABLE accounts RENAME TO customers;`],
  ['ban-drop-column', `ALTER TABLE accounts DROP COLUMN fax;`],
  ['ban-drop-column', `ALTER TABLE accounts DROP COLUMN IF EXISTS fax;`],
  ['ban-drop-table', `DROP TABLE accounts;`],
  ['ban-drop-table', `DROP TABLE IF EXISTS sessions, tokens;`],
  ['ban-drop-database', `DROP DATABASE legacy;`],
  ['ban-truncate-cascade', `TRUNCATE accounts CASCADE;`],
  ['require-concurrent-index-creation', `CREATE INDEX accounts_email_idx ON accounts (email);`],
  ['require-concurrent-index-creation', `CREATE UNIQUE INDEX accounts_handle_key ON accounts USING btree (handle);`],
  ['require-concurrent-index-deletion', `DROP INDEX accounts_email_idx;`],
  ['require-concurrent-index-deletion', `DROP INDEX IF EXISTS "Account_email_idx";`],
  ['require-concurrent-reindex', `REINDEX TABLE accounts;`],
  ['ban-concurrent-index-creation-in-transaction', `BEGIN;\nCREATE INDEX CONCURRENTLY i ON accounts (email);\nCOMMIT;`],
  ['ban-concurrent-index-creation-in-transaction', `BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;`],
  ['ban-vacuum-full', `VACUUM FULL accounts;`],
  ['ban-cluster', `CLUSTER accounts USING accounts_pkey;`],
  ['transaction-nesting', `BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;`],
  ['ban-uncommitted-transaction', `BEGIN;\nALTER TABLE accounts ADD COLUMN note text;`],
  ['ban-create-domain-with-constraint', `CREATE DOMAIN us_zip AS text CHECK (VALUE ~ '^\\d{5}$');`],
  ['ban-alter-domain-with-add-constraint', `ALTER DOMAIN us_zip ADD CONSTRAINT zip_len CHECK (length(VALUE) = 5);`],
];
// Missing settings are checked without the preamble.
const unsafeBare: [string, string][] = [
  ['require-lock-timeout', `ALTER TABLE accounts ADD COLUMN note text;`],
  ['require-lock-timeout', `COMMENT ON TABLE accounts IS 'customer accounts';`],
  ['require-lock-timeout', `CREATE TYPE status AS ENUM ('new', 'done');`],
  ['require-statement-timeout', `SET lock_timeout = '1s';\nLOCK TABLE accounts IN SHARE MODE;`],
];

const safe: string[] = [
  `ALTER TABLE accounts ADD COLUMN note text;`,
  `ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';`,
  `ALTER TABLE accounts ADD COLUMN score int DEFAULT 2 + 2;`,
  `ALTER TABLE accounts ADD COLUMN since timestamptz DEFAULT now() - interval '100 years';`,
  `ALTER TABLE accounts ADD COLUMN created timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;`,
  `ALTER TABLE accounts ADD COLUMN tags text[] DEFAULT '{}';`,
  `ALTER TABLE accounts ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb;`,
  `ALTER TABLE accounts ADD COLUMN active boolean DEFAULT true;`,
  `ALTER TABLE accounts ADD COLUMN key text DEFAULT lower('ABC');`,
  `ALTER TABLE accounts ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;`,
  `ALTER TABLE accounts VALIDATE CONSTRAINT email_nn;`,
  `ALTER TABLE accounts ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE accounts VALIDATE CONSTRAINT nn;\nALTER TABLE accounts ALTER COLUMN email SET NOT NULL;`,
  `ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;`,
  `ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_idx;`,
  `ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;`,
  `CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email);`,
  `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_handle_key ON accounts (handle);`,
  `DROP INDEX CONCURRENTLY IF EXISTS accounts_email_idx;`,
  `REINDEX INDEX CONCURRENTLY accounts_email_idx;`,
  `CREATE TABLE ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL, amount numeric NOT NULL);`,
  `CREATE TABLE ledger (id bigint PRIMARY KEY, note text);\nCREATE INDEX ledger_note_idx ON ledger (note);\nALTER TABLE ledger ADD COLUMN extra text NOT NULL;`,
  `CREATE TABLE tmp (id bigint);\nALTER TABLE tmp RENAME COLUMN id TO tmp_id;\nALTER TABLE tmp RENAME TO tmp2;\nDROP TABLE tmp2;`,
  `CREATE TABLE t2 (id bigint, v text);\nALTER TABLE t2 ALTER COLUMN v TYPE varchar(10);\nALTER TABLE t2 ADD CONSTRAINT v_key UNIQUE (v);`,
  `BEGIN;\nALTER TABLE accounts ADD COLUMN note2 text;\nCOMMIT;`,
  `BEGIN;\nALTER TABLE orders ADD CONSTRAINT qty CHECK (qty > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE orders VALIDATE CONSTRAINT qty;\nCOMMIT;`,
  `TRUNCATE audit_log;`,
  `VACUUM (ANALYZE) accounts;`,
  `ANALYZE accounts;`,
  `CREATE DOMAIN label AS text;`,
  `ALTER DOMAIN us_zip ADD CONSTRAINT zip_len CHECK (length(VALUE) = 5) NOT VALID;`,
  `ALTER TYPE status ADD VALUE 'archived' AFTER 'done';`,
  `COMMENT ON COLUMN accounts.email IS 'login';`,
  `CREATE EXTENSION IF NOT EXISTS pgcrypto;`,
  `INSERT INTO settings (k, v) VALUES ('x', '1');`,
  `UPDATE accounts SET plan = 'free' WHERE plan IS NULL AND id < 1000;`,
  `CREATE OR REPLACE VIEW active_accounts AS SELECT * FROM accounts WHERE active;`,
  `ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'pro';`,
  `CREATE SCHEMA IF NOT EXISTS reporting;`,
];

t.test('recall and false alarms on the corpus', async (t) => {
  const missed: string[] = [];
  for (const [rule, sql] of [...unsafe.map(([r, s]) => [r, T + s]), ...unsafeBare] as [string, string][]) {
    const f = await lintSql('case.sql', sql);
    if (!f.some((x) => x.rule === rule)) missed.push(`${rule}: ${sql}`);
  }
  const alarms: string[] = [];
  for (const sql of safe) {
    const f = (await lintSql('case.sql', T + sql)).filter((x) => x.severity === 'error');
    if (f.length) alarms.push(`${f.map((x) => x.rule).join(',')}: ${sql}`);
  }
  const total = unsafe.length + unsafeBare.length;
  const recall = (total - missed.length) / total;
  const falseAlarms = alarms.length / safe.length;
  t.comment(`recall ${(recall * 100).toFixed(1)}% of ${total}, false alarms ${(falseAlarms * 100).toFixed(1)}% of ${safe.length}`);
  t.ok(recall >= 0.95, `recall ${recall}; missed:\n${missed.join('\n')}`);
  t.ok(falseAlarms <= 0.03, `false alarms ${falseAlarms}:\n${alarms.join('\n')}`);
  t.ok(total >= 40 && safe.length >= 35, 'the corpus is large enough for the percentages to mean something');
});
