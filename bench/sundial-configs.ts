// The sundial configs under test: (d) the core features, (e) a 50% canary, (f) 100% GET
// shadowing with comparison, (h) 10% GET shadowing, (i) v1 served via v2 through a
// transform. Each is a config directory of its own.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type SundialCase = 'core' | 'canary' | 'shadow' | 'shadow10' | 'transform';

export const BENCH_TOKEN = 'bench-admin-token';

export function sundialConfig(root: string, kind: SundialCase, port: number, adminPort: number, upstream: string, second: string): string {
  const dir = mkdtempSync(join(root, `sundial-${kind}-`));
  for (const sub of ['config', 'versions', 'routes']) mkdirSync(join(dir, sub));
  const write = (file: string, doc: unknown) => writeFileSync(join(dir, file), stringify(doc));
  write('config/gateway.yaml', {
    listen: { host: '127.0.0.1', port },
    admin: { host: '127.0.0.1', port: adminPort, token: BENCH_TOKEN },
    versioning: { sources: ['path', 'header', 'query'], default: 'v2' },
    reload: { watch: false },
    log: { level: 'warn' },
  });
  // v1 is deprecated with a sunset far ahead, so every v1 answer carries the lifecycle headers.
  const deprecatedV1 = {
    id: 'v1',
    aliases: ['1'],
    deprecated: '2026-01-01T00:00:00Z',
    sunset: '2099-06-30T23:59:59Z',
    successor: 'v2',
    docs: 'https://example.com/deprecations/v1',
    policy: 'https://example.com/sunset-policy',
  };
  write('versions/v1.yaml', deprecatedV1);
  write('versions/v2.yaml', { id: 'v2', aliases: ['2'] });
  const v1: Record<string, unknown> = { upstream };
  if (kind === 'transform') {
    // v1 served from "v2"'s upstream: every answer is buffered, parsed, carried back through
    // a table, a JSONata expression and renames, and written again (docs/transforms.md).
    v1.upstream = { via: 'v2' };
    write('versions/v1.yaml', {
      ...deprecatedV1,
      transform: {
        to: 'v2',
        response: [
          { rename: { from: 'state', to: 'status' } },
          {
            convert: {
              field: 'status',
              mapping: [
                { from: 'o', to: 'open' },
                { from: 'c', to: 'closed' },
              ],
            },
          },
          { rename: { from: 'cents', to: 'total_cents' } },
          { convert: { field: 'total_cents', forward: '$ * 1', backward: '$ / 1' } },
        ],
      },
    });
  }
  if (kind === 'canary') {
    // No X-User-Id in the load: every request is assigned at random, half to each arm.
    v1.canary = { upstream: second, flag: 'bench-canary', stickiness: { header: 'X-User-Id' } };
    write('config/flags.yaml', { flags: { 'bench-canary': { enabled: true, rollout: 50 } } });
  }
  if (kind === 'shadow' || kind === 'shadow10') {
    v1.shadow = { upstream: second, sample: kind === 'shadow' ? 1 : 0.1, methods: ['GET'], compare: { ignore: ['headers.date'] } };
  }
  write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1, v2: { upstream } } });
  return dir;
}

/** The lifecycle headers sundial sends for v1 above, for nginx to add too. */
export const DEPRECATION_HEADERS = {
  Deprecation: '@1767225600',
  Sunset: 'Tue, 30 Jun 2099 23:59:59 GMT',
  Link: '<https://example.com/deprecations/v1>; rel="deprecation", <https://example.com/sunset-policy>; rel="sunset", </v2/orders/1>; rel="successor-version"',
};
