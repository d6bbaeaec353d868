// Traffic over the last minutes, from the gateway's own request histogram
// (http_request_duration_seconds): per route, version and arm, the request rate, the share of
// 5xx answers and the p99 latency, per interval. A recorder reads the histogram every few
// seconds off the request path and keeps a bounded ring of snapshots; the figures are
// differences between snapshots, so they need no state on the request path at all.
import { histogramQuantile } from '../canary/figures.js';

/** One value of a histogram's get(), as prom-client (and series-metrics.ts) render it. */
export interface HistogramValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface SeriesTotals {
  route: string;
  version: string;
  arm: string;
  requests: number;
  errors: number;
  /** Cumulative counts per bucket bound, in bound order; +Inf last. */
  buckets: number[];
}

export interface TrafficSnapshot {
  at: number;
  bounds: number[];
  series: Map<string, SeriesTotals>;
}

export interface TrafficFigures {
  /** Requests per second. */
  rate: number;
  /** Share of 5xx answers, 0..1; null without requests. */
  errorRate: number | null;
  /** Seconds; null without requests. */
  p99: number | null;
}

export interface TrafficSeries {
  route: string;
  version: string;
  arm: string;
  /** Over the last minute (or what the recorder has of it). */
  lastMinute: TrafficFigures & { requests: number };
  points: (TrafficFigures & { at: string })[];
}

export interface TrafficReport {
  now: string;
  intervalSeconds: number;
  windowSeconds: number;
  series: TrafficSeries[];
}

const seriesKey = (route: string, version: string, arm: string) => `${route}\u0000${version}\u0000${arm}`;

/** Sums the histogram's series per route, version and arm (over methods and statuses). */
export function snapshotOf(values: readonly HistogramValue[], at: number): TrafficSnapshot {
  const boundSet = new Set<number>();
  for (const v of values) if (v.metricName?.endsWith('_bucket') && v.labels.le !== '+Inf') boundSet.add(Number(v.labels.le));
  const bounds = [...boundSet].sort((a, b) => a - b);
  const index = new Map(bounds.map((b, i) => [b, i]));
  const series = new Map<string, SeriesTotals>();
  const totals = (l: HistogramValue['labels']) => {
    const route = String(l.route),
      version = String(l.version),
      arm = String(l.arm ?? 'none');
    const key = seriesKey(route, version, arm);
    let s = series.get(key);
    if (!s) series.set(key, (s = { route, version, arm, requests: 0, errors: 0, buckets: new Array(bounds.length + 1).fill(0) }));
    return s;
  };
  for (const v of values) {
    const name = v.metricName ?? '';
    if (name.endsWith('_bucket')) {
      const i = v.labels.le === '+Inf' ? bounds.length : index.get(Number(v.labels.le));
      if (i !== undefined) totals(v.labels).buckets[i] += v.value;
    } else if (name.endsWith('_count')) {
      const s = totals(v.labels);
      s.requests += v.value;
      if (String(v.labels.status).startsWith('5')) s.errors += v.value;
    }
  }
  return { at, bounds, series };
}

/** The q-quantile of cumulative bucket counts (bounds in order, +Inf last), or null when empty. */
export function quantile(bounds: readonly number[], cumulative: readonly number[], q: number): number | null {
  return (
    histogramQuantile(
      q,
      cumulative.map((c, i): [number, number] => [i < bounds.length ? bounds[i] : Infinity, c]),
    ) ?? null
  );
}

const EMPTY: SeriesTotals = { route: '', version: '', arm: '', requests: 0, errors: 0, buckets: [] };

/** The figures between two snapshots of one series; a counter that went down restarted. */
export function figuresBetween(
  before: SeriesTotals | undefined,
  after: SeriesTotals,
  bounds: readonly number[],
  seconds: number,
): TrafficFigures & { requests: number } {
  const b = before && before.requests <= after.requests ? before : EMPTY;
  const requests = after.requests - b.requests;
  const errors = after.errors - b.errors;
  const buckets = after.buckets.map((c, i) => c - (b.buckets[i] ?? 0));
  return {
    requests,
    rate: seconds > 0 ? requests / seconds : 0,
    errorRate: requests > 0 ? errors / requests : null,
    p99: requests > 0 ? quantile(bounds, buckets, 0.99) : null,
  };
}

/** Per series, the figures of every interval of the ring and of the last minute. */
export function trafficReport(snapshots: readonly TrafficSnapshot[], intervalMs: number, windowMs: number): TrafficReport {
  const latest = snapshots[snapshots.length - 1];
  const now = latest?.at ?? 0;
  const series: TrafficSeries[] = [];
  if (latest) {
    const minuteAgo = [...snapshots].reverse().find((s) => s.at <= now - 60_000) ?? snapshots[0];
    for (const [key, s] of latest.series) {
      const points: TrafficSeries['points'] = [];
      for (let i = 1; i < snapshots.length; i++) {
        const after = snapshots[i].series.get(key);
        if (!after) continue;
        const { requests: _r, ...f } = figuresBetween(
          snapshots[i - 1].series.get(key),
          after,
          snapshots[i].bounds,
          (snapshots[i].at - snapshots[i - 1].at) / 1000,
        );
        points.push({ at: new Date(snapshots[i].at).toISOString(), ...f });
      }
      const lastMinute =
        minuteAgo === latest
          ? { requests: 0, rate: 0, errorRate: null, p99: null }
          : figuresBetween(minuteAgo.series.get(key), s, latest.bounds, (now - minuteAgo.at) / 1000);
      series.push({ route: s.route, version: s.version, arm: s.arm, lastMinute, points });
    }
  }
  series.sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : a.arm < b.arm ? -1 : 1));
  return { now: new Date(now).toISOString(), intervalSeconds: intervalMs / 1000, windowSeconds: windowMs / 1000, series };
}

/**
 * Reads the histogram every `intervalMs` and keeps `windowMs` of snapshots. A report also
 * reads it once more, so its last point is now.
 */
export class TrafficRecorder {
  private readonly ring: TrafficSnapshot[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly read: () => Promise<readonly HistogramValue[]>,
    private readonly options: { intervalMs?: number; windowMs?: number; clock?: () => number } = {},
  ) {}

  private get intervalMs() {
    return this.options.intervalMs ?? 5_000;
  }
  private get windowMs() {
    return this.options.windowMs ?? 10 * 60_000;
  }
  private now() {
    return (this.options.clock ?? Date.now)();
  }

  start(): void {
    if (this.timer) return;
    // The baseline every later reading counts from is zero, taken now: the counters it reads
    // are this process's (or, in a cluster, workers' started after it), so none counted
    // before. A first reading instead could come late (workers still starting, up to the
    // answer timeout) and swallow the requests served before it.
    this.ring.push(snapshotOf([], this.now()));
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async take(): Promise<TrafficSnapshot | undefined> {
    try {
      return snapshotOf(await this.read(), this.now());
    } catch {
      return undefined; // a worker that did not answer: the next interval tries again
    }
  }

  async sample(): Promise<void> {
    const s = await this.take();
    if (!s) return;
    this.ring.push(s);
    while (this.ring.length > 1 && this.ring[0].at < s.at - this.windowMs) this.ring.shift();
  }

  async report(): Promise<TrafficReport> {
    const current = await this.take();
    let snapshots = this.ring;
    if (current) {
      // A snapshot a moment old would make a last interval too short to give a rate: the
      // current one stands in for it.
      const last = this.ring[this.ring.length - 1];
      snapshots = last && this.ring.length > 1 && current.at - last.at < 1000 ? [...this.ring.slice(0, -1), current] : [...this.ring, current];
    }
    return trafficReport(snapshots, this.intervalMs, this.windowMs);
  }
}
