// Where the controller's figures come from: this gateway's own request histogram (the
// default, for one replica), or a Prometheus server that scrapes every replica.
import { request } from 'undici';
import type { CompiledCanary } from '../config/compiled.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ArmFigures, Figures } from './analysis.js';

export interface FiguresSource {
  /** Figures for both arms over the interval that ends now. */
  figures(canary: CompiledCanary, windowMs: number): Promise<Figures>;
}

interface Snapshot {
  requests: number;
  errors: number;
  /** Cumulative count per bucket upper bound, in ascending order of bound. */
  buckets: [number, number][];
}

/** The q-quantile of a cumulative histogram, interpolated as Prometheus' histogram_quantile does. */
export function histogramQuantile(q: number, buckets: [number, number][]): number | undefined {
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound; // beyond the largest finite bucket
      if (count === lowerCount) return bound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

function difference(now: Snapshot, before: Snapshot | undefined): ArmFigures {
  const buckets: [number, number][] = now.buckets.map(([bound, count], i) => [bound, count - (before?.buckets[i]?.[1] ?? 0)]);
  return {
    requests: now.requests - (before?.requests ?? 0),
    errors: now.errors - (before?.errors ?? 0),
    p99: histogramQuantile(0.99, buckets),
  };
}

/** Reads this gateway's http_request_duration_seconds and diffs it against the last read. */
export class OwnMetricsFigures implements FiguresSource {
  private readonly last = new Map<string, Snapshot>();
  constructor(private readonly metrics: GatewayMetrics) {}

  private async snapshot(route: string, version: string, arm: string): Promise<Snapshot> {
    const data = await this.metrics.requestDuration.get();
    let requests = 0;
    let errors = 0;
    const byBound = new Map<number, number>();
    for (const v of data.values) {
      const l = v.labels as Record<string, string | number | undefined>;
      if (l.route !== route || l.version !== version || l.arm !== arm) continue;
      if (v.metricName?.endsWith('_count')) {
        requests += v.value;
        if (String(l.status).startsWith('5')) errors += v.value;
      } else if (v.metricName?.endsWith('_bucket')) {
        const bound = l.le === '+Inf' ? Infinity : Number(l.le);
        byBound.set(bound, (byBound.get(bound) ?? 0) + v.value);
      }
    }
    return { requests, errors, buckets: [...byBound].sort((a, b) => a[0] - b[0]) };
  }

  async figures(c: CompiledCanary): Promise<Figures> {
    const out = {} as Figures;
    for (const arm of ['canary', 'stable'] as const) {
      const key = `${c.key}\u0000${arm}`;
      const now = await this.snapshot(c.route, c.version, arm);
      out[arm] = difference(now, this.last.get(key));
      this.last.set(key, now);
    }
    return out;
  }
}

/** Queries a Prometheus server, so a rollout is judged on every replica's traffic. */
export class PrometheusFigures implements FiguresSource {
  constructor(private readonly url: string) {}

  private async scalar(query: string): Promise<number | undefined> {
    const res = await request(`${this.url.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`, {
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = (await res.body.json()) as { status: string; error?: string; data?: { result: { value: [number, string] }[] } };
    if (res.statusCode !== 200 || body.status !== 'success') throw new Error(`Prometheus query failed (${res.statusCode}): ${body.error ?? 'unknown error'}`);
    const value = body.data?.result[0]?.value[1];
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }

  async figures(c: CompiledCanary, windowMs: number): Promise<Figures> {
    const window = `${Math.max(1, Math.round(windowMs / 1000))}s`;
    const out = {} as Figures;
    for (const arm of ['canary', 'stable'] as const) {
      const sel = `route="${c.route}",version="${c.version}",arm="${arm}"`;
      const [requests, errors, p99] = await Promise.all([
        this.scalar(`sum(increase(http_request_duration_seconds_count{${sel}}[${window}]))`),
        this.scalar(`sum(increase(http_request_duration_seconds_count{${sel},status=~"5.."}[${window}]))`),
        this.scalar(`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${window}])))`),
      ]);
      out[arm] = { requests: Math.round(requests ?? 0), errors: Math.round(errors ?? 0), p99 };
    }
    return out;
  }
}
