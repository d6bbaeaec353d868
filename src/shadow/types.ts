// The compiled form of a version's `shadow:` block: everything a mirrored request needs,
// parsed once at config load.
import type { MatchState } from './paths.js';
import type { CompiledChain } from '../transform/chain.js';

export type ArrayOrder = 'strict' | 'ignore';
export type CompareMode = 'exact' | 'superset';

export interface CompareRules {
  ignore: MatchState;
  /** Lower-cased response header names compared; always includes content-type. */
  headers: readonly string[];
  arrayOrder: ArrayOrder;
  mode: CompareMode;
}

/** Diffy's thresholds, as fractions: 0.2 is 20 %, 0.0003 is 0.03 %. */
export interface NoiseThresholds {
  relative: number;
  absolute: number;
}

export interface ShadowTarget {
  /** As configured, for the report. */
  url: string;
  origin: string;
  /** The URL's path without a trailing slash ('' for none); the forwarded path follows it. */
  basePath: string;
  host: string;
}

export interface CompiledShadow {
  candidate: ShadowTarget;
  secondary?: ShadowTarget;
  sample: number;
  methods: ReadonlySet<string>;
  maxBodyBytes: number;
  maxResponseBytes: number;
  timeout: number;
  maxInFlight: number;
  compare: CompareRules;
  noise: NoiseThresholds;
  samples: number;
  maxFields: number;
  /** `via:` a successor: mirrors go through these transforms and answers come back (docs/transforms.md). */
  transform?: CompiledChain;
}
