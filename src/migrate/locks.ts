// Every DDL statement runs under lock_timeout. A DDL that waits for its lock blocks every
// query queued behind it, so it is better to give up quickly (SQLSTATE 55P03) and try again
// after a growing pause than to wait behind a long transaction.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERR_MIGRATE_LOCK_TIMEOUT } from '../errors.js';
import type { EventSink } from './events.js';

export interface LockOptions {
  lockTimeoutMs: number;
  maxAttempts: number;
  /** First pause after a refused lock; doubled each time, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const defaultLockOptions: LockOptions = { lockTimeoutMs: 500, maxAttempts: 10, backoffMs: 100, maxBackoffMs: 5000 };

const LOCK_NOT_AVAILABLE = '55P03';

export function isLockTimeout(err: unknown): boolean {
  return (err as { code?: string })?.code === LOCK_NOT_AVAILABLE;
}

/** Runs `attempt` until it succeeds, retrying only when a lock was not granted. */
export async function withLockRetry<T>(what: string, options: LockOptions, onEvent: EventSink, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isLockTimeout(err)) throw err;
      if (n >= options.maxAttempts) throw ERR_MIGRATE_LOCK_TIMEOUT(what, n, options.lockTimeoutMs);
      const delayMs = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (n - 1));
      onEvent({ type: 'lock-retry', what, attempt: n, delayMs });
      await sleep(delayMs);
    }
  }
}

/** One transaction, retried as a whole: a refused lock rolls back everything done so far in it. */
export async function transaction(client: pg.ClientBase, what: string, options: LockOptions, onEvent: EventSink, body: () => Promise<void>): Promise<void> {
  await withLockRetry(what, options, onEvent, async () => {
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(options.lockTimeoutMs))}`);
      await body();
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  });
}
