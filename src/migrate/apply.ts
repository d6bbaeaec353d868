// `sundial migrate apply DIR`, as pgroll's `migrate`: every migration file of a directory
// that is not applied yet, in file-name order. Each is started and completed, except the
// last, which stays active (both versions run) unless `complete` is asked for. The first
// failure stops the run; the error says which file, what state it is in and what to do.
import type pg from 'pg';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ERR_MIGRATE_ACTIVE, ERR_MIGRATE_APPLY_STOPPED, ERR_MIGRATE_FILE, SundialError } from '../errors.js';
import { completeMigration, type EngineInput, startMigration } from './engine.js';
import { type Migration, loadMigration } from './load.js';
import { activeMigration, history, stateExists } from './state.js';

export interface ApplyStep {
  name: string;
  file: string;
  /** What was done to it in this run. */
  action: 'started' | 'resumed' | 'completed' | 'started and completed';
  version?: string;
}

export interface ApplyResult {
  applied: ApplyStep[];
  /** Files already complete before this run. */
  skipped: string[];
  /** The migration left active (both versions running), if any. */
  active?: string;
}

export async function migrationFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw ERR_MIGRATE_FILE(dir, (err as Error).message);
  }
  return names
    .filter((n) => /\.(ya?ml|json)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

export async function applyDirectory(
  client: pg.ClientBase,
  dir: string,
  options: EngineInput & { complete?: boolean; onApplied?: (s: ApplyStep) => void } = {},
): Promise<ApplyResult> {
  const schema = options.schema ?? 'public';
  // Every file is read and checked first: a typo in the fifth file stops the run before the first.
  const migrations: Migration[] = [];
  for (const file of await migrationFiles(dir)) migrations.push(await loadMigration(file));
  const past = (await stateExists(client)) ? await history(client, schema) : [];
  const done = new Set(past.filter((m) => m.status === 'complete').map((m) => m.name));
  const pending = migrations.filter((m) => !done.has(m.name));
  const skipped = migrations.filter((m) => done.has(m.name)).map((m) => m.name);
  const active = (await stateExists(client)) ? await activeMigration(client, schema) : undefined;
  if (active && pending[0]?.name !== active.name) throw ERR_MIGRATE_ACTIVE(active.name, schema);

  const applied: ApplyStep[] = [];
  const note = (s: ApplyStep) => {
    applied.push(s);
    options.onApplied?.(s);
  };
  for (const [i, m] of pending.entries()) {
    const last = i === pending.length - 1;
    const finish = !last || options.complete === true;
    try {
      const wasActive = active?.name === m.name;
      // A migration a previous run left active and ready only needs its complete.
      const r = wasActive && active!.phase === 'ready' ? { version: active!.version_schema, resumed: true } : await startMigration(client, m, options);
      if (finish) {
        await completeMigration(client, options);
        note({ name: m.name, file: m.source, action: wasActive ? 'completed' : 'started and completed', version: r.version });
      } else {
        note({ name: m.name, file: m.source, action: r.resumed ? 'resumed' : 'started', version: r.version });
        return { applied, skipped, active: m.name };
      }
    } catch (err) {
      const reason = err instanceof SundialError ? `${err.code}: ${err.message}` : (err as Error).message;
      throw ERR_MIGRATE_APPLY_STOPPED(
        m.source,
        i + 1,
        pending.length,
        applied.map((a) => a.name).join(', ') || 'none',
        reason + `\nThe files after it were not touched. Fix the cause and re-run \`sundial migrate apply ${dir}\`: it picks up from this file.`,
      );
    }
  }
  return { applied, skipped };
}
