// What the admin endpoints of every capability are given: the running gateway's parts, each
// read when a request comes, so a reload's changes are seen at once.
import type { FastifyBaseLogger } from 'fastify';
import type { Rollouts } from '../canary/rollouts.js';
import type { CompiledConfig } from '../config/compiled.js';
import type { ConsumerTracker } from '../consumers/tracker.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ShadowService } from '../shadow/service.js';

export interface ReloadOutcome {
  result: 'applied' | 'unchanged' | 'refused';
  problems?: string[];
  warnings?: string[];
  fingerprint: string;
}

export interface AdminContext {
  current(): CompiledConfig;
  metrics: GatewayMetrics;
  reload(reason: string): Promise<ReloadOutcome>;
  ready(): boolean;
  rollouts(): Rollouts;
  logger: FastifyBaseLogger;
  shadow?: ShadowService;
  consumers?: ConsumerTracker;
  clock?: () => number;
  /** The last reload's outcome, for the admin page. */
  lastReload?: () => (ReloadOutcome & { at: string; reason: string }) | undefined;
}
