// The request path as a chain of named stages, each one decision, composed into a single
// verdict: proxy to this URL and add these response headers, or answer with this problem
// and these headers. Pure over (config, request, clock, flags): decide() is the only reader
// of the clock on the request path, and the verdict carries the instant it was made for, so
// what runs after the response (consumer counts) needs no clock of its own. The server
// only carries out the verdict.
//
// Stages, numbered as in the README: 1 resolve version (src/versioning), 2 match route
// (src/routing), 3 lifecycle (src/lifecycle; 3b per operation, src/openapi), 4 pick arm
// (src/canary), then the proxy (src/gateway/forward.ts) and observe (src/metrics).
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledCanary, CompiledConfig, CompiledRoute, CompiledUpstream, CompiledVersion } from '../config/compiled.js';
import type { VersionSource } from '../config/schema.js';
import {
  ERR_VERSION_MALFORMED,
  ERR_ROUTE_NOT_FOUND,
  ERR_VERSION_BROWNOUT,
  ERR_VERSION_CONFLICT,
  ERR_VERSION_NOT_ROUTED,
  ERR_VERSION_SUNSET,
  ERR_VERSION_UNKNOWN,
  ERR_METHOD_NOT_ALLOWED,
  ERR_VERSION_REQUIRED,
} from '../errors.js';
import { pickArm, type Arm } from '../canary/arm.js';
import type { FlagSource } from '../canary/flags/flag-source.js';
import { successorLink } from '../lifecycle/links.js';
import { activeBrownout, lifecycleState, type LifecycleState } from '../lifecycle/state.js';
import type { BrownoutWindow } from '../config/compiled.js';
import { matchRoute } from '../routing/match.js';
import { resolveVersion, type VersionResolution } from '../versioning/resolve.js';
import { matchDeprecatedOperation, operationResponseHeaders, operationSunsetProblem, type MatchedOperation } from '../openapi/lifecycle.js';
import { configuredProblem, problem, quote, type Problem } from './problem.js';

export interface GatewayRequest {
  method: string;
  /** The raw request target: path and query, as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The client address, for canary stickiness by IP. */
  ip?: string;
}

/**
 * Response headers as flat name/value pairs (names lower-case), the shape Node's
 * writeHead takes: most verdicts share a constant array, so nothing is built per request.
 */
export type HeaderPairs = readonly string[];

const NO_HEADERS: HeaderPairs = Object.freeze([]);
const ARM_HEADERS: Record<Arm, HeaderPairs> = { stable: Object.freeze(['sundial-arm', 'stable']), canary: Object.freeze(['sundial-arm', 'canary']) };

interface Resolved {
  route: CompiledRoute;
  version: CompiledVersion;
  source: VersionSource | 'default';
  state: LifecycleState;
  forwardPath: string;
  query: string;
  /** The deprecated OpenAPI operation the request calls, when its version has a document. */
  operation?: MatchedOperation;
}

export interface ProxyDecision extends Resolved {
  kind: 'proxy';
  arm: Arm;
  /** The route version's canary, when it has one (whichever arm was picked). */
  canary?: CompiledCanary;
  upstream: CompiledUpstream;
  /** The full upstream URL: upstream base, forwarded path and the original query. */
  target: string;
  /** Headers to add to the upstream's response: lifecycle, successor link, canary arm. */
  headers: HeaderPairs;
  /** The instant (ms since the epoch) the verdict was made for. */
  now: number;
}

export interface RejectDecision extends Partial<Resolved> {
  kind: 'reject';
  problem: Problem;
  /** Headers to send with the problem: Allow, lifecycle headers, Retry-After. */
  headers: HeaderPairs;
  now: number;
}

export type Decision = ProxyDecision | RejectDecision;

const SOURCE_NAMES: Record<VersionSource, string> = { path: 'path', header: 'header', accept: 'Accept media type', query: 'query parameter' };

export function decide(cfg: CompiledConfig, req: GatewayRequest, now: number, flags?: FlagSource): Decision {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const query = q === -1 ? '' : req.url.slice(q + 1);

  // 1. resolve version
  const resolution = resolveVersion(cfg.versioning, { path, query, headers: req.headers });
  if (!resolution.ok) return reject(now, unresolvedVersionProblem(resolution, cfg.versioning.supported));
  const { forwardPath } = resolution;

  // 2. match route, and the version it serves
  const route = matchRoute(cfg.routes, forwardPath, req.headers.host);
  if (!route) return reject(now, problem(ERR_ROUTE_NOT_FOUND, `No route serves ${quote(forwardPath)}.`));
  if (route.methods && !route.methods.has(req.method)) {
    return reject(now, problem(ERR_METHOD_NOT_ALLOWED, `Route "${route.name}" accepts ${route.allow}, not ${quote(req.method)}.`), ['allow', route.allow]);
  }
  const versionId = resolution.version ?? route.defaultVersion ?? cfg.versioning.defaultVersion;
  if (versionId === undefined) return reject(now, versionRequiredProblem(cfg));
  const version = cfg.versions.get(versionId)!;
  const upstream = route.upstreams.get(versionId);
  if (!upstream) return reject(now, notRoutedProblem(route, versionId));
  const source = resolution.source ?? 'default';

  // 3. lifecycle; the brownout window is looked up once, for the state and the problem.
  const brownout = version.brownouts.length ? activeBrownout(version, now) : undefined;
  const state = lifecycleState(version, now, brownout);
  if (state === 'sunset') return rejectSunset(cfg, { route, version, source, state, forwardPath, query }, now);
  if (state === 'brownout') return rejectBrownout(cfg, { route, version, source, state, forwardPath, query }, brownout!, now);

  // 3b. per-operation lifecycle, from the version's OpenAPI document (compiled at load)
  const operation = version.openapi === undefined ? undefined : matchDeprecatedOperation(version, req.method, forwardPath);
  const op = operation?.value;
  if (op?.sunsetAt !== undefined && now >= op.sunsetAt) {
    const resolved: Resolved = { route, version, source, state, forwardPath, query, operation };
    return { kind: 'reject', ...resolved, problem: operationSunsetProblem(version, op), headers: lifecycleResponseHeaders(cfg, resolved), now };
  }

  // 4. pick arm
  const arm: Arm = upstream.canary && flags ? pickArm(upstream.canary, req.headers, req.ip, flags) : 'stable';
  const chosen = arm === 'canary' ? upstream.canary!.canary : upstream;

  return {
    kind: 'proxy',
    route,
    version,
    source,
    state,
    forwardPath,
    query,
    operation,
    arm,
    canary: upstream.canary,
    upstream: chosen,
    target: query ? `${chosen.base}${forwardPath}?${query}` : `${chosen.base}${forwardPath}`,
    headers: proxyResponseHeaders(cfg, { version, source, forwardPath, query, operation }, upstream.canary, arm),
    now,
  };
}

/** Stage 1's refusal: the request names a version this API does not have, one that cannot be read, or several. */
function unresolvedVersionProblem(resolution: Exclude<VersionResolution, { ok: true }>, supportedVersions: readonly string[]): Problem {
  switch (resolution.kind) {
    case 'unknown':
      return problem(
        ERR_VERSION_UNKNOWN,
        `The ${SOURCE_NAMES[resolution.source]} names API version "${quote(resolution.value)}", which this API does not have.`,
        {
          supportedVersions,
          source: resolution.source,
        },
      );
    case 'malformed':
      return problem(
        ERR_VERSION_MALFORMED,
        `The ${SOURCE_NAMES[resolution.source]} carries an API version that cannot be read: "${quote(resolution.value)}".`,
        {
          supportedVersions,
          source: resolution.source,
        },
      );
    case 'conflict':
      return problem(
        ERR_VERSION_CONFLICT,
        `The request names more than one API version: ${resolution.found.map((f) => `${f.version} (${SOURCE_NAMES[f.source]})`).join(', ')}. Name one.`,
        { supportedVersions, found: resolution.found },
      );
  }
}

function versionRequiredProblem(cfg: CompiledConfig): Problem {
  return problem(ERR_VERSION_REQUIRED, `Name an API version (${describeSources(cfg)}).`, { supportedVersions: cfg.versioning.supported });
}

function notRoutedProblem(route: CompiledRoute, versionId: string): Problem {
  return problem(ERR_VERSION_NOT_ROUTED, `"${route.name}" is not served in API version ${versionId}. It is served in: ${route.versionIds.join(', ')}.`, {
    supportedVersions: route.versionIds,
  });
}

/** The response headers of a proxy verdict: none, the version's lifecycle headers, the arm. */
function proxyResponseHeaders(
  cfg: CompiledConfig,
  r: Pick<Resolved, 'version' | 'source' | 'forwardPath' | 'query' | 'operation'>,
  canary: CompiledCanary | undefined,
  arm: Arm,
): HeaderPairs {
  const h = r.version.headers;
  const lifecycle = h.deprecation || h.sunset || r.operation ? lifecycleResponseHeaders(cfg, r) : NO_HEADERS;
  if (!canary?.armHeader) return lifecycle;
  return lifecycle.length ? [...lifecycle, 'sundial-arm', arm] : ARM_HEADERS[arm];
}

function reject(now: number, p: Problem, headers: HeaderPairs = NO_HEADERS): RejectDecision {
  return { kind: 'reject', problem: p, headers, now };
}

function describeSources(cfg: CompiledConfig): string {
  const v = cfg.versioning;
  return v.sources
    .map((s) => {
      switch (s) {
        case 'path':
          return 'a path prefix such as /v1/...';
        case 'header':
          return `the ${v.header} header`;
        case 'accept':
          return `Accept: ${v.accept}; version=...`;
        case 'query':
          return `?${v.query}=...`;
      }
    })
    .join(', or ');
}

/** The lifecycle headers for a resolved version, including the per-request successor link. */
export function lifecycleResponseHeaders(cfg: CompiledConfig, r: Pick<Resolved, 'version' | 'source' | 'forwardPath' | 'query' | 'operation'>): HeaderPairs {
  if (r.operation) {
    const op = operationResponseHeaders(cfg, { ...r, operation: r.operation });
    const out: string[] = [];
    for (const name in op) out.push(name, op[name]);
    return out;
  }
  const h = r.version.headers;
  const successor =
    r.version.successor && (h.deprecation || h.sunset)
      ? successorLink(cfg.versioning, r.version.successor, r.source === 'default' ? undefined : r.source, r.forwardPath, r.query)
      : undefined;
  const fixed = fixedLifecycleHeaders(r.version);
  if (!h.link && !successor) return fixed;
  return [...fixed, 'link', h.link && successor ? `${h.link}, ${successor}` : (h.link ?? successor)!];
}

// A version's Deprecation and Sunset values never change while its config serves, so the
// pairs are built once per compiled version.
const fixedPairs = new WeakMap<CompiledVersion, HeaderPairs>();
function fixedLifecycleHeaders(v: CompiledVersion): HeaderPairs {
  let pairs = fixedPairs.get(v);
  if (!pairs) {
    const out: string[] = [];
    if (v.headers.deprecation) out.push('deprecation', v.headers.deprecation);
    if (v.headers.sunset) out.push('sunset', v.headers.sunset);
    pairs = Object.freeze(out);
    fixedPairs.set(v, pairs);
  }
  return pairs;
}

function rejectSunset(cfg: CompiledConfig, r: Resolved, now: number): RejectDecision {
  const v = r.version;
  const sunset = new Date(v.sunsetAt!).toISOString();
  const detail = v.successor ? `API version ${v.id} was retired on ${sunset}. Use ${v.successor} instead.` : `API version ${v.id} was retired on ${sunset}.`;
  return {
    kind: 'reject',
    ...r,
    problem: configuredProblem(ERR_VERSION_SUNSET, v.sunsetStatus, detail, { version: v.id, sunset, successor: v.successor, docs: v.docs }),
    headers: lifecycleResponseHeaders(cfg, r),
    now,
  };
}

function rejectBrownout(cfg: CompiledConfig, r: Resolved, w: BrownoutWindow, now: number): RejectDecision {
  const v = r.version;
  const end = new Date(w.end).toISOString();
  const sunset = v.sunsetAt === undefined ? undefined : new Date(v.sunsetAt).toISOString();
  const detail =
    `API version ${v.id} is unavailable during a scheduled brownout until ${end}` +
    (sunset ? `, a reminder that it will be retired on ${sunset}` : '') +
    (v.successor ? `. Move to ${v.successor}.` : '.');
  return {
    kind: 'reject',
    ...r,
    problem: configuredProblem(ERR_VERSION_BROWNOUT, w.status, detail, {
      version: v.id,
      brownout: { start: new Date(w.start).toISOString(), end },
      sunset,
      successor: v.successor,
      docs: v.docs,
    }),
    headers: [...lifecycleResponseHeaders(cfg, r), 'retry-after', String(Math.max(1, Math.ceil((w.end - now) / 1000)))],
    now,
  };
}
