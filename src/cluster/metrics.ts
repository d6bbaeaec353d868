// One scrape of the cluster primary sees every worker: prom-client's AggregatorRegistry asks
// each worker for its registry over IPC and merges the series, each metric by its own
// `aggregator` (GatewayMetrics sets them by meaning: counters and sizes add up, a timestamp
// does not). The primary adds what only it knows: when the process the user started began.
import { AggregatorRegistry, Gauge, Registry } from 'prom-client';

export class ClusterMetrics {
  private readonly aggregator = new AggregatorRegistry();
  private readonly own = new Registry();

  constructor(options: { processMetrics: boolean }, startedAt = Date.now() - process.uptime() * 1000) {
    if (!options.processMetrics) return;
    // prom-client omits each worker's process_start_time_seconds from the aggregate, since
    // no sum of them means anything; the primary's is the start of the service.
    new Gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', registers: [this.own] }).set(
      Math.round(startedAt / 1000),
    );
  }

  get contentType(): string {
    return this.aggregator.contentType;
  }

  async render(): Promise<string> {
    const [workers, own] = await Promise.all([this.aggregator.clusterMetrics(), this.own.metrics()]);
    return [workers.trimEnd(), own].filter(Boolean).join('\n');
  }
}
