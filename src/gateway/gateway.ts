// A running gateway: the proxy and admin listeners around one swappable config, with hot
// reload (file changes, SIGHUP via the CLI, POST /admin/reload) and graceful shutdown.
import { watch, type FSWatcher } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { adminExposureProblem } from '../admin/exposure.js';
import { buildAdminServer, type ReloadOutcome } from '../admin/server.js';
import type { CompiledConfig } from '../config/compiled.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import { configFolders, loadConfig } from '../config/load.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { FlagSource } from '../canary/flags/flag-source.js';
import { openFlagSource } from '../canary/flags/open.js';
import { Rollouts } from '../canary/rollouts.js';
import { ConsumerTracker } from '../consumers/tracker.js';
import { buildProxyServer, closeUpstreams } from './server.js';
import { ShadowService } from '../shadow/service.js';

export interface GatewayOptions {
  dir: string;
  /** Milliseconds since the epoch; injected by tests to move through a version's lifecycle. */
  clock?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Watch the config folders and reload on change (default: the config's reload.watch). */
  watch?: boolean;
  logLevel?: string;
  /**
   * Where the admin listener goes: the configured address (the default); a private
   * loopback port, for a cluster worker whose primary serves the admin API; or nowhere.
   */
  adminListener?: 'config' | 'private' | 'none';
  /** Run the canary rollout controllers (in a cluster, only one worker does). */
  controllers?: boolean;
  /** Overrides of the configured listen and admin ports (0 picks a free one). */
  port?: number;
  adminPort?: number;
  host?: string;
  /** Called with each config the gateway starts serving after a reload (a cluster worker tells its primary). */
  onConfigApplied?: (config: CompiledConfig) => void;
}

export class Gateway {
  proxy!: FastifyInstance;
  admin!: FastifyInstance;
  readonly metrics: GatewayMetrics;
  /** Who still calls deprecated versions and operations (config: consumers). */
  readonly consumers: ConsumerTracker;
  readonly log: pino.Logger;
  readonly shadow: ShadowService;
  private config: CompiledConfig;
  private readonly options: GatewayOptions;
  private watchers: FSWatcher[] = [];
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<ReloadOutcome> | undefined;
  /** The last reload's outcome, for the admin page. */
  private lastReload: (ReloadOutcome & { at: string; reason: string }) | undefined;
  private closing = false;
  private listening = false;
  private flagSource: FlagSource | undefined;
  readonly rollouts: Rollouts;
  /** Where the admin API is exposed until a restart: this listener's, or a cluster primary's, which binds the same configured host. */
  private readonly adminHost: string;

  private constructor(config: CompiledConfig, options: GatewayOptions) {
    this.config = config;
    this.options = options;
    this.adminHost = options.host ?? config.gateway.admin.host;
    this.log = pino({ level: options.logLevel ?? config.gateway.log.level, base: { service: 'sundial' } });
    this.metrics = new GatewayMetrics({ buckets: config.gateway.metrics.buckets, processMetrics: config.gateway.metrics.processMetrics });
    this.metrics.configLoadedAt.set(config.loadedAt / 1000);
    this.rollouts = new Rollouts(this.metrics, this.log.child({ component: 'rollout' }), options.clock ?? Date.now);
    this.shadow = new ShadowService({
      current: () => this.config,
      metrics: this.metrics,
      logger: this.log.child({ component: 'shadow' }),
      clock: options.clock,
    });
    this.consumers = new ConsumerTracker(options.clock);
    this.consumers.configure(config);
  }

  /** Loads the config (throwing a ConfigError naming every problem) and builds both listeners. */
  static async create(options: GatewayOptions): Promise<Gateway> {
    const config = loadConfig(options.dir, { env: options.env, clock: options.clock });
    const gateway = new Gateway(config, options);
    const clock = options.clock ?? Date.now;
    if (config.canaries.length) gateway.flagSource = await openFlagSource(config.gateway.flags, config.dir, gateway.log.child({ component: 'flags' }));
    gateway.proxy = await buildProxyServer({
      current: () => gateway.config,
      clock,
      metrics: gateway.metrics,
      logger: gateway.log.child({ listener: 'proxy' }),
      draining: () => gateway.closing,
      flags: () => gateway.flagSource,
      shadow: gateway.shadow,
      consumers: gateway.consumers,
    });
    gateway.admin = await buildAdminServer({
      current: () => gateway.config,
      metrics: gateway.metrics,
      reload: (reason) => gateway.reload(reason),
      ready: () => gateway.listening && !gateway.closing,
      rollouts: () => gateway.rollouts,
      logger: gateway.log.child({ listener: 'admin' }),
      shadow: gateway.shadow,
      consumers: gateway.consumers,
      clock,
      lastReload: () => gateway.lastReload,
    });
    return gateway;
  }

  get current(): CompiledConfig {
    return this.config;
  }

  /** The canary flag source, when a route has a canary. */
  get flags(): FlagSource | undefined {
    return this.flagSource;
  }

  async listen(): Promise<{ proxy: string; admin: string }> {
    const g = this.config.gateway;
    const host = this.options.host;
    const proxy = await this.proxy.listen({ host: host ?? g.listen.host, port: this.options.port ?? g.listen.port });
    const where = this.options.adminListener ?? 'config';
    const admin =
      where === 'none'
        ? ''
        : where === 'private'
          ? await this.admin.listen({ host: '127.0.0.1', port: 0 })
          : await this.admin.listen({ host: host ?? g.admin.host, port: this.options.adminPort ?? g.admin.port });
    this.listening = true;
    if (this.options.controllers !== false) await this.rollouts.sync(this.config, this.flagSource);
    if (this.options.watch ?? g.reload.watch) this.startWatching();
    if (!g.admin.token && where === 'config') this.log.warn('no admin token is configured: the admin API on loopback is open to every local user');
    return { proxy, admin };
  }

  /** Re-reads the config directory. A bad config is refused and the running one kept. */
  reload(reason: string): Promise<ReloadOutcome> {
    // Reloads are serialised, so two triggers at once cannot interleave.
    const run = async (): Promise<ReloadOutcome> => {
      let next: CompiledConfig;
      try {
        next = loadConfig(this.options.dir, { env: this.options.env, clock: this.options.clock });
        const exposed = adminExposureProblem('config/gateway.yaml', this.adminHost, next.gateway.admin.token, true);
        if (exposed) throw new ConfigError([exposed]);
      } catch (err) {
        const problems = err instanceof ConfigError ? err.problems.map(formatProblem) : [String(err)];
        this.metrics.configReloads.inc({ result: 'refused' });
        this.log.error({ reason, problems }, 'config reload refused; the running config keeps serving');
        return { result: 'refused', problems, fingerprint: this.config.fingerprint };
      }
      if (next.fingerprint === this.config.fingerprint) {
        this.metrics.configReloads.inc({ result: 'unchanged' });
        return { result: 'unchanged', fingerprint: next.fingerprint };
      }
      const warnings = restartOnlyChanges(this.config, next);
      for (const w of warnings) this.log.warn({ reason }, w);
      const retired = await this.swapFlagSource(next);
      this.config = next;
      this.consumers.configure(next);
      if (this.listening && this.options.controllers !== false) await this.rollouts.sync(next, this.flagSource);
      await retired?.close();
      this.metrics.configReloads.inc({ result: 'applied' });
      this.metrics.configLoadedAt.set(next.loadedAt / 1000);
      this.options.onConfigApplied?.(next);
      this.log.info({ reason, fingerprint: next.fingerprint.slice(0, 12), versions: next.versions.size, routes: next.routes.length }, 'config reloaded');
      return { result: 'applied', warnings, fingerprint: next.fingerprint };
    };
    const recorded = () =>
      run().then((outcome) => {
        this.lastReload = { at: new Date().toISOString(), reason, ...outcome };
        return outcome;
      });
    const chained = (this.reloading ?? Promise.resolve()).then(recorded, recorded);
    this.reloading = chained;
    return chained;
  }

  /** Opens a new flag source when the flags settings changed; returns the one to close. */
  private async swapFlagSource(next: CompiledConfig): Promise<FlagSource | undefined> {
    const before = this.flagSource;
    const same = before && JSON.stringify(next.gateway.flags) === JSON.stringify(this.config.gateway.flags);
    if (!next.canaries.length) {
      this.flagSource = undefined;
      return before;
    }
    if (same) return undefined;
    this.flagSource = await openFlagSource(next.gateway.flags, next.dir, this.log.child({ component: 'flags' }));
    return before;
  }

  private startWatching(): void {
    const debounce = this.config.gateway.reload.debounce;
    for (const folder of configFolders(this.config)) {
      try {
        const watcher = watch(folder, () => {
          clearTimeout(this.reloadTimer);
          this.reloadTimer = setTimeout(() => void this.reload('file change'), debounce);
        });
        watcher.on('error', (err) => this.log.warn({ err, folder }, 'config watcher failed; reload with SIGHUP or POST /admin/reload'));
        this.watchers.push(watcher);
      } catch (err) {
        this.log.warn({ err, folder }, 'cannot watch config folder');
      }
    }
  }

  /**
   * Stops accepting connections and lets in-flight requests finish, up to the drain
   * deadline; connections still open after it are cut.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.reloadTimer);
    for (const w of this.watchers) w.close();
    const deadline = this.config.gateway.shutdown.drainTimeout;
    const timer = setTimeout(() => {
      this.log.warn({ deadline }, 'drain deadline reached; closing the remaining connections');
      this.proxy.server.closeAllConnections();
    }, deadline);
    timer.unref();
    // Connections that finish their last response after close() began are idle keep-alive
    // sockets that server.close() alone would wait on until the deadline.
    this.rollouts.close();
    const sweep = setInterval(() => this.proxy.server.closeIdleConnections(), 50);
    sweep.unref();
    try {
      await this.proxy.close();
    } finally {
      clearTimeout(timer);
      clearInterval(sweep);
      await closeUpstreams(this.proxy);
      await this.shadow.close();
      await this.admin.close();
      await this.flagSource?.close();
    }
  }
}

function restartOnlyChanges(prev: CompiledConfig, next: CompiledConfig): string[] {
  const a = prev.gateway;
  const b = next.gateway;
  const warnings: string[] = [];
  const changed = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y);
  if (changed(a.listen, b.listen)) warnings.push('listen changed: it takes effect at the next restart');
  if (a.admin.host !== b.admin.host || a.admin.port !== b.admin.port) warnings.push('admin address changed: it takes effect at the next restart');
  if (a.upstream.connectTimeout !== b.upstream.connectTimeout || a.upstream.connections !== b.upstream.connections) {
    warnings.push('upstream.connectTimeout and upstream.connections take effect at the next restart');
  }
  if (changed(a.discovery, b.discovery) || a.trustProxy !== b.trustProxy || changed(a.metrics, b.metrics)) {
    warnings.push('discovery, trustProxy and metrics settings take effect at the next restart');
  }
  return warnings;
}
