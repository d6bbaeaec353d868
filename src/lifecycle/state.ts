// Stage 3: where a version stands in its lifecycle at a given instant. Pure over
// (version, clock), so every state can be tested with an injected time.
import type { BrownoutWindow, CompiledVersion } from '../config/compiled.js';

export type LifecycleState = 'active' | 'deprecated' | 'brownout' | 'sunset';

type Dated = Pick<CompiledVersion, 'deprecatedAt' | 'sunsetAt' | 'brownouts'>;

/**
 * `brownout` is the window active at `now`, when the caller has looked it up already
 * (decide() needs the window for its problem too, and looks it up once).
 */
export function lifecycleState(
  v: Dated,
  now: number,
  brownout: BrownoutWindow | undefined = v.brownouts.length ? activeBrownout(v, now) : undefined,
): LifecycleState {
  if (v.sunsetAt !== undefined && now >= v.sunsetAt) return 'sunset';
  if (brownout) return 'brownout';
  if (v.deprecatedAt !== undefined && now >= v.deprecatedAt) return 'deprecated';
  return 'active';
}

/** The brownout window that contains `now` (start inclusive, end exclusive), if any. */
export function activeBrownout(v: Pick<CompiledVersion, 'brownouts'>, now: number): BrownoutWindow | undefined {
  for (const w of v.brownouts) {
    if (now < w.start) return undefined; // windows are sorted by start
    if (now < w.end) return w;
  }
  return undefined;
}

/** Brownout windows that have not ended yet, for discovery. */
export function upcomingBrownouts(v: Pick<CompiledVersion, 'brownouts'>, now: number): BrownoutWindow[] {
  return v.brownouts.filter((w) => w.end > now);
}
