// Where a compiled upstream's requests go, split once per compiled upstream (a reload
// compiles new ones): the origin undici connects to, the base path the forwarded path is
// appended to, and the Host header the upstream sees.
import type { CompiledUpstream } from '../config/compiled.js';

export interface UpstreamTarget {
  origin: string;
  basePath: string;
  host: string;
}

const targets = new WeakMap<CompiledUpstream, UpstreamTarget>();

export function targetOf(upstream: CompiledUpstream): UpstreamTarget {
  let t = targets.get(upstream);
  if (!t) {
    const url = new URL(upstream.base);
    t = { origin: url.origin, basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''), host: url.host };
    targets.set(upstream, t);
  }
  return t;
}
