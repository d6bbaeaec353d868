// A route version's canary, compiled from its config (routes/<name>.yaml, versions.<id>.canary),
// and the checks across canaries that one file alone cannot make.
import type { CompiledCanary, CompiledRoute, CompiledUpstream } from '../config/compiled.js';
import type { ConfigProblem } from '../config/errors.js';
import type { CanaryFile } from '../config/schema.js';
import type { CompiledChain } from '../transform/chain.js';

/** `arm` is where the canary arm goes: an upstream, or (`via:`) a successor's upstream through the transforms. */
export function compileCanary(
  route: string,
  version: string,
  stable: CompiledUpstream,
  c: CanaryFile,
  arm: { base: string; transform?: CompiledChain },
): CompiledCanary {
  const s = c.stickiness;
  return {
    key: `${route}/${version}`,
    route,
    version,
    flag: c.flag,
    stable,
    canary: { base: arm.base, timeout: c.timeout ?? stable.timeout, transform: arm.transform },
    stickiness: 'header' in s ? { header: s.header.toLowerCase() } : 'cookie' in s ? { cookie: s.cookie } : { ip: true },
    forceHeader: c.force?.header.toLowerCase(),
    armHeader: c.armHeader,
    rollout: c.rollout,
  };
}

export function checkCanaries(routes: CompiledRoute[], problems: ConfigProblem[]): void {
  const flags = new Map<string, string>();
  for (const route of routes) {
    for (const [version, upstream] of route.upstreams) {
      const c = upstream.canary;
      if (!c) continue;
      const owner = flags.get(c.flag);
      // One flag per canary: the rollout controller moves a flag, and two canaries sharing
      // one would move together.
      if (owner)
        problems.push({
          file: route.file,
          path: ['versions', version, 'canary', 'flag'],
          message: `flag "${c.flag}" is already used by the canary of ${owner}`,
        });
      flags.set(c.flag, c.key);
    }
  }
}
