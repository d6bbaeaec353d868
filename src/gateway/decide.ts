// The request path as a chain of named stages, each one decision, composed into a single
// verdict: proxy to this URL with these headers, or answer with this problem. Pure over
// (config, request, clock); the fastify shell only carries out the verdict.
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledCanary, CompiledConfig, CompiledRoute, CompiledUpstream, CompiledVersion } from '../config/compiled.js';
import type { VersionSource } from '../config/schema.js';
import {
  ERR_VERSION_MALFORMED, ERR_ROUTE_NOT_FOUND, ERR_VERSION_BROWNOUT, ERR_VERSION_CONFLICT,
  ERR_VERSION_NOT_ROUTED, ERR_VERSION_SUNSET, ERR_VERSION_UNKNOWN, ERR_METHOD_NOT_ALLOWED, ERR_VERSION_REQUIRED,
} from '../errors.js';
import { pickArm, type Arm } from '../canary/arm.js';
import type { FlagSource } from '../canary/flags/flag-source.js';
import { successorLink } from '../lifecycle/links.js';
import { activeBrownout, lifecycleState, type LifecycleState } from '../lifecycle/state.js';
import { matchRoute } from '../routing/match.js';
import { resolveVersion } from '../versioning/resolve.js';
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
}

export interface RejectDecision extends Partial<Resolved> {
  kind: 'reject';
  problem: Problem;
  headers?: Record<string, string>;
}

export type Decision = ProxyDecision | RejectDecision;

const SOURCE_NAMES: Record<VersionSource, string> = { path: 'path', header: 'header', accept: 'Accept media type', query: 'query parameter' };

export function decide(cfg: CompiledConfig, req: GatewayRequest, now: number, flags?: FlagSource): Decision {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const query = q === -1 ? '' : req.url.slice(q + 1);
  const supportedVersions = cfg.versioning.supported;

  // 1. resolve version
  const resolution = resolveVersion(cfg.versioning, { path, query, headers: req.headers });
  if (!resolution.ok) {
    switch (resolution.kind) {
      case 'unknown':
        return reject(problem(ERR_VERSION_UNKNOWN, `The ${SOURCE_NAMES[resolution.source]} names API version "${quote(resolution.value)}", which this API does not have.`,
          { supportedVersions, source: resolution.source }));
      case 'malformed':
        return reject(problem(ERR_VERSION_MALFORMED, `The ${SOURCE_NAMES[resolution.source]} carries an API version that cannot be read: "${quote(resolution.value)}".`,
          { supportedVersions, source: resolution.source }));
      case 'conflict':
        return reject(problem(ERR_VERSION_CONFLICT, `The request names more than one API version: ${resolution.found.map((f) => `${f.version} (${SOURCE_NAMES[f.source]})`).join(', ')}. Name one.`,
          { supportedVersions, found: resolution.found }));
    }
  }
  const { forwardPath } = resolution;

  // 2. match route
  const route = matchRoute(cfg.routes, forwardPath, req.headers.host);
  if (!route) {
    return reject(problem(ERR_ROUTE_NOT_FOUND, `No route serves ${quote(forwardPath)}.`));
  }
  if (route.methods && !route.methods.has(req.method)) {
    return reject(problem(ERR_METHOD_NOT_ALLOWED, `Route "${route.name}" accepts ${route.allow}, not ${quote(req.method)}.`), { allow: route.allow });
  }

  const versionId = resolution.version ?? route.defaultVersion ?? cfg.versioning.defaultVersion;
  if (versionId === undefined) {
    return reject(problem(ERR_VERSION_REQUIRED, `Name an API version (${describeSources(cfg)}).`, { supportedVersions }));
  }
  const version = cfg.versions.get(versionId)!;
  const upstream = route.upstreams.get(versionId);
  if (!upstream) {
    return reject(problem(ERR_VERSION_NOT_ROUTED, `"${route.name}" is not served in API version ${versionId}. It is served in: ${route.versionIds.join(', ')}.`,
      { supportedVersions: route.versionIds }));
  }
  const source = resolution.source ?? 'default';

  // 3. lifecycle
  const state = lifecycleState(version, now);
  if (state === 'sunset') return rejectSunset(cfg, { route, version, source, state, forwardPath, query });
  if (state === 'brownout') return rejectBrownout(cfg, { route, version, source, state, forwardPath, query }, now);

  // 3b. per-operation lifecycle, from the version's OpenAPI document (compiled at load)
  let operation: MatchedOperation | undefined;
  if (version.openapi !== undefined) {
    operation = matchDeprecatedOperation(version, req.method, forwardPath);
    const op = operation?.value;
    if (op?.sunsetAt !== undefined && now >= op.sunsetAt) {
      const resolved: Resolved = { route, version, source, state, forwardPath, query, operation };
      return { kind: 'reject', ...resolved, problem: operationSunsetProblem(version, op), headers: lifecycleResponseHeaders(cfg, resolved) };
    }
  }

  // 4. pick arm
  let arm: Arm = 'stable';
  let chosen = upstream;
  if (upstream.canary && flags) {
    arm = pickArm(upstream.canary, req.headers, req.ip, flags);
    if (arm === 'canary') chosen = upstream.canary.canary;
  }

  return {
    kind: 'proxy', route, version, source, state, forwardPath, query, operation, arm, canary: upstream.canary, upstream: chosen,
    target: query ? `${chosen.base}${forwardPath}?${query}` : `${chosen.base}${forwardPath}`,
  };

}

function reject(p: Problem, headers?: Record<string, string>): RejectDecision {
  return { kind: 'reject', problem: p, headers };
}

function describeSources(cfg: CompiledConfig): string {
  const v = cfg.versioning;
  return v.sources.map((s) => {
    switch (s) {
      case 'path': return 'a path prefix such as /v1/...';
      case 'header': return `the ${v.header} header`;
      case 'accept': return `Accept: ${v.accept}; version=...`;
      case 'query': return `?${v.query}=...`;
    }
  }).join(', or ');
}

/** The lifecycle headers for a resolved version, including the per-request successor link. */
export function lifecycleResponseHeaders(cfg: CompiledConfig, r: Pick<Resolved, 'version' | 'source' | 'forwardPath' | 'query' | 'operation'>): Record<string, string> {
  if (r.operation) return operationResponseHeaders(cfg, { ...r, operation: r.operation });
  const h = r.version.headers;
  const out: Record<string, string> = {};
  if (h.deprecation) out.deprecation = h.deprecation;
  if (h.sunset) out.sunset = h.sunset;
  const successor = r.version.successor && (h.deprecation || h.sunset)
    ? successorLink(cfg.versioning, r.version.successor, r.source === 'default' ? undefined : r.source, r.forwardPath, r.query)
    : undefined;
  if (h.link || successor) out.link = h.link && successor ? `${h.link}, ${successor}` : (h.link ?? successor)!;
  return out;
}

function rejectSunset(cfg: CompiledConfig, r: Resolved): RejectDecision {
  const v = r.version;
  const sunset = new Date(v.sunsetAt!).toISOString();
  const detail = v.successor
    ? `API version ${v.id} was retired on ${sunset}. Use ${v.successor} instead.`
    : `API version ${v.id} was retired on ${sunset}.`;
  return {
    kind: 'reject',
    ...r,
    problem: configuredProblem(ERR_VERSION_SUNSET, v.sunsetStatus, detail,
      { version: v.id, sunset, successor: v.successor, docs: v.docs }),
    headers: lifecycleResponseHeaders(cfg, r),
  };
}

function rejectBrownout(cfg: CompiledConfig, r: Resolved, now: number): RejectDecision {
  const v = r.version;
  const w = activeBrownout(v, now)!;
  const end = new Date(w.end).toISOString();
  const sunset = v.sunsetAt === undefined ? undefined : new Date(v.sunsetAt).toISOString();
  const detail = `API version ${v.id} is unavailable during a scheduled brownout until ${end}` +
    (sunset ? `, a reminder that it will be retired on ${sunset}` : '') +
    (v.successor ? `. Move to ${v.successor}.` : '.');
  return {
    kind: 'reject',
    ...r,
    problem: configuredProblem(ERR_VERSION_BROWNOUT, w.status, detail,
      { version: v.id, brownout: { start: new Date(w.start).toISOString(), end }, sunset, successor: v.successor, docs: v.docs }),
    headers: { ...lifecycleResponseHeaders(cfg, r), 'retry-after': String(Math.max(1, Math.ceil((w.end - now) / 1000))) },
  };
}
