// Shadow traffic for a running gateway: admits requests to be mirrored, keeps one bounded
// report per route and version (surviving reloads for routes that keep their shadow), and
// owns the mirror connection pools.
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledConfig } from '../config/compiled.js';
import type { ProxyDecision } from '../gateway/decide.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { CounterSeries } from '../metrics/series-metrics.js';
import { BatchQueue } from './batch.js';
import { ShadowClient } from './client.js';
import { declaredLength, mirrorDecision, type SkipReason } from './mirror-decision.js';
import { ShadowExchange, type ExchangeOwner, type ExchangeResult } from './exchange.js';
import { ShadowState, type ShadowReportJson } from './report.js';
import type { CompiledShadow } from './types.js';

export interface ShadowServiceOptions {
  current(): CompiledConfig;
  metrics: GatewayMetrics;
  logger: { warn(obj: object, msg: string): void };
  /** A draw in [0, 1) per request, for sampling; Math.random unless a test injects one. */
  random?: () => number;
  /** Milliseconds since the epoch, for the report's times (default Date.now). */
  clock?: () => number;
}

export interface ShadowReportDocument {
  shadows: ShadowReportJson[];
}

const key = (route: string, version: string) => `${route}\u0000${version}`;

/** A report's comparison counters, looked up once. */
type ComparisonSeries = Partial<Record<ExchangeResult, CounterSeries>>;

export class ShadowService implements ExchangeOwner {
  private readonly states = new Map<string, ShadowState>();
  /** The state of each compiled shadow, so a request finds it without building a key. */
  private readonly stateOfShadow = new WeakMap<CompiledShadow, ShadowState>();
  private readonly series = new WeakMap<ShadowState, ComparisonSeries>();
  readonly client = new ShadowClient();
  /** Mirrors to send: their writes are held while the batch is dispatched (client.ts). */
  private readonly sends = new BatchQueue<ShadowExchange>((x, err) => this.unexpected(x, err), this.client);
  /** Comparisons, which write nothing: no sockets to hold, no uncork to schedule. */
  private readonly comparisons = new BatchQueue<ShadowExchange>((x, err) => this.unexpected(x, err));
  private readonly random: () => number;

  constructor(private readonly options: ShadowServiceOptions) {
    this.random = options.random ?? Math.random;
  }

  private stateFor(route: string, version: string): ShadowState {
    const k = key(route, version);
    let state = this.states.get(k);
    if (!state) {
      state = new ShadowState(route, version, this.options.clock);
      this.states.set(k, state);
    }
    return state;
  }

  /**
   * Decides whether to mirror a request the gateway is about to proxy. When it does, the
   * returned exchange must be given the forwarded headers, the primary's response and the
   * close of the client's response (responseClosed), and its \`body\` (if any) must replace
   * the request body sent upstream.
   */
  admit(d: ProxyDecision, req: { method: string; url: string; headers: IncomingHttpHeaders }, body: unknown): ShadowExchange | null {
    const cfg = d.upstream.shadow;
    if (!cfg) return null;
    let state = this.stateOfShadow.get(cfg);
    if (!state) {
      state = this.stateFor(d.route.name, d.version.id);
      this.stateOfShadow.set(cfg, state);
    }
    const verdict = mirrorDecision({ method: req.method, contentLength: declaredLength(req.headers['content-length']) }, cfg, this.random(), state.inFlight);
    if (!verdict.mirror) {
      if (verdict.reason !== 'sampled-out') this.skipped(state, verdict.reason);
      return null;
    }
    state.inFlight++;
    return new ShadowExchange(this, cfg, state, req.method, req.url, d.query ? `${d.forwardPath}?${d.query}` : d.forwardPath, body);
  }

  defer(exchange: ShadowExchange, step: 'mirror' | 'compare'): void {
    (step === 'mirror' ? this.sends : this.comparisons).push(exchange);
  }

  settle(exchange: ShadowExchange, result: ExchangeResult | { skipped: SkipReason }): void {
    const state = exchange.state;
    state.inFlight--;
    if (typeof result === 'object') return this.skipped(state, result.skipped);
    let series = this.series.get(state);
    if (!series) this.series.set(state, (series = {}));
    // A series is created on its first count, so the scrape shows only results that happened.
    (series[result] ??= this.options.metrics.shadowComparisons.labels({ route: state.route, version: state.version, result })).inc();
  }

  unexpected(exchange: ShadowExchange, err: unknown): void {
    const state = exchange.state;
    this.options.logger.warn({ err, route: state.route, version: state.version }, 'shadow comparison failed');
    state.error('internal');
    exchange.end('error');
  }

  private skipped(state: ShadowState, reason: SkipReason): void {
    state.skip(reason);
    this.options.metrics.shadowSkipped.inc({ route: state.route, version: state.version, reason });
  }

  /** Every configured shadow's report. Reports of shadows no longer configured are dropped. */
  report(): ShadowReportDocument {
    const cfg = this.options.current();
    const shadows: ShadowReportJson[] = [];
    const live = new Set<string>();
    for (const route of cfg.routes) {
      for (const [version, upstream] of route.upstreams) {
        if (!upstream.shadow) continue;
        live.add(key(route.name, version));
        shadows.push(this.stateFor(route.name, version).toJSON(upstream.shadow));
      }
    }
    for (const k of this.states.keys()) if (!live.has(k)) this.states.delete(k);
    return { shadows };
  }

  /** Clears every report's counts, fields and samples. Mirrors in flight keep their slots. */
  reset(): void {
    for (const state of this.states.values()) state.reset();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
