// The slice of Unleash's Admin API the rollout controller needs: set a flag's
// flexibleRollout percentage, and turn the flag on or off, in one environment.
// Unleash expects the token as the whole Authorization value, without "Bearer".
import { request } from 'undici';
import { rolloutFeature, type FlagState } from './flag-source.js';

export interface UnleashAdminOptions {
  /** The Unleash API URL, as given to the client: http://unleash:4242/api */
  url: string;
  token: string;
  project: string;
  environment: string;
}

interface Strategy {
  id: string;
  name: string;
  parameters?: Record<string, string>;
}

export class UnleashAdmin {
  private readonly base: string;
  constructor(private readonly options: UnleashAdminOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  private featurePath(flag: string): string {
    const { project, environment } = this.options;
    return `${this.base}/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(flag)}/environments/${encodeURIComponent(environment)}`;
  }

  private async call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<unknown> {
    const res = await request(url, {
      method,
      headers: { authorization: this.options.token, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`Unleash Admin API ${method} ${url}: ${res.statusCode} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }

  async write(flag: string, state: FlagState): Promise<void> {
    const env = this.featurePath(flag);
    const strategies = (await this.call('GET', `${env}/strategies`)) as Strategy[];
    const existing = strategies.find((s) => s.name === 'flexibleRollout');
    if (existing) {
      await this.call('PATCH', `${env}/strategies/${existing.id}`, [{ op: 'replace', path: '/parameters/rollout', value: String(state.rollout) }]);
    } else {
      await this.call('POST', `${env}/strategies`, rolloutFeature(flag, state).strategies[0]);
    }
    await this.call('POST', `${env}/${state.enabled ? 'on' : 'off'}`);
  }
}
