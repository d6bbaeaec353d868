// Batched, resumable backfill. Each batch is one transaction that takes the next keys in
// primary-key order and fills the new columns in the same UPDATE, computing `up` there
// (the dual-write trigger steps aside for it), and records the last key in the same
// transaction. A killed backfill therefore resumes after the last committed batch: no row
// is skipped and none is processed twice. Batches are sized to a target duration, so that
// a writer waiting for a row of the current batch waits about that long at most; the new
// column has no index yet (its indexes are built after the backfill), so updates can be HOT.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventSink } from './events.js';
import { type LockOptions, transaction } from './locks.js';
import { ident, literal, qualified } from './sql.js';
import { BACKFILL } from './state.js';
import type { BackfillTarget } from './steps.js';
import { BACKFILL_SETTING } from './triggers.js';

export interface BackfillOptions {
  /** Rows in the first batch; every batch when targetBatchMs is 0. */
  batchSize: number;
  batchDelayMs: number;
  /** Batches are resized to take about this long (0: fixed batchSize). */
  targetBatchMs: number;
}

export const defaultBackfillOptions: BackfillOptions = { batchSize: 1000, batchDelayMs: 0, targetBatchMs: 200 };

const MIN_BATCH = 10;
const MAX_BATCH = 100_000;

/** The next size: proportional to how far the last batch was from the target, at most 4× up or 2× down per step. */
export function nextBatchSize(size: number, elapsedMs: number, options: BackfillOptions): number {
  if (options.targetBatchMs <= 0) return size;
  const ratio = options.targetBatchMs / Math.max(elapsedMs, 1);
  return Math.round(Math.min(MAX_BATCH, Math.max(MIN_BATCH, size * Math.min(4, Math.max(0.5, ratio)))));
}

function keyTuple(target: BackfillTarget, first: number): string {
  return `(${target.keys.map((k, i) => `$${first + i}::text::${k.type}`).join(', ')})`;
}

/** The next batch's keys: how many, and the last one (an index range scan on the primary key). */
export function boundSql(schema: string, target: BackfillTarget, resuming: boolean): string {
  const keys = target.keys.map((k) => ident(k.name)).join(', ');
  const after = resuming ? `WHERE (${keys}) > ${keyTuple(target, 2)}` : '';
  const last = target.keys.map((k) => `${ident(k.name)}::text`).join(', ');
  return `SELECT count(*)::int AS n, (array_agg(json_build_array(${last}) ORDER BY ${target.keys.map((k) => `${ident(k.name)} DESC`).join(', ')}))[1] AS last
  FROM (SELECT ${keys} FROM ${qualified(schema, target.table)} ${after} ORDER BY ${keys} LIMIT $1) b`;
}

/**
 * Fills the batch's key range in one UPDATE, `up` computed in place. Parameters: the
 * batch's last key, then (when resuming) the previous batch's last key.
 */
export function batchSql(schema: string, target: BackfillTarget, resuming: boolean): string {
  const keys = `(${target.keys.map((k) => ident(k.name)).join(', ')})`;
  const n = target.keys.length;
  const sets = target.sets ?? [];
  // A value the new version already wrote is kept: only NULL targets are filled. (Without
  // `sets`, as recorded by older versions of sundial, a no-op update lets the trigger fill them.)
  const assign = sets.length
    ? sets.map((s) => `${ident(s.column)} = CASE WHEN ${ident(s.column)} IS NULL THEN (${s.expression}) ELSE ${ident(s.column)} END`).join(', ')
    : `${ident(target.keys[0].name)} = ${ident(target.keys[0].name)}`;
  const pending = sets.length ? ` AND (${sets.map((s) => `${ident(s.column)} IS NULL`).join(' OR ')})` : '';
  const lower = resuming ? `${keys} > ${keyTuple(target, n + 1)} AND ` : '';
  return `UPDATE ${qualified(schema, target.table)} SET ${assign} WHERE ${lower}${keys} <= ${keyTuple(target, 1)}${pending}`;
}

async function estimateRows(client: pg.ClientBase, schema: string, table: string): Promise<number> {
  const est = await client.query(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass`, [qualified(schema, table)]);
  const n = Number(est.rows[0]?.n ?? -1);
  if (n >= 0) return Math.round(n);
  // Never analyzed: count, once. It only reads, so it blocks nobody.
  const c = await client.query(`SELECT count(*)::float8 AS n FROM ${qualified(schema, table)}`);
  return Number(c.rows[0].n);
}

export async function runBackfill(
  client: pg.ClientBase,
  schema: string,
  migrationId: number,
  target: BackfillTarget,
  options: BackfillOptions,
  locks: LockOptions,
  onEvent: EventSink,
): Promise<void> {
  await client.query(`INSERT INTO ${BACKFILL} (migration_id, tbl) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [migrationId, target.table]);
  const p = await client.query(`SELECT last_key, rows_done, batches, done FROM ${BACKFILL} WHERE migration_id = $1 AND tbl = $2`, [migrationId, target.table]);
  let lastKey: string[] | null = p.rows[0].last_key;
  let rowsDone = Number(p.rows[0].rows_done);
  let batches = Number(p.rows[0].batches);
  if (p.rows[0].done) return;
  const total = Math.max(await estimateRows(client, schema, target.table), rowsDone);
  onEvent({ type: 'backfill-start', table: target.table, total, resumedFrom: lastKey, rowsDone });
  let size = options.batchSize;
  for (;;) {
    let n = 0;
    let nextKey: string[] | null = lastKey;
    const began = performance.now();
    await transaction(client, `backfill batch of ${target.table}`, locks, onEvent, async () => {
      if (target.sets?.length) await client.query(`SELECT set_config(${literal(BACKFILL_SETTING)}, 'on', true)`);
      const resuming = lastKey !== null;
      const bound = await client.query(boundSql(schema, target, resuming), [size, ...(lastKey ?? [])]);
      n = bound.rows[0].n;
      const last: string[] | null = bound.rows[0].last ?? lastKey;
      if (n > 0) await client.query(batchSql(schema, target, resuming), [...last!, ...(lastKey ?? [])]);
      await client.query(
        `UPDATE ${BACKFILL} SET last_key = $3, rows_done = rows_done + $4, batches = batches + 1, done = $5, updated_at = now()
          WHERE migration_id = $1 AND tbl = $2`,
        [migrationId, target.table, JSON.stringify(last), n, n < size],
      );
      nextKey = last;
    });
    lastKey = nextKey;
    rowsDone += n;
    batches += 1;
    onEvent({ type: 'backfill-batch', table: target.table, batch: batches, rows: n, rowsDone, total: Math.max(total, rowsDone) });
    if (n < size) break;
    size = nextBatchSize(size, performance.now() - began, options);
    if (options.batchDelayMs > 0) await sleep(options.batchDelayMs);
  }
  onEvent({ type: 'backfill-done', table: target.table, rowsDone });
}
