// GET /.well-known/api-versions: every version with its lifecycle, so clients and tooling
// can find out what is deprecated and when it goes, without reading response headers.
import type { CompiledConfig } from '../config/compiled.js';
import { lifecycleState, upcomingBrownouts } from '../lifecycle/state.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function discoveryDocument(cfg: CompiledConfig, now: number) {
  return {
    defaultVersion: cfg.versioning.defaultVersion ?? null,
    versioning: {
      sources: cfg.versioning.sources,
      header: cfg.gateway.versioning.header,
      query: cfg.versioning.query,
      accept: cfg.gateway.versioning.accept,
    },
    versions: [...cfg.versions.values()].map((v) => ({
      id: v.id,
      aliases: v.aliases,
      state: lifecycleState(v, now),
      deprecated: iso(v.deprecatedAt),
      sunset: iso(v.sunsetAt),
      successor: v.successor,
      docs: v.docs,
      policy: v.policy,
      description: v.description,
      brownouts: upcomingBrownouts(v, now).map((w) => ({ start: iso(w.start), end: iso(w.end), status: w.status })),
      routes: cfg.routes.filter((r) => r.upstreams.has(v.id)).map((r) => ({ name: r.name, prefix: r.prefix })),
    })),
  };
}
