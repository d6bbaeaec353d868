// The history of migrations, in the database they change: schema sundial_migrate.
// A partial unique index allows one active migration per schema, even with two
// `sundial migrate start` racing.
import type pg from 'pg';
import { STATE_SCHEMA } from './sql.js';
import type { MigrationSteps } from './steps.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export type Phase = 'expanded' | 'indexed' | 'ready';

export interface MigrationRecord {
  id: number;
  schema: string;
  name: string;
  migration: { name: string; operations: unknown[] };
  parent: string | null;
  status: 'active' | 'complete' | 'rolled_back';
  phase: Phase;
  version_schema: string;
  old_version_schema: string;
  steps: MigrationSteps;
  started_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  rolled_back_at: Date | null;
}

export const MIGRATIONS = `${STATE_SCHEMA}.migrations`;
export const BACKFILL = `${STATE_SCHEMA}.backfill`;

export const stateDdl = [
  `CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`,
  `CREATE TABLE IF NOT EXISTS ${MIGRATIONS} (
     id bigserial PRIMARY KEY,
     schema text NOT NULL,
     name text NOT NULL,
     migration jsonb NOT NULL,
     parent text,
     status text NOT NULL CHECK (status IN ('active', 'complete', 'rolled_back')),
     phase text NOT NULL,
     version_schema text NOT NULL,
     old_version_schema text NOT NULL,
     steps jsonb NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     completed_at timestamptz,
     rolled_back_at timestamptz)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS migrations_one_active ON ${MIGRATIONS} (schema) WHERE status = 'active'`,
  `CREATE UNIQUE INDEX IF NOT EXISTS migrations_name_once ON ${MIGRATIONS} (schema, name) WHERE status <> 'rolled_back'`,
  `CREATE TABLE IF NOT EXISTS ${BACKFILL} (
     migration_id bigint NOT NULL REFERENCES ${MIGRATIONS} (id) ON DELETE CASCADE,
     tbl text NOT NULL,
     last_key jsonb,
     rows_done bigint NOT NULL DEFAULT 0,
     batches bigint NOT NULL DEFAULT 0,
     done boolean NOT NULL DEFAULT false,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (migration_id, tbl))`,
];

export async function ensureState(db: Queryable): Promise<void> {
  // Concurrent first runs could race on CREATE ... IF NOT EXISTS; a session advisory lock orders them.
  await db.query(`SELECT pg_advisory_lock(hashtext('sundial_migrate_state'))`);
  try {
    for (const sql of stateDdl) await db.query(sql);
  } finally {
    await db.query(`SELECT pg_advisory_unlock(hashtext('sundial_migrate_state'))`);
  }
}

export async function stateExists(db: Queryable): Promise<boolean> {
  const r = await db.query(`SELECT to_regclass('${MIGRATIONS}') IS NOT NULL AS ok`);
  return r.rows[0].ok;
}

export async function activeMigration(db: Queryable, schema: string): Promise<MigrationRecord | undefined> {
  const r = await db.query(`SELECT * FROM ${MIGRATIONS} WHERE schema = $1 AND status = 'active'`, [schema]);
  return r.rows[0];
}

export async function lastCompleted(db: Queryable, schema: string): Promise<MigrationRecord | undefined> {
  const r = await db.query(`SELECT * FROM ${MIGRATIONS} WHERE schema = $1 AND status = 'complete' ORDER BY completed_at DESC, id DESC LIMIT 1`, [schema]);
  return r.rows[0];
}

/**
 * The schema old clients use while a new migration runs: the previous migration's version
 * schema when it still exists, else the schema itself. Read-only: works before sundial's
 * own schema exists.
 */
export async function oldVersionSchema(db: Queryable, schema: string): Promise<{ oldVersion: string; parent?: MigrationRecord }> {
  if (!(await stateExists(db))) return { oldVersion: schema };
  const parent = await lastCompleted(db, schema);
  if (!parent) return { oldVersion: schema };
  const r = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [parent.version_schema]);
  return { oldVersion: r.rowCount ? parent.version_schema : schema, parent };
}

export async function history(db: Queryable, schema: string): Promise<MigrationRecord[]> {
  const r = await db.query(`SELECT * FROM ${MIGRATIONS} WHERE schema = $1 ORDER BY id`, [schema]);
  return r.rows;
}

export async function setPhase(db: Queryable, id: number, phase: Phase): Promise<void> {
  await db.query(`UPDATE ${MIGRATIONS} SET phase = $2, updated_at = now() WHERE id = $1`, [id, phase]);
}

export interface BackfillProgress {
  table: string;
  rowsDone: number;
  batches: number;
  done: boolean;
  lastKey: unknown[] | null;
}

export async function backfillProgress(db: Queryable, id: number): Promise<BackfillProgress[]> {
  const r = await db.query(`SELECT tbl, rows_done, batches, done, last_key FROM ${BACKFILL} WHERE migration_id = $1 ORDER BY tbl`, [id]);
  return r.rows.map((x) => ({ table: x.tbl, rowsDone: Number(x.rows_done), batches: Number(x.batches), done: x.done, lastKey: x.last_key }));
}
