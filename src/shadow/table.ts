// The shadow report as text, for `sundial shadow report`: per route and version, the
// counts, then the fields (real differences first), then the latest sample mismatches.
import { alignColumns } from '../text-table.js';
import type { ShadowReportDocument } from './service.js';

function pct(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(n === of || n === 0 ? 0 : 1)}%` : '-';
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : '0';
}

export function formatReport(doc: ShadowReportDocument, options: { samples?: number } = {}): string {
  if (doc.shadows.length === 0) return 'No route version has a shadow configured.\n';
  const out: string[] = [];
  for (const s of doc.shadows) {
    out.push(`${s.route} ${s.version}: candidate ${s.candidate}${s.secondary ? `, secondary ${s.secondary}` : ', no secondary (no noise cancelling)'}`);
    out.push(`  sample ${s.sample}, mode ${s.mode}, since ${s.since}${s.inFlight ? `, ${s.inFlight} in flight` : ''}`);
    out.push(`  compared ${s.compared}: matched ${s.matched} (${pct(s.matched, s.compared)}), mismatched ${s.mismatched} (${pct(s.mismatched, s.compared)})`);
    out.push(`  errors ${s.errors}${s.errors ? ` (${counts(s.errorKinds)})` : ''}; skipped ${counts(s.skipped)}`);
    const fields = Object.entries(s.fields);
    if (fields.length) {
      out.push('');
      const rows = [['  FIELD', 'DIFFERENCES', 'NOISE', 'VERDICT']];
      for (const [path, f] of fields) {
        rows.push([`  ${path}`, `${f.differences} (${pct(f.differences, s.compared)})`, `${f.noise} (${pct(f.noise, s.compared)})`, f.real ? 'REAL' : 'noise']);
      }
      out.push(...alignColumns(rows));
      if (s.fieldsDropped) out.push(`  (${s.fieldsDropped} differences in fields beyond the report's field limit)`);
    }
    const samples = s.samples.slice(-(options.samples ?? 5));
    if (samples.length) {
      out.push('', `  latest mismatches (${samples.length} of ${s.samples.length} kept):`);
      for (const sample of samples) {
        out.push(`    ${sample.at}  ${sample.request}`);
        for (const d of sample.differences) {
          const parts = [`primary ${d.primary ?? '(absent)'}`, `candidate ${d.candidate ?? '(absent)'}`];
          if (d.secondary !== undefined) parts.push(`secondary ${d.secondary}`);
          out.push(`      ${d.field}: ${parts.join(' | ')}`);
        }
        if (sample.more) out.push(`      ... and ${sample.more} more fields`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}
