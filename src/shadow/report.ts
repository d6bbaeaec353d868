// The shadow report of one route and version: counters, per-field difference and noise
// counts, and a ring of sample mismatches. Its size is bounded whatever the traffic: the
// field map holds at most maxFields paths (later new paths are counted, not kept), the ring
// at most `samples` entries, and each sample a few truncated values.
import type { FieldDifference } from './compare.js';
import type { SkipReason } from './mirror-decision.js';
import type { Fields } from './flatten.js';
import { isRealDifference } from './noise.js';
import { transformVerdict, type TransformVerdict } from '../transform/shadow.js';
import type { CompiledShadow, NoiseThresholds } from './types.js';

export interface SampleDifference {
  field: string;
  primary?: string;
  candidate?: string;
  secondary?: string;
}

export interface Sample {
  at: string;
  /** The request line as the client sent it: method and target (truncated). */
  request: string;
  differences: SampleDifference[];
  /** Differences left out of this sample beyond the first few. */
  more: number;
}

export interface FieldReport {
  /** Comparisons in which the candidate differed from the primary in this field. */
  differences: number;
  /** Comparisons in which the secondary differed from the primary in this field. */
  noise: number;
  /** Whether the differences pass the noise rule (src/shadow/noise.ts): a real difference. */
  real: boolean;
}

export interface ShadowReportJson {
  route: string;
  version: string;
  candidate: string;
  secondary: string | null;
  sample: number;
  mode: string;
  since: string;
  inFlight: number;
  compared: number;
  matched: number;
  mismatched: number;
  errors: number;
  errorKinds: Record<string, number>;
  skipped: Record<string, number>;
  /** Fields with real differences first, then by count. */
  fields: Record<string, FieldReport>;
  fieldsDropped: number;
  samples: Sample[];
  /** The noise rule's thresholds, so merged reports can apply it to summed counts. */
  thresholds: NoiseThresholds;
  /** How many sample mismatches the report keeps at most. */
  sampleLimit: number;
  /** For a `via:` candidate: whether the transform is faithful (docs/transforms.md). */
  transform?: TransformVerdict;
}

const MAX_SAMPLE_FIELDS = 10;
const MAX_VALUE_CHARS = 200;
const MAX_REQUEST_CHARS = 300;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

export class ShadowState {
  /** Mirrors started and not yet settled; survives reset. */
  inFlight = 0;
  private since: number;
  private compared = 0;
  private matched = 0;
  private mismatched = 0;
  private errors = 0;
  private errorKinds = new Map<string, number>();
  private skipped = new Map<string, number>();
  private fields = new Map<string, { differences: number; noise: number }>();
  private fieldsDropped = 0;
  private samples: Sample[] = [];

  constructor(
    readonly route: string,
    readonly version: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.since = clock();
  }

  skip(reason: SkipReason): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  error(kind: string): void {
    this.errors++;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }

  /**
   * Records one comparison. `mismatch` holds the candidate differences left after this
   * request's noise was cancelled; any of them makes the request a mismatch.
   */
  compare(
    cfg: Pick<CompiledShadow, 'maxFields' | 'samples'>,
    request: string,
    candidate: readonly FieldDifference[],
    noise: readonly FieldDifference[],
    mismatch: readonly FieldDifference[],
    secondary?: Fields,
  ): 'matched' | 'mismatched' {
    this.compared++;
    for (const d of candidate) this.count(cfg.maxFields, d.field, 'differences');
    for (const d of noise) this.count(cfg.maxFields, d.field, 'noise');
    if (mismatch.length === 0) {
      this.matched++;
      return 'matched';
    }
    this.mismatched++;
    if (cfg.samples > 0) {
      this.samples.push({
        at: new Date(this.clock()).toISOString(),
        request: truncate(request, MAX_REQUEST_CHARS),
        differences: mismatch.slice(0, MAX_SAMPLE_FIELDS).map((d) => sampleDifference(d, secondary)),
        more: Math.max(0, mismatch.length - MAX_SAMPLE_FIELDS),
      });
      while (this.samples.length > cfg.samples) this.samples.shift();
    }
    return 'mismatched';
  }

  private count(maxFields: number, field: string, which: 'differences' | 'noise'): void {
    let entry = this.fields.get(field);
    if (!entry) {
      if (this.fields.size >= maxFields) {
        this.fieldsDropped++;
        return;
      }
      entry = { differences: 0, noise: 0 };
      this.fields.set(field, entry);
    }
    entry[which]++;
  }

  reset(): void {
    this.since = this.clock();
    this.compared = this.matched = this.mismatched = this.errors = this.fieldsDropped = 0;
    this.errorKinds.clear();
    this.skipped.clear();
    this.fields.clear();
    this.samples = [];
  }

  toJSON(cfg: CompiledShadow): ShadowReportJson {
    const fields = [...this.fields].map(([path, c]) => ({
      path,
      ...c,
      real: isRealDifference(c.differences, c.noise, this.compared, cfg.noise),
    }));
    fields.sort((a, b) => Number(b.real) - Number(a.real) || b.differences - a.differences || b.noise - a.noise || (a.path < b.path ? -1 : 1));
    const json: ShadowReportJson = {
      route: this.route,
      version: this.version,
      candidate: cfg.candidate.url,
      secondary: cfg.secondary?.url ?? null,
      sample: cfg.sample,
      mode: cfg.compare.mode,
      since: new Date(this.since).toISOString(),
      inFlight: this.inFlight,
      compared: this.compared,
      matched: this.matched,
      mismatched: this.mismatched,
      errors: this.errors,
      errorKinds: Object.fromEntries(this.errorKinds),
      skipped: Object.fromEntries(this.skipped),
      fields: Object.fromEntries(fields.map(({ path, differences, noise, real }) => [path, { differences, noise, real }])),
      fieldsDropped: this.fieldsDropped,
      samples: [...this.samples],
      thresholds: cfg.noise,
      sampleLimit: cfg.samples,
    };
    if (cfg.transform) json.transform = transformVerdict(cfg.transform, json);
    return json;
  }
}

function sampleDifference(d: FieldDifference, secondary?: Fields): SampleDifference {
  const out: SampleDifference = { field: d.field };
  if (d.primary !== undefined) out.primary = truncate(d.primary, MAX_VALUE_CHARS);
  if (d.other !== undefined) out.candidate = truncate(d.other, MAX_VALUE_CHARS);
  const s = secondary?.get(d.field);
  if (s !== undefined) out.secondary = truncate(s, MAX_VALUE_CHARS);
  return out;
}
