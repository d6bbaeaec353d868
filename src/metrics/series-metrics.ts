// A histogram and a counter for the request path, registered in a prom-client Registry like
// any metric but cheaper to update: prom-client validates and hashes the label set on every
// observe, even through a child from labels(); here a series is looked up once and then
// updated with a few additions. They render exactly as prom-client's own (the same
// get() shape), so scrapes, cluster aggregation and the canary figures read them unchanged.
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export class HistogramSeries {
  sum = 0;
  count = 0;
  /** Observations per bucket, not cumulative; the last slot is +Inf. */
  readonly counts: Float64Array;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export class SeriesHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series for a label set, created on first use. Keep it: updating it is cheap. */
  labels(labels: Labels): HistogramSeries {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = new HistogramSeries(labels, this.bounds);
      this.series.set(key, s);
    }
    return s;
  }

  async get() {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.counts[i];
        values.push({ value: cumulative, labels: { le: this.bounds[i], ...s.labels }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: cumulative + s.counts[this.bounds.length], labels: { le: '+Inf', ...s.labels }, metricName: `${this.name}_bucket` });
      values.push({ value: s.sum, labels: { ...s.labels }, metricName: `${this.name}_sum` });
      values.push({ value: s.count, labels: { ...s.labels }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

export class SeriesCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, CounterSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  labels(labels: Labels): CounterSeries {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = new CounterSeries(labels);
      this.series.set(key, s);
    }
    return s;
  }

  /** prom-client's Counter.inc(labels) form, for the rare paths. */
  inc(labels: Labels, by = 1): void {
    this.labels(labels).inc(by);
  }

  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.series.values()].map((s) => ({ value: s.value, labels: { ...s.labels } })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}
