// Who would break: each breaking change joined to the consumers that called its operation,
// from a running gateway's consumers report of the old version. Per-operation counts exist
// for deprecated operations; for the others the version's consumers are the callers that
// may use it, and the report says which of the two each list is.
import type { ConsumerRow, VersionConsumers } from '../consumers/tracker.js';
import type { Change } from './diff-report.js';

export interface ImpactRow {
  operation: string;
  kinds: string[];
  /** Whose counts: the operation's own, or (for an operation not tracked apart) the version's. */
  scope: 'operation' | 'version';
  requests: number;
  consumers: ConsumerRow[];
}

export function impactOf(changes: Change[], report: VersionConsumers): ImpactRow[] {
  const byOperation = new Map<string, Change[]>();
  for (const c of changes) {
    if (c.class !== 'breaking' || !c.method || !c.path || c.path.startsWith('webhook:')) continue;
    const name = `${c.method} ${c.path}`;
    byOperation.set(name, [...(byOperation.get(name) ?? []), c]);
  }
  const rows: ImpactRow[] = [];
  for (const [operation, list] of byOperation) {
    const own = report.operations.find((o) => o.operation === operation);
    const tally = own ?? report;
    rows.push({
      operation,
      kinds: [...new Set(list.map((c) => c.kind))],
      scope: own ? 'operation' : 'version',
      requests: tally.requests,
      consumers: tally.consumers,
    });
  }
  return rows.sort((a, b) => b.requests - a.requests || a.operation.localeCompare(b.operation));
}

export function formatImpact(rows: ImpactRow[], version: string): string {
  const lines = ['', `WHO WOULD BREAK (consumers of ${version} seen by the running gateway)`];
  if (!rows.length) lines.push('  no breaking change names an operation');
  for (const r of rows) {
    lines.push(`  ${r.operation}  [${r.kinds.join(', ')}]`);
    lines.push(`    ${r.requests} request(s)${r.scope === 'version' ? ` to ${version} (not counted per operation: only deprecated operations are)` : ''}`);
    if (!r.consumers.length) lines.push('    no identified consumer');
    for (const c of r.consumers) lines.push(`    ${c.id}  ${c.requests}${c.maxOvercount ? ` (±${c.maxOvercount})` : ''}  last seen ${c.lastSeen}`);
  }
  return lines.join('\n') + '\n';
}
