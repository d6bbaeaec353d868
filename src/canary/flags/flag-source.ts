// Where canary percentages live. Evaluation is Unleash's flexibleRollout everywhere, so
// every gateway replica, and the Unleash server itself, agree on who is in a canary.

export interface FlagContext {
  /** The sticky key; absent means the request is assigned at random. */
  userId?: string;
  sessionId?: string;
}

export interface FlagState {
  enabled: boolean;
  /** The flexibleRollout percentage, 0 to 100. */
  rollout: number;
}

export interface FlagSource {
  readonly kind: 'local' | 'unleash';
  /** Whether the flag puts this context in the canary. Never throws, never waits. */
  isEnabled(flag: string, context: FlagContext): boolean;
  /** The flag's current state as this replica knows it, or undefined if it has none. */
  state(flag: string): FlagState | undefined;
  /** Changes a flag's percentage (and whether it is on) where the flag is kept. */
  write(flag: string, state: FlagState): Promise<void>;
  close(): Promise<void>;
}

/** The Unleash feature definition sundial writes and reads: one flexibleRollout strategy. */
export function rolloutFeature(name: string, state: FlagState) {
  return {
    name,
    enabled: state.enabled,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(state.rollout), stickiness: 'default', groupId: name } }],
  };
}

interface FeatureLike {
  enabled?: boolean;
  strategies?: { name: string; parameters?: Record<string, unknown> }[];
}

/** Reads the percentage back from an Unleash feature definition. */
export function stateOfFeature(feature: FeatureLike | undefined): FlagState | undefined {
  if (!feature) return undefined;
  const strategy = feature.strategies?.find((s) => s.name === 'flexibleRollout');
  const rollout = Number(strategy?.parameters?.rollout ?? (feature.strategies?.some((s) => s.name === 'default') ? 100 : 0));
  return { enabled: feature.enabled === true, rollout: Number.isFinite(rollout) ? rollout : 0 };
}
