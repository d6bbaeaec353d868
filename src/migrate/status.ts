// `sundial migrate status`: the active migration with its backfill progress, and the history.
import type pg from 'pg';
import { type BackfillProgress, activeMigration, backfillProgress, history, stateExists } from './state.js';

export interface MigrationStatus {
  schema: string;
  active: null | {
    name: string;
    phase: string;
    versionSchema: string;
    oldVersionSchema: string;
    startedAt: string;
    backfill: BackfillProgress[];
  };
  /** search_path of the newest version clients can use. */
  latestVersion: string | null;
  history: { name: string; status: string; parent: string | null; startedAt: string; completedAt: string | null; rolledBackAt: string | null }[];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export async function migrationStatus(db: pg.ClientBase, schema: string): Promise<MigrationStatus> {
  if (!(await stateExists(db))) return { schema, active: null, latestVersion: null, history: [] };
  const active = await activeMigration(db, schema);
  const all = await history(db, schema);
  const latest = active ?? [...all].reverse().find((m) => m.status === 'complete');
  return {
    schema,
    active: active
      ? {
          name: active.name,
          phase: active.phase,
          versionSchema: active.version_schema,
          oldVersionSchema: active.old_version_schema,
          startedAt: iso(active.started_at)!,
          backfill: await backfillProgress(db, active.id),
        }
      : null,
    latestVersion: latest?.version_schema ?? null,
    history: all.map((m) => ({
      name: m.name,
      status: m.status,
      parent: m.parent,
      startedAt: iso(m.started_at)!,
      completedAt: iso(m.completed_at),
      rolledBackAt: iso(m.rolled_back_at),
    })),
  };
}

export function formatStatus(s: MigrationStatus): string {
  const lines = [`schema: ${s.schema}`];
  if (s.active) {
    lines.push(`active migration: ${s.active.name} (phase ${s.active.phase}, started ${s.active.startedAt})`);
    lines.push(`  new version: SET search_path TO ${s.active.versionSchema}`);
    lines.push(`  old version: SET search_path TO ${s.active.oldVersionSchema}`);
    for (const b of s.active.backfill) {
      lines.push(`  backfill ${b.table}: ${b.rowsDone} rows in ${b.batches} batches${b.done ? ', done' : ''}`);
    }
  } else {
    lines.push('active migration: none');
    if (s.latestVersion) lines.push(`latest version: SET search_path TO ${s.latestVersion}`);
  }
  if (s.history.length) {
    lines.push('history:');
    for (const h of s.history) lines.push(`  ${h.name.padEnd(30)} ${h.status.padEnd(12)} started ${h.startedAt}`);
  }
  return lines.join('\n');
}
