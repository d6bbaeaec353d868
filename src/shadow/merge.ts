// Merging the shadow reports of several gateways (cluster workers, or replicas) into one per
// route and version: counters and per-field counts sum, the noise rule is applied again to
// the sums (a field can be noise on each replica and real over all of them, or the other
// way round), and the latest samples of all are kept, newest last.
import { DEFAULT_NOISE, isRealDifference } from './noise.js';
import type { FieldReport, ShadowReportJson } from './report.js';
import type { ShadowReportDocument } from './service.js';

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function mergeShadowReports(parts: readonly ShadowReportJson[]): ShadowReportJson {
  if (parts.length === 0) throw new RangeError('nothing to merge');
  const [first] = parts;
  const thresholds = first.thresholds ?? DEFAULT_NOISE;
  const sampleLimit = Math.max(...parts.map((p) => p.sampleLimit ?? p.samples.length));
  const errorKinds: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const counts = new Map<string, { differences: number; noise: number }>();
  let compared = 0,
    matched = 0,
    mismatched = 0,
    errors = 0,
    inFlight = 0,
    fieldsDropped = 0;
  for (const p of parts) {
    compared += p.compared;
    matched += p.matched;
    mismatched += p.mismatched;
    errors += p.errors;
    inFlight += p.inFlight;
    fieldsDropped += p.fieldsDropped;
    addCounts(errorKinds, p.errorKinds);
    addCounts(skipped, p.skipped);
    for (const [path, f] of Object.entries(p.fields)) {
      const c = counts.get(path) ?? { differences: 0, noise: 0 };
      c.differences += f.differences;
      c.noise += f.noise;
      counts.set(path, c);
    }
  }
  const fields = [...counts].map(([path, c]) => ({ path, ...c, real: isRealDifference(c.differences, c.noise, compared, thresholds) }));
  fields.sort((a, b) => Number(b.real) - Number(a.real) || b.differences - a.differences || b.noise - a.noise || (a.path < b.path ? -1 : 1));
  const samples = parts.flatMap((p) => p.samples).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    ...first,
    since: parts.map((p) => p.since).sort()[0],
    inFlight,
    compared,
    matched,
    mismatched,
    errors,
    errorKinds,
    skipped,
    fields: Object.fromEntries(fields.map(({ path, differences, noise, real }) => [path, { differences, noise, real } satisfies FieldReport])),
    fieldsDropped,
    samples: samples.slice(Math.max(0, samples.length - sampleLimit)),
    thresholds,
    sampleLimit,
  };
}

/** One document from several: reports of the same route and version merge, in first-seen order. */
export function mergeShadowDocuments(docs: readonly ShadowReportDocument[]): ShadowReportDocument {
  const order: string[] = [];
  const byKey = new Map<string, ShadowReportJson[]>();
  for (const doc of docs) {
    for (const s of doc.shadows) {
      const key = `${s.route}\u0000${s.version}`;
      let list = byKey.get(key);
      if (!list) {
        byKey.set(key, (list = []));
        order.push(key);
      }
      list.push(s);
    }
  }
  return { shadows: order.map((k) => mergeShadowReports(byKey.get(k)!)) };
}
