// Compiles the operations of a version's OpenAPI document into what a request needs: a
// matcher (method + path -> operation), and for each deprecated operation its header values,
// formatted once. Checks each operation's lifecycle against its version's: an operation may
// be deprecated or sunset earlier than its version, never later.
import type { ConfigProblem } from '../config/errors.js';
import { parseInstant } from '../config/units.js';
import { deprecationHeader, linkValue, sunsetHeader } from '../lifecycle/headers.js';
import { OperationMatcher } from './matcher.js';
import { operationName, type OperationSpec } from './operations.js';

export interface OperationRef {
  method: string;
  path: string;
  operationId?: string;
  /** "GET /orders/{id}" */
  name: string;
}

export interface CompiledOperation extends OperationRef {
  deprecatedAt: number;
  /** Where deprecatedAt came from: the operation's x-deprecated-at, the version, or the load. */
  deprecatedFrom: 'operation' | 'version' | 'load';
  sunsetAt?: number;
  successor?: OperationRef;
  docs?: string;
  headers: { deprecation: string; sunset?: string; link?: string };
}

export interface CompiledOpenApi {
  /** The document, relative to the config dir. */
  file: string;
  hash: string;
  /** Every operation of the document; null for those that are not deprecated. */
  matcher: OperationMatcher<CompiledOperation | null>;
  deprecated: CompiledOperation[];
}

interface VersionDates {
  id: string;
  deprecatedAt?: number;
  sunsetAt?: number;
  docs?: string;
  policy?: string;
}

const SUCCESSOR_BY_NAME = /^([A-Za-z]+)\s+(\/\S*)$/;
const iso = (ms: number) => new Date(ms).toISOString();

type Problem = (field: string, message: string) => void;

interface Lookup {
  byId: Map<string, OperationSpec>;
  byName: Map<string, OperationSpec>;
}

const ref = (s: OperationSpec): OperationRef => ({ method: s.method, path: s.path, operationId: s.operationId, name: operationName(s) });

export function compileOpenApi(
  file: string,
  hash: string,
  specs: OperationSpec[],
  version: VersionDates,
  loadedAt: number,
  problems: ConfigProblem[],
): CompiledOpenApi {
  const matcher = new OperationMatcher<CompiledOperation | null>();
  const deprecated: CompiledOperation[] = [];
  const lookup: Lookup = { byId: new Map(), byName: new Map() };
  for (const s of specs) {
    if (s.operationId) lookup.byId.set(s.operationId, s);
    lookup.byName.set(operationName(s), s);
  }
  for (const spec of specs) {
    const problem: Problem = (field, message) => problems.push({ file, path: ['paths', spec.path, spec.method.toLowerCase(), field], message });
    const op = compileOperation(spec, version, loadedAt, lookup, problem);
    if (op) deprecated.push(op);
    matcher.add(spec.method, spec.path, op ?? null);
  }
  return { file, hash, matcher, deprecated };
}

/** One operation: undefined when it is not deprecated (after checking it sets no lifecycle field). */
function compileOperation(spec: OperationSpec, version: VersionDates, loadedAt: number, lookup: Lookup, problem: Problem): CompiledOperation | undefined {
  const instant = (field: string, value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    const ms = typeof value === 'string' ? parseInstant(value) : value instanceof Date ? value.getTime() : undefined;
    if (ms === undefined) problem(field, `Invalid instant ${JSON.stringify(value)}: expected ISO 8601 with a zone, such as 2027-06-30T23:59:59Z`);
    return ms;
  };
  const ownDeprecatedAt = instant('x-deprecated-at', spec.deprecatedAt);
  const sunsetAt = instant('x-sunset', spec.sunset);
  if (!spec.deprecated) {
    for (const [field, value] of [
      ['x-deprecated-at', spec.deprecatedAt],
      ['x-sunset', spec.sunset],
      ['x-successor', spec.successor],
    ] as const) {
      if (value !== undefined) problem(field, `${field} is set on an operation that is not deprecated; add deprecated: true`);
    }
    return undefined;
  }
  const successor = resolveSuccessor(spec, lookup, problem);
  // The Deprecation date: the operation's own, else its version's, else the load (a date
  // that differs between replicas and restarts; documents should set x-deprecated-at).
  const deprecatedFrom = ownDeprecatedAt !== undefined ? 'operation' : version.deprecatedAt !== undefined ? 'version' : 'load';
  const deprecatedAt = ownDeprecatedAt ?? version.deprecatedAt ?? Math.min(loadedAt, sunsetAt ?? loadedAt);
  checkAgainstVersion(version, ownDeprecatedAt, sunsetAt, deprecatedAt, problem);

  const effectiveSunset = sunsetAt ?? version.sunsetAt;
  const docs = spec.docs ?? version.docs;
  const links: string[] = [];
  if (docs) links.push(linkValue(docs, 'deprecation'));
  if (version.policy && effectiveSunset !== undefined) links.push(linkValue(version.policy, 'sunset'));
  return {
    ...ref(spec),
    deprecatedAt,
    deprecatedFrom,
    sunsetAt: effectiveSunset,
    successor,
    docs,
    headers: {
      deprecation: deprecationHeader(deprecatedAt),
      sunset: effectiveSunset === undefined ? undefined : sunsetHeader(effectiveSunset),
      link: links.length ? links.join(', ') : undefined,
    },
  };
}

/** x-successor: an operationId or "METHOD /path" of the same document, not the operation itself. */
function resolveSuccessor(spec: OperationSpec, lookup: Lookup, problem: Problem): OperationRef | undefined {
  if (spec.successor === undefined) return undefined;
  const named = typeof spec.successor === 'string' ? spec.successor.trim() : '';
  const byMethodPath = SUCCESSOR_BY_NAME.exec(named);
  const target = lookup.byId.get(named) ?? (byMethodPath ? lookup.byName.get(`${byMethodPath[1].toUpperCase()} ${byMethodPath[2]}`) : undefined);
  if (!target) problem('x-successor', `${JSON.stringify(spec.successor)} names no operation of this document: use an operationId or "METHOD /path"`);
  else if (target === spec) problem('x-successor', 'an operation cannot be its own successor');
  else return ref(target);
  return undefined;
}

/** An operation's lifecycle may be earlier than its version's, never later (and RFC 9745's order). */
function checkAgainstVersion(
  version: VersionDates,
  ownDeprecatedAt: number | undefined,
  sunsetAt: number | undefined,
  deprecatedAt: number,
  problem: Problem,
): void {
  if (ownDeprecatedAt !== undefined && version.deprecatedAt !== undefined && ownDeprecatedAt > version.deprecatedAt) {
    problem(
      'x-deprecated-at',
      `the operation is deprecated at ${iso(ownDeprecatedAt)}, after its version ${version.id} (${iso(version.deprecatedAt)}); an operation's lifecycle may be earlier than its version's, never later`,
    );
  }
  if (sunsetAt !== undefined && version.sunsetAt !== undefined && sunsetAt > version.sunsetAt) {
    problem(
      'x-sunset',
      `the operation's sunset ${iso(sunsetAt)} is after its version ${version.id}'s (${iso(version.sunsetAt)}); an operation's lifecycle may be earlier than its version's, never later`,
    );
  }
  if (sunsetAt !== undefined && sunsetAt < deprecatedAt) {
    problem(
      'x-sunset',
      `the sunset ${iso(sunsetAt)} is before the deprecation date ${iso(deprecatedAt)}; RFC 9745 requires sunset not to be earlier than deprecation`,
    );
  }
}

/** Fills a path template from a request's parameters; undefined if one is missing. */
export function fillTemplate(template: string, params: Record<string, string>): string | undefined {
  let missing = false;
  const out = template.replace(/\{([^{}]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}
