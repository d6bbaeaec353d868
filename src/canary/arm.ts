// Stage 3: which arm, stable or canary, serves a request. The split is sticky on a key
// (a header, a cookie or the client address) passed to Unleash as userId, so the same key
// always lands on the same arm, on every replica, and as Unleash itself would decide.
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledCanary } from '../config/compiled.js';
import type { FlagSource } from './flags/flag-source.js';

export type Arm = 'stable' | 'canary';

export function stickyKey(c: CompiledCanary, headers: IncomingHttpHeaders, ip: string | undefined): string | undefined {
  const s = c.stickiness;
  if ('header' in s) {
    const value = headers[s.header];
    return (Array.isArray(value) ? value[0] : value) || undefined;
  }
  if ('cookie' in s) return cookieValue(headers.cookie, s.cookie);
  return ip || undefined;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let from = 0;
  while (from < header.length) {
    let end = header.indexOf(';', from);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', from);
    if (eq !== -1 && eq < end && header.slice(from, eq).trim() === name) {
      const value = header.slice(eq + 1, end).trim();
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value || undefined;
    }
    from = end + 1;
  }
  return undefined;
}

/** "always" or "never" in the force header overrides the split, for testing a canary by hand. */
function forced(c: CompiledCanary, headers: IncomingHttpHeaders): Arm | undefined {
  if (!c.forceHeader) return undefined;
  const value = headers[c.forceHeader];
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return v === 'always' ? 'canary' : v === 'never' ? 'stable' : undefined;
}

const NO_KEY = Object.freeze({});

export function pickArm(c: CompiledCanary, headers: IncomingHttpHeaders, ip: string | undefined, flags: FlagSource): Arm {
  const force = forced(c, headers);
  if (force) return force;
  const key = stickyKey(c, headers, ip);
  // Without a key, Unleash's default stickiness falls back to a random draw.
  return flags.isEnabled(c.flag, key === undefined ? NO_KEY : { userId: key, sessionId: key }) ? 'canary' : 'stable';
}
