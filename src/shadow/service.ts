// Shadow traffic for a running gateway: admits requests to be mirrored, keeps one bounded
// report per route and version (surviving reloads for routes that keep their shadow), and
// owns the mirror connection pools.
import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledConfig } from '../config/compiled.js';
import type { ProxyDecision } from '../gateway/decide.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { ShadowClient } from './client.js';
import { declaredLength, mirrorDecision, type SkipReason } from './mirror-decision.js';
import { ShadowExchange, type ExchangeContext, type ExchangeResult } from './exchange.js';
import { ShadowState, type ShadowReportJson } from './report.js';

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

export class ShadowService {
  private readonly states = new Map<string, ShadowState>();
  private readonly client = new ShadowClient();
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
   * returned exchange must be given the forwarded headers and the primary's response, and
   * its `body` (if any) must replace the request body sent upstream.
   */
  admit(d: ProxyDecision, req: { method: string; url: string; headers: IncomingHttpHeaders }, body: unknown, response: EventEmitter): ShadowExchange | null {
    const cfg = d.upstream.shadow;
    if (!cfg) return null;
    const state = this.stateFor(d.route.name, d.version.id);
    const verdict = mirrorDecision({ method: req.method, contentLength: declaredLength(req.headers['content-length']) }, cfg, this.random(), state.inFlight);
    if (!verdict.mirror) {
      if (verdict.reason !== 'sampled-out') this.skipped(state, verdict.reason);
      return null;
    }
    state.inFlight++;
    const ctx: ExchangeContext = {
      cfg,
      state,
      client: this.client,
      settle: (result) => {
        state.inFlight--;
        if (typeof result === 'object') this.skipped(state, result.skipped);
        else this.compared(state, result);
      },
      onUnexpected: (err) => this.options.logger.warn({ err, route: state.route, version: state.version }, 'shadow comparison failed'),
    };
    const exchange = new ShadowExchange(ctx, req.method, req.url, d.query ? `${d.forwardPath}?${d.query}` : d.forwardPath, body);
    response.once('close', () => void exchange.responseClosed());
    return exchange;
  }

  private skipped(state: ShadowState, reason: SkipReason): void {
    state.skip(reason);
    this.options.metrics.shadowSkipped.inc({ route: state.route, version: state.version, reason });
  }

  private compared(state: ShadowState, result: ExchangeResult): void {
    this.options.metrics.shadowComparisons.inc({ route: state.route, version: state.version, result });
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
