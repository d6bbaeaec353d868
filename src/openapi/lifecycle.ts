// The per-operation stage of the request path: the response headers of a deprecated
// operation, and the 410 problem of one past its x-sunset. Pure over (config, request, clock).
import type { CompiledConfig, CompiledVersion } from '../config/compiled.js';
import type { VersionSource } from '../config/schema.js';
import { ERR_OPERATION_SUNSET } from '../errors.js';
import { problem, type Problem } from '../gateway/problem.js';
import { successorLink } from '../lifecycle/links.js';
import { fillTemplate, type CompiledOperation } from './compile.js';
import type { OperationMatch } from './matcher.js';

export type MatchedOperation = OperationMatch<CompiledOperation>;

interface Where {
  version: CompiledVersion;
  source: VersionSource | 'default';
  forwardPath: string;
  query: string;
  operation: MatchedOperation;
}

/** The deprecated operation a request calls, if its version has a document and it is one. */
export function matchDeprecatedOperation(version: CompiledVersion, method: string, forwardPath: string): MatchedOperation | undefined {
  const m = version.openapi!.matcher.match(method, forwardPath);
  return m && m.value ? (m as MatchedOperation) : undefined;
}

/**
 * The successor operation's Link for this request: its path, with the request's path
 * parameters filled in, in the same version and written the way the version came in. The
 * URL is built (and encoded) as for version successors, by src/lifecycle/links.ts, so the
 * query form keeps the request's other query parameters.
 */
function successorOperationLink(cfg: CompiledConfig, w: Where): string | undefined {
  const successor = w.operation.value.successor;
  if (!successor) return undefined;
  const path = fillTemplate(successor.path, w.operation.params);
  if (path === undefined) return undefined;
  return successorLink(cfg.versioning, w.version.id, w.source === 'default' ? undefined : w.source, path, w.query);
}

/**
 * The lifecycle headers of a deprecated operation: they replace the version's Deprecation and
 * Sunset (an operation's dates are never later than its version's). The successor Link names
 * the x-successor operation when there is one, else the version's successor.
 */
export function operationResponseHeaders(cfg: CompiledConfig, w: Where): Record<string, string> {
  const op = w.operation.value;
  const out: Record<string, string> = { deprecation: op.headers.deprecation };
  if (op.headers.sunset) out.sunset = op.headers.sunset;
  const successor =
    successorOperationLink(cfg, w) ??
    (!op.successor && w.version.successor
      ? successorLink(cfg.versioning, w.version.successor, w.source === 'default' ? undefined : w.source, w.forwardPath, w.query)
      : undefined);
  const link = [op.headers.link, successor].filter(Boolean).join(', ');
  if (link) out.link = link;
  return out;
}

/** The 410 problem of an operation past its sunset, naming its successor operation. */
export function operationSunsetProblem(version: CompiledVersion, op: CompiledOperation): Problem {
  const sunset = new Date(op.sunsetAt!).toISOString();
  const use = op.successor
    ? ` Use ${op.successor.name}${op.successor.operationId ? ` (${op.successor.operationId})` : ''} instead.`
    : version.successor
      ? ` Use API version ${version.successor} instead.`
      : '';
  return problem(ERR_OPERATION_SUNSET, `${op.name} of API version ${version.id} was retired on ${sunset}.${use}`, {
    version: version.id,
    operation: { method: op.method, path: op.path, operationId: op.operationId },
    sunset,
    successor: op.successor ? { method: op.successor.method, path: op.successor.path, operationId: op.successor.operationId } : undefined,
    successorVersion: op.successor ? undefined : version.successor,
    docs: op.docs,
  });
}
