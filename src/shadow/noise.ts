// Noise cancelling, after Diffy. Each mirrored request goes to the candidate and, when one
// is configured, to a secondary: a second copy of the known-good primary. A field that
// differs between primary and secondary differs for reasons that are not the candidate's
// (timestamps, ids, randomness): that is noise.
//
// Per field, over all comparisons of one route and version:
//   raw   = how often the candidate differed from the primary in this field
//   noise = how often the secondary differed from the primary in this field
// The field is a real difference only when
//   raw > noise,
//   (raw - noise) / (raw + noise)  > relative   (default 0.2,    Diffy's 20 %), and
//   (raw - noise) / compared       > absolute   (default 0.0003, Diffy's 0.03 %).
// (The defaults are the config schema's: shadow.noise in src/config/schema.ts.)
import type { FieldDifference } from './compare.js';
import type { NoiseThresholds } from './types.js';

/** The config's default thresholds; a report that predates `thresholds` is merged with these. */
export const DEFAULT_NOISE: NoiseThresholds = { relative: 0.2, absolute: 0.0003 };

export function isRealDifference(raw: number, noise: number, compared: number, t: NoiseThresholds): boolean {
  if (raw <= noise || compared <= 0) return false;
  const excess = raw - noise;
  return excess / (raw + noise) > t.relative && excess / compared > t.absolute;
}

/**
 * One request's candidate differences without the fields that also differed between
 * primary and secondary on that same request: what is left is what made it a mismatch.
 */
export function withoutNoise(candidate: readonly FieldDifference[], noise: readonly FieldDifference[]): FieldDifference[] {
  if (noise.length === 0) return [...candidate];
  const noisy = new Set(noise.map((d) => d.field));
  return candidate.filter((d) => !noisy.has(d.field));
}
