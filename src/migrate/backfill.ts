// Batched, resumable backfill. Each batch is one transaction that locks the next rows by
// primary key (FOR NO KEY UPDATE, so concurrent inserts and updates of other rows go on),
// touches them with `SET pk = pk` so the dual-write trigger computes the new shape, and
// records the last key in the same transaction. A killed backfill therefore resumes after
// the last committed batch: no row is skipped and none is processed twice.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventSink } from './events.js';
import { type LockOptions, transaction } from './locks.js';
import { ident, qualified } from './sql.js';
import { BACKFILL } from './state.js';
import type { BackfillTarget } from './steps.js';

export interface BackfillOptions {
  batchSize: number;
  batchDelayMs: number;
}

export const defaultBackfillOptions: BackfillOptions = { batchSize: 1000, batchDelayMs: 0 };

export function batchSql(schema: string, target: BackfillTarget, resuming: boolean): string {
  const t = qualified(schema, target.table);
  const keys = target.keys.map((k) => ident(k.name));
  const keyList = keys.join(', ');
  const after = resuming ? `WHERE (${keyList}) > (${target.keys.map((k, i) => `$${i + 2}::text::${k.type}`).join(', ')})` : '';
  const match = keys.map((k) => `t.${k} = b.${k}`).join(' AND ');
  const last = target.keys.map((k) => `u.${ident(k.name)}::text`).join(', ');
  return `WITH b AS (SELECT ${keyList} FROM ${t} ${after} ORDER BY ${keyList} LIMIT $1 FOR NO KEY UPDATE),
u AS (UPDATE ${t} AS t SET ${keys[0]} = t.${keys[0]} FROM b WHERE ${match} RETURNING ${keys.map((k) => `t.${k}`).join(', ')})
SELECT (SELECT count(*) FROM u)::int AS n,
       (SELECT json_build_array(${last}) FROM u ORDER BY ${keys.map((k) => `u.${k} DESC`).join(', ')} LIMIT 1) AS last`;
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
  client: pg.ClientBase, schema: string, migrationId: number, target: BackfillTarget,
  options: BackfillOptions, locks: LockOptions, onEvent: EventSink,
): Promise<void> {
  await client.query(`INSERT INTO ${BACKFILL} (migration_id, tbl) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [migrationId, target.table]);
  const p = await client.query(`SELECT last_key, rows_done, batches, done FROM ${BACKFILL} WHERE migration_id = $1 AND tbl = $2`, [migrationId, target.table]);
  let lastKey: string[] | null = p.rows[0].last_key;
  let rowsDone = Number(p.rows[0].rows_done);
  let batches = Number(p.rows[0].batches);
  if (p.rows[0].done) return;
  const total = Math.max(await estimateRows(client, schema, target.table), rowsDone);
  onEvent({ type: 'backfill-start', table: target.table, total, resumedFrom: lastKey, rowsDone });
  for (;;) {
    let n = 0;
    let nextKey: string[] | null = lastKey;
    await transaction(client, `backfill batch of ${target.table}`, locks, onEvent, async () => {
      const params: unknown[] = [options.batchSize, ...(lastKey ?? [])];
      const r = await client.query(batchSql(schema, target, lastKey !== null), params);
      n = r.rows[0].n;
      const last: string[] | null = r.rows[0].last ?? lastKey;
      await client.query(
        `UPDATE ${BACKFILL} SET last_key = $3, rows_done = rows_done + $4, batches = batches + 1, done = $5, updated_at = now()
          WHERE migration_id = $1 AND tbl = $2`,
        [migrationId, target.table, JSON.stringify(last), n, n < options.batchSize],
      );
      nextKey = last;
    });
    lastKey = nextKey;
    rowsDone += n;
    batches += 1;
    onEvent({ type: 'backfill-batch', table: target.table, batch: batches, rows: n, rowsDone, total: Math.max(total, rowsDone) });
    if (n < options.batchSize) break;
    if (options.batchDelayMs > 0) await sleep(options.batchDelayMs);
  }
  onEvent({ type: 'backfill-done', table: target.table, rowsDone });
}
