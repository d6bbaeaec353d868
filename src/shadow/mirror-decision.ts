// Stage "observe", part one: whether to mirror this request. Pure over the request, the
// compiled shadow config, one random draw in [0, 1) and the mirrors now in flight, so it is
// tested without a server. Checks run cheapest first and the first refusal wins.
import type { CompiledShadow } from './types.js';

export type SkipReason =
  | 'method' // the method is not in `methods`
  | 'body-too-large' // the request body is over maxBodyBytes
  | 'in-flight' // maxInFlight mirrors are already in flight
  | 'primary-failed' // the primary failed, or the client went away, so there is nothing to compare
  | 'response-too-large'; // a response is over maxResponseBytes

export type MirrorVerdict = { mirror: true } | { mirror: false; reason: SkipReason | 'sampled-out' };

/** What the decision reads of the client's request (the request sent to a shadow is client.ts's MirrorRequest). */
export interface MirrorCandidate {
  method: string;
  /** The declared Content-Length, when there is one. */
  contentLength?: number;
}

const MIRROR: MirrorVerdict = { mirror: true };
const verdicts = {
  method: { mirror: false, reason: 'method' },
  'sampled-out': { mirror: false, reason: 'sampled-out' },
  'body-too-large': { mirror: false, reason: 'body-too-large' },
  'in-flight': { mirror: false, reason: 'in-flight' },
} as const satisfies Record<string, MirrorVerdict>;

export function mirrorDecision(req: MirrorCandidate, cfg: CompiledShadow, draw: number, inFlight: number): MirrorVerdict {
  if (!cfg.methods.has(req.method)) return verdicts.method;
  if (!(draw < cfg.sample)) return verdicts['sampled-out'];
  if (req.contentLength !== undefined && req.contentLength > cfg.maxBodyBytes) return verdicts['body-too-large'];
  if (inFlight >= cfg.maxInFlight) return verdicts['in-flight'];
  return MIRROR;
}

/** A Content-Length header as a number, or undefined when absent or unreadable. */
export function declaredLength(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
