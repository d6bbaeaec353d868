// Upstream failures, as the client sees them: a refused or reset connection is a 502, a
// connect or response timeout a 504. The kind is also a metric label.
import { ERR_BODY_TOO_LARGE, ERR_UPSTREAM_TIMEOUT, ERR_UPSTREAM_UNAVAILABLE } from '../errors.js';
import type { UpstreamErrorKind } from '../metrics/gateway-metrics.js';
import { problem, type Problem } from './problem.js';

const TIMEOUT_CODES = new Set([
  'SUNDIAL_UPSTREAM_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_CONNECT_TIMEOUT',
]);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'FST_REPLY_FROM_CONNECTION_RESET_ERROR', 'FST_REPLY_FROM_UNDICI_SOCKET_ERROR']);

/** Walks an error and its causes for the first code that says what happened. */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}

export function classifyUpstreamError(err: unknown): UpstreamErrorKind | 'body-too-large' {
  const codes = codesOf(err);
  if (codes.includes(ERR_BODY_TOO_LARGE.code)) return 'body-too-large';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => REFUSED_CODES.has(c))) return 'refused';
  if (codes.some((c) => RESET_CODES.has(c))) return 'reset';
  return 'other';
}

export function upstreamProblem(kind: UpstreamErrorKind, upstreamName: string): Problem {
  switch (kind) {
    case 'timeout':
      return problem(ERR_UPSTREAM_TIMEOUT, `The upstream for ${upstreamName} did not answer in time.`);
    case 'refused':
      return problem(ERR_UPSTREAM_UNAVAILABLE, `The upstream for ${upstreamName} refused the connection.`);
    case 'reset':
      return problem(ERR_UPSTREAM_UNAVAILABLE, `The upstream for ${upstreamName} closed the connection before answering.`);
    default:
      return problem(ERR_UPSTREAM_UNAVAILABLE, `The upstream for ${upstreamName} failed to answer.`);
  }
}

export function bodyTooLargeProblem(limit: number): Problem {
  return problem(ERR_BODY_TOO_LARGE, `The request body is larger than the limit of ${limit} bytes.`, { limit });
}
