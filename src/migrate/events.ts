// What the engine reports while it works. The CLI renders these (progress bar, log lines);
// tests assert on them instead of on timing.
export type MigrateEvent =
  | { type: 'step'; phase: string; sql: string }
  | { type: 'lock-retry'; what: string; attempt: number; delayMs: number }
  | { type: 'index-cleanup'; index: string }
  | { type: 'backfill-start'; table: string; total: number; resumedFrom: unknown[] | null; rowsDone: number }
  | { type: 'backfill-batch'; table: string; batch: number; rows: number; rowsDone: number; total: number }
  | { type: 'backfill-done'; table: string; rowsDone: number }
  | { type: 'info'; message: string };

export type EventSink = (event: MigrateEvent) => void;

export const ignoreEvents: EventSink = () => {};
