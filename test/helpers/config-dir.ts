// Config directories for tests, written as real files in a temp folder.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, formatProblem } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from './temp-dir.js';

export type Files = Record<string, unknown>;

export interface ConfigDir {
  dir: string;
  /** Writes one file: a string is written as is, anything else as YAML. */
  write(file: string, content: unknown): void;
  remove(): void;
}

export function configDir(files: Files): ConfigDir {
  const dir = tempDir('sundial-test-');
  const write = (file: string, content: unknown) => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  };
  for (const sub of ['config', 'versions', 'routes']) mkdirSync(join(dir, sub), { recursive: true });
  for (const [file, content] of Object.entries(files)) write(file, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A config directory removed when the test `t` ends. */
export function testConfigDir(t: { teardown(fn: () => void): void }, files: Files): ConfigDir {
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  return dir;
}

/** orderFiles with v1 mirrored to `candidate`: the config of the shadow reports' tests. */
export function shadowedOrderFiles(primary: string, candidate: string, gateway: Record<string, unknown> = {}): Files {
  const files = orderFiles({ v1: primary, v2: primary }, gateway);
  files['routes/orders.yaml'] = {
    name: 'orders',
    prefix: '/orders',
    versions: { v1: { upstream: primary, shadow: { upstream: candidate } }, v2: { upstream: primary } },
  };
  return files;
}

/** A small valid config: v1 deprecated with a sunset and a brownout, v2 current, one route. */
export function orderFiles(upstreams: { v1: string; v2: string }, gateway: Record<string, unknown> = {}): Files {
  return {
    'config/gateway.yaml': {
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0, token: 'test-admin-token' },
      versioning: {
        sources: ['path', 'header', 'accept', 'query'],
        header: 'Api-Version',
        query: 'version',
        accept: 'application/vnd.acme+json',
        default: 'v2',
      },
      upstream: { connectTimeout: '1s', timeout: '2s' },
      reload: { watch: false },
      metrics: { processMetrics: false },
      ...gateway,
    },
    'versions/v1.yaml': {
      id: 'v1',
      aliases: ['1', '2024-01-15'],
      deprecated: '2026-01-01T00:00:00Z',
      sunset: '2027-06-30T23:59:59Z',
      successor: 'v2',
      docs: 'https://example.com/deprecations/v1',
      policy: 'https://example.com/sunset-policy',
      brownouts: [{ start: '2027-05-01T14:00:00Z', end: '2027-05-01T15:00:00Z' }],
    },
    'versions/v2.yaml': { id: 'v2', aliases: ['2'] },
    'routes/orders.yaml': { name: 'orders', prefix: '/orders', versions: { v1: { upstream: upstreams.v1 }, v2: { upstream: upstreams.v2 } } },
  };
}

/** Loads a config written from `files` and returns its problems, formatted as users see them. */
export function problemsOf(files: Files, env: NodeJS.ProcessEnv = {}): string[] {
  const dir = configDir(files);
  try {
    loadConfig(dir.dir, { env });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(formatProblem);
  } finally {
    dir.remove();
  }
}
