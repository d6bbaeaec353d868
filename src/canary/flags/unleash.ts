// Flags from a real Unleash server through unleash-client. The client keeps the last known
// flags in memory and in a backup file, so an unreachable server never fails a request:
// the split the gateway last knew keeps serving until the server is back.
import { Unleash, type Context } from 'unleash-client';
import { stateOfFeature, type FlagContext, type FlagSource, type FlagState } from './flag-source.js';
import { UnleashAdmin } from './unleash-admin.js';
import { RolloutRules } from './rollout-rule.js';

export interface UnleashFlagOptions {
  url: string;
  appName: string;
  environment: string;
  project: string;
  token?: string;
  adminToken?: string;
  refreshInterval: number;
  backupPath?: string;
  /** How long start-up waits for the first flags before serving with none. */
  readyTimeout?: number;
}

export interface FlagLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export class UnleashFlagSource implements FlagSource {
  readonly kind = 'unleash';
  private readonly admin: UnleashAdmin | undefined;
  // Percentages written through the Admin API, until the client has seen them.
  private readonly written = new Map<string, FlagState>();
  private readonly rules = new RolloutRules();

  private constructor(
    private readonly client: Unleash,
    options: UnleashFlagOptions,
  ) {
    this.admin = options.adminToken
      ? new UnleashAdmin({ url: options.url, token: options.adminToken, project: options.project, environment: options.environment })
      : undefined;
  }

  static async open(options: UnleashFlagOptions, log: FlagLog): Promise<UnleashFlagSource> {
    const client = new Unleash({
      url: options.url,
      appName: options.appName,
      environment: options.environment,
      refreshInterval: options.refreshInterval,
      customHeaders: options.token ? { Authorization: options.token } : undefined,
      backupPath: options.backupPath,
      skipInstanceCountWarning: true,
    });
    // unleash-client emits 'error' for every failed poll; without a listener that would
    // crash the process. A down server is expected: the last known flags keep serving.
    let lastError = '';
    client.on('error', (err: Error) => {
      if (err.message !== lastError) log.warn({ err: err.message }, 'Unleash unreachable or refused; serving the last known flags');
      lastError = err.message;
    });
    client.on('warn', (msg: unknown) => log.warn({ msg: String(msg) }, 'Unleash client warning'));
    client.on('synchronized', () => {
      lastError = '';
    });
    const source = new UnleashFlagSource(client, options);
    client.on('changed', () => source.written.clear());
    if (!client.isSynchronized()) {
      // Not events.once(): it rejects on the 'error' a down server emits, and a down server
      // must not stop the gateway from starting (the backup file, if any, serves instead).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.readyTimeout ?? 5000);
        timer.unref();
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', done);
        client.once('synchronized', done);
      });
    }
    log.info({ url: options.url, synchronized: client.isSynchronized() }, 'Unleash flag source started');
    return source;
  }

  isEnabled(flag: string, context: FlagContext): boolean {
    const fast = this.rules.isEnabled(this.client, flag, context);
    if (fast === undefined) return this.client.isEnabled(flag, context as Context, false);
    // Counted as unleash-client's isEnabled counts it, for the server's usage metrics.
    this.client.count(flag, fast);
    return fast;
  }

  state(flag: string): FlagState | undefined {
    return this.written.get(flag) ?? stateOfFeature(this.client.getFeatureToggleDefinition(flag));
  }

  async write(flag: string, state: FlagState): Promise<void> {
    if (!this.admin) throw new Error('changing an Unleash flag needs flags.adminToken (an Unleash admin API token) in config/gateway.yaml');
    await this.admin.write(flag, state);
    this.written.set(flag, state);
  }

  async close(): Promise<void> {
    this.client.destroy();
    // destroy() strips the repository's listeners while a poll may still be in flight; its
    // failure would then be emitted as an 'error' nobody listens to, which throws.
    const repository = (this.client as unknown as { repository?: { on?: (e: string, f: () => void) => void } }).repository;
    repository?.on?.('error', () => {});
  }
}
