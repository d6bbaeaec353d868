// Who still calls each deprecated version, and each deprecated operation: one Space-Saving
// sketch of K counters per version with a lifecycle (a deprecation or sunset date) and per
// deprecated OpenAPI operation. The number of sketches comes from the config, and each holds
// at most K consumers, so memory stays fixed whatever the number of consumers.
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledConfig, CompiledVersion } from '../config/compiled.js';
import { lifecycleState } from '../lifecycle/state.js';
import { describeIdentity, identifier, type Identify } from './identify.js';
import { SpaceSaving, type SketchEntry } from './space-saving.js';

interface Tally {
  sketch: SpaceSaving;
  unidentified: number;
}

export interface ConsumerRow {
  id: string;
  requests: number;
  /** The most by which `requests` may overstate the true count. */
  maxOvercount: number;
  lastSeen: string;
}

export interface TallyReport {
  requests: number;
  unidentified: number;
  /** Every count is at most this much too high (N / K). */
  maxError: number;
  consumers: ConsumerRow[];
}

export interface VersionConsumers extends TallyReport {
  version: string;
  state: string;
  deprecated?: string;
  sunset?: string;
  successor?: string;
  tracked: boolean;
  identifiedBy: string;
  k: number;
  since: string;
  operations: (TallyReport & { operation: string; operationId?: string; sunset?: string })[];
}

/** What the tracker needs of a request's decision. */
export interface Observed {
  version?: CompiledVersion;
  operation?: { value: { name: string } };
}

const tracksVersion = (v: CompiledVersion) => v.deprecatedAt !== undefined || v.sunsetAt !== undefined;

export class ConsumerTracker {
  private identify: Identify | undefined;
  private identity = '';
  private k = 100;
  private readonly since: number;
  private readonly versions = new Map<string, Tally>();
  /** Keyed by version id, then operation name ("GET /orders/{id}"). */
  private readonly operations = new Map<string, Map<string, Tally>>();

  constructor(clock: () => number = Date.now) {
    this.since = clock();
  }

  /** Takes the identification and K from a (re)loaded config; a new K starts over. */
  configure(cfg: CompiledConfig): void {
    const c = cfg.gateway.consumers;
    this.identify = c ? identifier(c) : undefined;
    this.identity = c ? describeIdentity(c) : '';
    const k = c?.topK ?? 100;
    if (k !== this.k) {
      this.versions.clear();
      this.operations.clear();
      this.k = k;
    }
    // Forget versions and operations the config no longer has.
    for (const id of this.versions.keys()) if (!cfg.versions.has(id)) this.versions.delete(id);
    for (const [id, ops] of this.operations) {
      const names = new Set(cfg.versions.get(id)?.openapi?.deprecated.map((o) => o.name));
      for (const name of ops.keys()) if (!names.has(name)) ops.delete(name);
    }
  }

  get enabled(): boolean {
    return this.identify !== undefined;
  }

  /** Counts a request against its version (when it has a lifecycle) and its deprecated operation. */
  observe(req: { url: string; headers: IncomingHttpHeaders }, d: Observed, now: number): void {
    if (this.identify === undefined || d.version === undefined) return;
    const onVersion = tracksVersion(d.version);
    if (!onVersion && !d.operation) return;
    const id = this.identify(req);
    if (onVersion) this.count(this.tally(this.versions, d.version.id), id, now);
    if (d.operation) {
      let ops = this.operations.get(d.version.id);
      if (!ops) this.operations.set(d.version.id, (ops = new Map()));
      this.count(this.tally(ops, d.operation.value.name), id, now);
    }
  }

  private tally(map: Map<string, Tally>, key: string): Tally {
    let t = map.get(key);
    if (!t) map.set(key, (t = { sketch: new SpaceSaving(this.k), unidentified: 0 }));
    return t;
  }

  private count(t: Tally, id: string | undefined, now: number): void {
    if (id === undefined) t.unidentified++;
    else t.sketch.offer(id, now);
  }

  report(version: CompiledVersion, now: number, top = this.k): VersionConsumers {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const ops = this.operations.get(version.id);
    return {
      version: version.id,
      state: lifecycleState(version, now),
      deprecated: iso(version.deprecatedAt),
      sunset: iso(version.sunsetAt),
      successor: version.successor,
      tracked: this.enabled && tracksVersion(version),
      identifiedBy: this.identity,
      k: this.k,
      since: new Date(this.since).toISOString(),
      ...tallyReport(this.versions.get(version.id), top),
      operations: (version.openapi?.deprecated ?? []).map((op) => ({
        operation: op.name,
        operationId: op.operationId,
        sunset: iso(op.sunsetAt),
        ...tallyReport(ops?.get(op.name), top),
      })),
    };
  }
}

function tallyReport(t: Tally | undefined, top: number): TallyReport {
  if (!t) return { requests: 0, unidentified: 0, maxError: 0, consumers: [] };
  return {
    requests: t.sketch.total + t.unidentified,
    unidentified: t.unidentified,
    maxError: t.sketch.errorBound,
    consumers: t.sketch
      .top(top)
      .map((e: SketchEntry) => ({ id: e.id, requests: e.count, maxOvercount: e.error, lastSeen: new Date(e.lastSeen).toISOString() })),
  };
}
