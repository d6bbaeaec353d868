// The upstream's response headers as the client gets them, built in one pass over undici's
// raw header buffers into the flat array Node's writeHead takes: hop-by-hop headers, and
// any the upstream's Connection names, stop here; the verdict's headers (lifecycle, arm)
// are added, a Link from the upstream is joined with the verdict's Link; while draining,
// Connection: close tells keep-alive clients to move on.
import type { HeaderPairs } from './decide.js';
import { HOP_BY_HOP } from './hop-by-hop.js';

const DROPPED = HOP_BY_HOP;
const INTERESTING_LENGTHS = new Set([2, 4, 7, 10, 16, 17, 18, 19]);
const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;

export function clientResponseHeaders(raw: Buffer[], added: HeaderPairs, draining: boolean): string[] {
  const out: string[] = [];
  let link: string | undefined;
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString('latin1');
    if (INTERESTING_LENGTHS.has(name.length)) {
      const lower = name.toLowerCase();
      if (lower === 'connection') {
        const value = raw[i + 1].toString('latin1');
        if (!PLAIN_CONNECTION.test(value)) {
          named ??= new Set();
          for (const n of value.split(',')) named.add(n.trim().toLowerCase());
        }
        continue;
      }
      if (DROPPED.has(lower)) continue;
      if (lower === 'link' && added.length) {
        const value = raw[i + 1].toString('latin1');
        link = link === undefined ? value : `${link}, ${value}`;
        continue;
      }
    }
    out.push(name, raw[i + 1].toString('latin1'));
  }
  if (named) dropNamed(out, named);
  for (let i = 0; i < added.length; i += 2) {
    if (added[i] === 'link' && link !== undefined) {
      out.push('link', `${link}, ${added[i + 1]}`);
      link = undefined;
    } else {
      out.push(added[i], added[i + 1]);
    }
  }
  if (link !== undefined) out.push('link', link);
  if (draining) out.push('connection', 'close');
  return out;
}

function dropNamed(pairs: string[], named: Set<string>): void {
  let w = 0;
  for (let r = 0; r < pairs.length; r += 2) {
    if (named.has(pairs[r].toLowerCase())) continue;
    pairs[w++] = pairs[r];
    pairs[w++] = pairs[r + 1];
  }
  pairs.length = w;
}

/** The upstream's headers as it sent them, as an object: a shadow comparison reads them by name. */
export function upstreamHeaderObject(raw: Buffer[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const prior = out[name];
    out[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}
