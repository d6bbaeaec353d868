// start, complete and rollback: runs the steps built by steps.ts, in three stages each
// (alone before, one transaction, alone after), records progress in sundial_migrate and
// turns every failure into an error that says what state the schema is in and what to do.
import type pg from 'pg';
import {
  ERR_MIGRATE_ACTIVE,
  ERR_MIGRATE_INVALID,
  ERR_MIGRATE_MISMATCH,
  ERR_MIGRATE_NONE_ACTIVE,
  ERR_MIGRATE_NOT_READY,
  ERR_MIGRATE_STEP_FAILED,
  SundialError,
} from '../errors.js';
import { type BackfillOptions, defaultBackfillOptions, runBackfill } from './backfill.js';
import { readModel, schemaExists } from './catalog.js';
import { type EventSink, ignoreEvents } from './events.js';
import type { Migration } from './load.js';
import { type LockOptions, defaultLockOptions, transaction, withLockRetry } from './locks.js';
import type { Step } from './operation.js';
import { ident, qualified } from './sql.js';
import { MIGRATIONS, type MigrationRecord, activeMigration, ensureState, oldVersionSchema, setPhase, stateExists } from './state.js';
import { type MigrationSteps, buildSteps } from './steps.js';
import { viewSteps } from './views.js';
import type { SchemaModel } from './model.js';

export interface EngineOptions {
  schema: string;
  locks: LockOptions;
  backfill: BackfillOptions;
  onEvent: EventSink;
}

export type EngineInput = Partial<Pick<EngineOptions, 'schema' | 'onEvent'>> & {
  locks?: Partial<LockOptions>;
  backfill?: Partial<BackfillOptions>;
};

export function engineOptions(partial: EngineInput = {}): EngineOptions {
  return {
    schema: partial.schema ?? 'public',
    locks: { ...defaultLockOptions, ...partial.locks },
    backfill: { ...defaultBackfillOptions, ...partial.backfill },
    onEvent: partial.onEvent ?? ignoreEvents,
  };
}

/** What is stored with the migration: the steps, without the in-memory model. */
type StoredSteps = Omit<MigrationSteps, 'after' | 'perOperation'>;

async function prepare(client: pg.ClientBase, o: EngineOptions): Promise<void> {
  await ensureState(client);
  // Alone-run statements (CONCURRENTLY, VALIDATE) use the session setting; transactions SET LOCAL.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(o.locks.lockTimeoutMs))}`);
  // The backfill and `up` expressions run as a writer of the physical schema (never the new version).
  await client.query(`SET search_path TO ${ident(o.schema)}`);
}

async function exec(client: pg.ClientBase, phase: string, step: Step, o: EngineOptions): Promise<void> {
  o.onEvent({ type: 'step', phase, sql: step.sql });
  await client.query(step.sql);
}

function stepFailed(phase: string, step: Step, err: unknown, advice: string): Error {
  if (err instanceof SundialError) return err;
  return ERR_MIGRATE_STEP_FAILED(phase, step.sql, (err as Error).message, advice);
}

async function dropInvalidIndex(client: pg.ClientBase, o: EngineOptions, index: string): Promise<void> {
  const r = await client.query(
    `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND NOT i.indisvalid`,
    [o.schema, index],
  );
  if (r.rowCount) {
    o.onEvent({ type: 'index-cleanup', index });
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(o.schema, index)}`);
  }
}

/** A statement that must run outside a transaction, retried when its lock is refused. */
async function runAlone(client: pg.ClientBase, phase: string, step: Step, o: EngineOptions, advice: string): Promise<void> {
  try {
    await withLockRetry(step.sql, o.locks, o.onEvent, async () => {
      // An interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index that IF NOT EXISTS would keep.
      if (step.index) await dropInvalidIndex(client, o, step.index);
      try {
        await exec(client, phase, step, o);
      } catch (err) {
        if (step.index) await dropInvalidIndex(client, o, step.index);
        throw err;
      }
    });
  } catch (err) {
    throw stepFailed(phase, step, err, advice);
  }
}

async function runTransaction(
  client: pg.ClientBase,
  phase: string,
  steps: Step[],
  o: EngineOptions,
  advice: string,
  more?: () => Promise<void>,
): Promise<void> {
  let current: Step | undefined;
  try {
    await transaction(client, `${phase} (${steps.length} statements)`, o.locks, o.onEvent, async () => {
      for (const step of steps) {
        current = step;
        await exec(client, phase, step, o);
      }
      current = undefined;
      await more?.();
    });
  } catch (err) {
    throw stepFailed(phase, current ?? ({ sql: '(bookkeeping)' } as Step), err, advice);
  }
}

/** Compared as jsonb, which ignores key order and whitespace: the file may be reformatted, not changed. */
async function sameOperations(client: pg.ClientBase, id: number, operations: unknown): Promise<boolean> {
  const r = await client.query(`SELECT migration->'operations' = $2::jsonb AS same FROM ${MIGRATIONS} WHERE id = $1`, [id, JSON.stringify(operations)]);
  return r.rows[0]?.same === true;
}

export interface StartResult {
  name: string;
  version: string;
  oldVersion: string;
  resumed: boolean;
}

export async function startMigration(client: pg.ClientBase, migration: Migration, options: EngineInput = {}): Promise<StartResult> {
  const o = engineOptions(options);
  // Read-only until the migration is known to be valid: a refused migration changes nothing,
  // not even by creating sundial's own schema.
  const active = (await stateExists(client)) ? await activeMigration(client, o.schema) : undefined;
  if (active) {
    if (active.name !== migration.name) throw ERR_MIGRATE_ACTIVE(active.name, o.schema);
    if (!(await sameOperations(client, active.id, migration.raw))) throw ERR_MIGRATE_MISMATCH(active.name, migration.source);
    if (active.phase === 'ready') throw ERR_MIGRATE_ACTIVE(active.name, o.schema);
    o.onEvent({ type: 'info', message: `resuming migration "${active.name}" from phase ${active.phase}` });
    await prepare(client, o);
    await finishStart(client, active, migration.source, o);
    return { name: active.name, version: active.version_schema, oldVersion: active.old_version_schema, resumed: true };
  }
  const before = await readModel(client, o.schema);
  const { oldVersion, parent } = await oldVersionSchema(client, o.schema);
  const steps = buildSteps(migration, o.schema, before, oldVersion);
  await prepare(client, o);
  if (await schemaExists(client, steps.version)) {
    throw ERR_MIGRATE_INVALID(`${migration.source}: name: schema "${steps.version}" already exists: choose another migration name`);
  }
  const { after: _model, perOperation: _ops, ...stored } = steps;
  let record: MigrationRecord | undefined;
  await runTransaction(client, 'start', steps.start.main, o, 'Nothing was changed: the expand transaction was rolled back.', async () => {
    if (migration.ops.some((op) => op.kind === 'sql')) await viewsForNewTables(client, o, before, steps);
    const r = await client.query(
      `INSERT INTO ${MIGRATIONS} (schema, name, migration, parent, status, phase, version_schema, old_version_schema, steps)
       VALUES ($1, $2, $3, $4, 'active', 'expanded', $5, $6, $7) RETURNING *`,
      [
        o.schema,
        migration.name,
        JSON.stringify({ name: migration.name, operations: migration.raw }),
        parent?.name ?? null,
        steps.version,
        oldVersion,
        JSON.stringify(stored),
      ],
    );
    record = r.rows[0];
  });
  await finishStart(client, record!, migration.source, o);
  return { name: migration.name, version: steps.version, oldVersion, resumed: false };
}

/** Tables an `sql` operation created are in neither model; give them identity views too. */
async function viewsForNewTables(client: pg.ClientBase, o: EngineOptions, before: SchemaModel, steps: MigrationSteps): Promise<void> {
  const now = await readModel(client, o.schema);
  for (const t of [...before.tables.values(), ...steps.after.tables.values()]) now.tables.delete(t.physical);
  for (const step of viewSteps(steps.version, now).slice(1)) await exec(client, 'start', step, o);
}

async function finishStart(client: pg.ClientBase, record: MigrationRecord, source: string, o: EngineOptions): Promise<void> {
  const steps = record.steps as StoredSteps;
  const advice = `The migration "${record.name}" is recorded as active. Re-run \`sundial migrate start ${source}\` to resume, or \`sundial migrate rollback\` to undo it.`;
  if (record.phase === 'expanded') {
    for (const step of steps.start.after) await runAlone(client, 'start', step, o, advice);
    await setPhase(client, record.id, 'indexed');
    record.phase = 'indexed';
  }
  if (record.phase === 'indexed') {
    for (const target of steps.backfill) {
      try {
        await runBackfill(client, o.schema, record.id, target, o.backfill, o.locks, o.onEvent);
      } catch (err) {
        throw stepFailed('backfill', { sql: `backfill of ${target.table}` } as Step, err, advice);
      }
    }
    // Indexes of backfilled columns, over their final values (IF NOT EXISTS: a resumed start skips the built ones).
    for (const step of steps.start.backfilled ?? []) await runAlone(client, 'start', step, o, advice);
    await setPhase(client, record.id, 'ready');
    record.phase = 'ready';
  }
}

async function requireActive(client: pg.ClientBase, o: EngineOptions): Promise<MigrationRecord> {
  const active = await activeMigration(client, o.schema);
  if (!active) throw ERR_MIGRATE_NONE_ACTIVE(o.schema);
  return active;
}

export async function completeMigration(client: pg.ClientBase, options: EngineInput = {}): Promise<MigrationRecord> {
  const o = engineOptions(options);
  await prepare(client, o);
  const active = await requireActive(client, o);
  if (active.phase !== 'ready') throw ERR_MIGRATE_NOT_READY(active.name, active.phase, 'FILE');
  const steps = active.steps as StoredSteps;
  const still = `The migration "${active.name}" is still active and both versions still work: fix the cause and re-run \`sundial migrate complete\`, or run \`sundial migrate rollback\`.`;
  for (const step of steps.complete.before) await runAlone(client, 'complete', step, o, still);
  await runTransaction(client, 'complete', steps.complete.main, o, still, async () => {
    const model = await readModel(client, o.schema);
    for (const step of viewSteps(steps.version, model)) await exec(client, 'complete', step, o);
    await client.query(`UPDATE ${MIGRATIONS} SET status = 'complete', completed_at = now(), updated_at = now() WHERE id = $1`, [active.id]);
  });
  const done = `The migration "${active.name}" is complete; only this clean-up failed. Run the statement by hand.`;
  for (const step of steps.complete.after) await runAlone(client, 'complete', step, o, done);
  return { ...active, status: 'complete' };
}

export async function rollbackMigration(client: pg.ClientBase, options: EngineInput = {}): Promise<MigrationRecord> {
  const o = engineOptions(options);
  await prepare(client, o);
  const active = await requireActive(client, o);
  const steps = active.steps as StoredSteps;
  const advice = `The migration "${active.name}" is still active; old clients are unaffected. Re-run \`sundial migrate rollback\`.`;
  for (const step of steps.rollback.before) await runAlone(client, 'rollback', step, o, advice);
  await runTransaction(client, 'rollback', steps.rollback.main, o, advice, async () => {
    await client.query(`UPDATE ${MIGRATIONS} SET status = 'rolled_back', rolled_back_at = now(), updated_at = now() WHERE id = $1`, [active.id]);
  });
  for (const step of steps.rollback.after) await runAlone(client, 'rollback', step, o, advice);
  return { ...active, status: 'rolled_back' };
}
