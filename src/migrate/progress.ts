// Renders engine events: a redrawn progress bar on a terminal, plain lines otherwise (CI
// logs, pipes), so a log file shows how far a backfill got.
import type { EventSink, MigrateEvent } from './events.js';

export interface ReporterOptions {
  tty: boolean;
  verbose?: boolean;
  width?: number;
}

export function progressLine(table: string, done: number, total: number, batch: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  return `backfill ${table}: batch ${batch}, ${done}/${total} rows (${pct}%)`;
}

export function progressBar(table: string, done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `${table} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total} rows`;
}

export function createReporter(out: { write(s: string): unknown }, options: ReporterOptions): EventSink {
  let barOpen = false;
  const line = (s: string) => {
    if (barOpen) out.write('\n');
    barOpen = false;
    out.write(s + '\n');
  };
  return (e: MigrateEvent) => {
    switch (e.type) {
      case 'step':
        if (options.verbose) line(`${e.phase}: ${e.sql.split('\n')[0]}`);
        break;
      case 'lock-retry':
        line(`lock not granted for ${e.what.split('\n')[0]} (attempt ${e.attempt}): retrying in ${e.delayMs}ms`);
        break;
      case 'index-cleanup':
        line(`dropped INVALID index ${e.index} left by an interrupted build`);
        break;
      case 'backfill-start':
        line(
          e.resumedFrom
            ? `backfill ${e.table}: resuming after key ${JSON.stringify(e.resumedFrom)} (${e.rowsDone} rows already done)`
            : `backfill ${e.table}: about ${e.total} rows`,
        );
        break;
      case 'backfill-batch':
        if (options.tty) {
          out.write(`\r${progressBar(e.table, e.rowsDone, e.total, options.width)}`);
          barOpen = true;
        } else line(progressLine(e.table, e.rowsDone, e.total, e.batch));
        break;
      case 'backfill-done':
        line(`backfill ${e.table}: done, ${e.rowsDone} rows`);
        break;
      case 'info':
        line(e.message);
        break;
    }
  };
}
