// Prometheus metrics of the gateway. Names follow Prometheus conventions, and
// http_request_duration_seconds keeps the shape Flagger's built-in canary queries read
// (a histogram with a `status` label). Every label value comes from config or from a
// fixed set, never from raw request data, so the series count stays bounded.
import { collectDefaultMetrics, Counter, Gauge, Registry, type Aggregator } from 'prom-client';
import { CounterSeries, HistogramSeries, SeriesCounter, SeriesHistogram } from './series-metrics.js';

export type Arm = 'stable' | 'canary' | 'none';
export type UpstreamErrorKind = 'refused' | 'reset' | 'timeout' | 'other';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);
// 0 is OTHER.
const METHOD_INDEX = new Map([...KNOWN_METHODS].map((m, i) => [m, i + 1]));

export const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayMetrics {
  readonly registry: Registry;
  readonly requestDuration: SeriesHistogram;
  readonly deprecatedRequests: SeriesCounter;
  readonly lifecycleRejections: Counter<'route' | 'version' | 'reason'>;
  readonly upstreamErrors: Counter<'route' | 'version' | 'arm' | 'kind'>;
  readonly configReloads: Counter<'result'>;
  readonly configLoadedAt: Gauge;
  readonly shadowComparisons: SeriesCounter;
  readonly shadowSkipped: SeriesCounter;
  readonly transformMisfits: Counter<'route' | 'version' | 'step' | 'direction' | 'behaviour'>;
  private readonly durationChildren = new Map<string, HistogramSeries>();

  constructor(options: { buckets?: number[]; processMetrics?: boolean } = {}) {
    this.registry = new Registry();
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // In a cluster the primary adds the workers' series together (see cluster/metrics.ts);
      // a file-descriptor limit is a limit of each process, not a sum.
      setAggregator(this.registry, 'process_max_fds', 'max');
    }
    // The two metrics every request updates are series metrics (see series-metrics.ts).
    this.requestDuration = new SeriesHistogram(
      'http_request_duration_seconds',
      'Duration of requests through the gateway, from arrival to the end of the response, in seconds.',
      ['route', 'version', 'method', 'status', 'arm'],
      options.buckets ?? DEFAULT_BUCKETS,
      this.registry,
    );
    this.deprecatedRequests = new SeriesCounter(
      'sundial_deprecated_requests_total',
      'Requests served by a version past its deprecation date.',
      ['route', 'version'],
      this.registry,
    );
    this.lifecycleRejections = new Counter({
      name: 'sundial_lifecycle_rejections_total',
      help: 'Requests refused because their version was in a brownout or past its sunset.',
      labelNames: ['route', 'version', 'reason'],
      registers: [this.registry],
    });
    this.upstreamErrors = new Counter({
      name: 'sundial_upstream_errors_total',
      help: 'Requests that failed to reach their upstream or to get its answer, by kind of failure.',
      labelNames: ['route', 'version', 'arm', 'kind'],
      registers: [this.registry],
    });
    this.configReloads = new Counter({
      name: 'sundial_config_reloads_total',
      help: 'Config reload attempts, by result: applied, unchanged or refused.',
      labelNames: ['result'],
      registers: [this.registry],
    });
    this.configLoadedAt = new Gauge({
      name: 'sundial_config_loaded_timestamp_seconds',
      help: 'When the config now serving was loaded, as Unix seconds.',
      registers: [this.registry],
      // Across a cluster's workers: the oldest config any of them serves.
      aggregator: 'min',
    });
    // Counted once per mirrored request: series metrics too.
    this.shadowComparisons = new SeriesCounter(
      'sundial_shadow_comparisons_total',
      'Mirrored requests whose shadow answers were compared with the primary, by result: matched, mismatched or error.',
      ['route', 'version', 'result'],
      this.registry,
    );
    this.shadowSkipped = new SeriesCounter(
      'sundial_shadow_skipped_total',
      'Requests that would have been mirrored but were not, by reason (method, body-too-large, in-flight, primary-failed, response-too-large).',
      ['route', 'version', 'reason'],
      this.registry,
    );
    this.transformMisfits = new Counter({
      name: 'sundial_transform_misfits_total',
      help: 'Requests or responses that did not fit a version transform (docs/transforms.md), by step, direction and what was done: passthrough, 502 or too-large.',
      labelNames: ['route', 'version', 'step', 'direction', 'behaviour'],
      registers: [this.registry],
    });
  }

  // For proxied requests, the children are cached on the compiled upstream itself (which a
  // config owns and a reload replaces), keyed by a number: no string is built per request.
  private readonly upstreamSeries = new WeakMap<object, { byStatusMethod: Map<number, HistogramSeries>; deprecated?: CounterSeries }>();

  observeProxied(upstream: object, route: string, version: string, method: string, status: number, arm: Arm, seconds: number, deprecated: boolean): void {
    let series = this.upstreamSeries.get(upstream);
    if (!series) {
      series = { byStatusMethod: new Map() };
      this.upstreamSeries.set(upstream, series);
    }
    const methodIndex = METHOD_INDEX.get(method) ?? 0;
    const key = status * 16 + methodIndex;
    let child = series.byStatusMethod.get(key);
    if (!child) {
      child = this.requestDuration.labels({ route, version, method: methodIndex ? method : 'OTHER', status: String(status), arm });
      series.byStatusMethod.set(key, child);
    }
    child.observe(seconds);
    if (deprecated) (series.deprecated ??= this.deprecatedRequests.labels({ route, version })).inc();
  }

  observeRequest(route: string, version: string, method: string, status: number, arm: Arm, seconds: number): void {
    const m = KNOWN_METHODS.has(method) ? method : 'OTHER';
    const key = `${route}\u0000${version}\u0000${m}\u0000${status}\u0000${arm}`;
    let child = this.durationChildren.get(key);
    if (!child) {
      child = this.requestDuration.labels({ route, version, method: m, status: String(status), arm });
      this.durationChildren.set(key, child);
    }
    child.observe(seconds);
  }
}

/** Sets how a cluster primary aggregates a metric that prom-client created. */
function setAggregator(registry: Registry, name: string, aggregator: Aggregator): void {
  const metric = registry.getSingleMetric(name) as { aggregator?: Aggregator } | undefined;
  if (metric) metric.aggregator = aggregator;
}
