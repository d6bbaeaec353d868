// Merging the consumer reports of several gateways (cluster workers, or replicas behind a
// load balancer) into one, as mergeable summaries do for Space-Saving (Agarwal et al.,
// "Mergeable Summaries", 2012). A consumer that a full sketch does not monitor may still
// have been counted there, up to that sketch's smallest count; so, per sketch:
//   monitored:            count and overcount as reported;
//   absent, sketch full:  the smallest count, all of it possible overcount;
//   absent, sketch not full: exactly zero.
// Summed over the parts, `requests - maxOvercount <= true count <= requests` still holds
// for every merged row, and every overcount stays within N / K for the merged N.
// The merge needs each part's whole sketch: ask for the report without `top`.
import type { ConsumerRow, TallyReport, VersionConsumers } from './tracker.js';

/** Heaviest first; ties: the smaller overcount, then the id (as SpaceSaving.top orders). */
const heaviestFirst = (a: ConsumerRow, b: ConsumerRow) => b.requests - a.requests || a.maxOvercount - b.maxOvercount || (a.id < b.id ? -1 : 1);

export function mergeTallies(parts: readonly TallyReport[], k: number, ks: readonly number[] = parts.map(() => k)): TallyReport {
  const floors = parts.map((p, i) => (p.consumers.length >= ks[i] ? Math.min(...p.consumers.map((c) => c.requests)) : 0));
  const ids = new Set<string>();
  for (const p of parts) for (const c of p.consumers) ids.add(c.id);
  const byPart = parts.map((p) => new Map(p.consumers.map((c) => [c.id, c])));
  const rows: ConsumerRow[] = [];
  for (const id of ids) {
    let requests = 0;
    let maxOvercount = 0;
    let lastSeen = '';
    byPart.forEach((rowsOfPart, i) => {
      const row = rowsOfPart.get(id);
      if (row) {
        requests += row.requests;
        maxOvercount += row.maxOvercount;
        if (row.lastSeen > lastSeen) lastSeen = row.lastSeen;
      } else {
        requests += floors[i];
        maxOvercount += floors[i];
      }
    });
    rows.push({ id, requests, maxOvercount, lastSeen });
  }
  rows.sort(heaviestFirst);
  const requests = sum(parts.map((p) => p.requests));
  const unidentified = sum(parts.map((p) => p.unidentified));
  return { requests, unidentified, maxError: Math.floor((requests - unidentified) / k), consumers: rows.slice(0, k) };
}

/** One report of a version from the full reports of several gateways (same version). */
export function mergeVersionConsumers(reports: readonly VersionConsumers[]): VersionConsumers {
  if (reports.length === 0) throw new RangeError('nothing to merge');
  const [first] = reports;
  if (reports.length === 1) return first;
  const k = Math.max(...reports.map((r) => r.k));
  const ks = reports.map((r) => r.k);
  const opNames = [...new Set(reports.flatMap((r) => r.operations.map((o) => o.operation)))];
  const empty: TallyReport = { requests: 0, unidentified: 0, maxError: 0, consumers: [] };
  return {
    ...first,
    k,
    since: reports.map((r) => r.since).sort()[0],
    tracked: reports.some((r) => r.tracked),
    ...mergeTallies(reports, k, ks),
    operations: opNames.map((name) => {
      const own = reports.map((r) => r.operations.find((o) => o.operation === name));
      const meta = own.find((o) => o !== undefined)!;
      const { operation, operationId, sunset } = meta;
      return {
        operation,
        operationId,
        sunset,
        ...mergeTallies(
          own.map((o) => o ?? empty),
          k,
          ks,
        ),
      };
    }),
  };
}

/** Merges per version, keeping the order in which versions first appear. */
export function mergeConsumerReports(perGateway: readonly (readonly VersionConsumers[])[]): VersionConsumers[] {
  const order: string[] = [];
  const byVersion = new Map<string, VersionConsumers[]>();
  for (const reports of perGateway) {
    for (const r of reports) {
      let list = byVersion.get(r.version);
      if (!list) {
        byVersion.set(r.version, (list = []));
        order.push(r.version);
      }
      list.push(r);
    }
  }
  return order.map((v) => mergeVersionConsumers(byVersion.get(v)!));
}

/** The first `top` consumers of a report and of each of its operations. */
export function limitConsumers(r: VersionConsumers, top: number | undefined): VersionConsumers {
  if (top === undefined) return r;
  return { ...r, consumers: r.consumers.slice(0, top), operations: r.operations.map((o) => ({ ...o, consumers: o.consumers.slice(0, top) })) };
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
