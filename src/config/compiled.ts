// The runtime form of a config: everything a request needs is looked up, parsed and
// formatted here once, so the request path only reads from maps and precomputed strings.
import type { LifecycleHeaders } from '../lifecycle/headers.js';
import type { GatewayFile, RolloutFile, VersionSource } from './schema.js';
import type { CompiledShadow } from '../shadow/types.js';
import type { CompiledOpenApi } from '../openapi/compile.js';
import type { CompiledChain } from '../transform/chain.js';
import type { VersionTransform } from '../transform/rules.js';

export interface BrownoutWindow {
  start: number;
  end: number;
  status: number;
}

export interface CompiledVersion {
  id: string;
  file: string;
  aliases: string[];
  deprecatedAt?: number;
  sunsetAt?: number;
  successor?: string;
  docs?: string;
  policy?: string;
  description?: string;
  brownouts: BrownoutWindow[];
  sunsetStatus: number;
  headers: LifecycleHeaders;
  /** The version's OpenAPI document, compiled; absent when the version names none. */
  openapi?: CompiledOpenApi;
  /** How this version maps to its successor (docs/transforms.md), compiled. */
  transform?: VersionTransform;
}

export interface CompiledCanary {
  /** "<route>/<version>", the canary's name in the admin API and logs. */
  key: string;
  route: string;
  version: string;
  flag: string;
  stable: CompiledUpstream;
  canary: CompiledUpstream;
  /** Lower-cased header name, cookie name, or the client address. */
  stickiness: { header: string } | { cookie: string } | { ip: true };
  forceHeader?: string;
  armHeader: boolean;
  rollout?: RolloutFile;
}

export interface CompiledUpstream {
  /** The upstream URL without a trailing slash; the forwarded path is appended to it. */
  base: string;
  timeout?: number;
  canary?: CompiledCanary;
  /** Shadow traffic for this route version (docs/shadow.md). */
  shadow?: CompiledShadow;
  /** Set when this upstream serves an older version through transforms (`via:`). */
  transform?: CompiledChain;
}

export interface CompiledRoute {
  name: string;
  file: string;
  prefix: string;
  methods: ReadonlySet<string> | null;
  /** The Allow header value for a 405, when methods are restricted. */
  allow: string;
  host: string | null;
  defaultVersion?: string;
  upstreams: ReadonlyMap<string, CompiledUpstream>;
  versionIds: string[];
}

export interface CompiledVersioning {
  sources: readonly VersionSource[];
  /** Lower-cased header name, as Node presents incoming headers. */
  header: string;
  query: string;
  /** Lower-cased vendor media type whose `version` parameter names the version. */
  accept?: string;
  defaultVersion?: string;
  onConflict: 'reject' | 'precedence';
  /** Lower-cased id or alias to version id. */
  aliases: ReadonlyMap<string, string>;
  supported: readonly string[];
}

export interface CompiledConfig {
  dir: string;
  gateway: GatewayFile;
  versioning: CompiledVersioning;
  versions: ReadonlyMap<string, CompiledVersion>;
  /** Longest prefix first, so the first match is the most specific. */
  routes: readonly CompiledRoute[];
  /** Every canary, in route order. */
  canaries: readonly CompiledCanary[];
  /** Content fingerprint, so a reload of unchanged files is a no-op. */
  fingerprint: string;
  loadedAt: number;
}
