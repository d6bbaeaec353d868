// A canary flag's answer without unleash-client's general evaluation on every request. The
// flag sundial writes (flag-source.ts's rolloutFeature) is a single flexibleRollout strategy;
// for a definition of that shape (or one that is off, or on with no strategy), the answer
// is compiled once per definition the client holds, and each request then costs a hash of
// its key, or a table lookup for a key-less one. Anything else (constraints, segments,
// dependencies, impression events, other strategies or stickiness fields) is left to
// unleash-client: compileRolloutRule() gives undefined, and the caller asks the client.
// The answers are unleash-client 6's, bit for bit (test/canary-rollout-rule.test.ts):
//   enabled = rollout > 0 && (murmur3("<groupId>:<stickiness value>", 0) % 100 + 1) <= rollout
import type { FlagContext } from './flag-source.js';
import { PrefixedMurmur } from './murmur.js';

type Stickiness = 'default' | 'userId' | 'sessionId' | 'random';

export type RolloutRule =
  { kind: 'fixed'; enabled: boolean } | { kind: 'rollout'; percentage: number; stickiness: Stickiness; hash: PrefixedMurmur; randomTable?: Uint8Array };

interface StrategyLike {
  name?: unknown;
  parameters?: Record<string, unknown>;
  constraints?: unknown[];
  segments?: unknown[];
}

interface DefinitionLike {
  name?: unknown;
  enabled?: unknown;
  impressionData?: unknown;
  dependencies?: unknown[];
  strategies?: unknown;
}

const STICKINESS = new Set<string>(['default', 'userId', 'sessionId', 'random']);
const ON: RolloutRule = Object.freeze({ kind: 'fixed', enabled: true });
const OFF: RolloutRule = Object.freeze({ kind: 'fixed', enabled: false });

/** The rule for one flag definition, or undefined when only unleash-client can evaluate it. */
export function compileRolloutRule(definition: DefinitionLike | undefined): RolloutRule | undefined {
  if (!definition || definition.impressionData || definition.dependencies?.length) return undefined;
  if (!definition.enabled) return OFF;
  const strategies = definition.strategies;
  if (!Array.isArray(strategies)) return undefined;
  if (strategies.length === 0) return ON;
  if (strategies.length !== 1) return undefined;
  const s = strategies[0] as StrategyLike;
  if (s.name !== 'flexibleRollout' || s.constraints?.length || s.segments?.length) return undefined;
  const p = s.parameters ?? {};
  const stickiness = String(p.stickiness || 'default');
  if (!STICKINESS.has(stickiness)) return undefined;
  const groupId = String(p.groupId || '');
  return { kind: 'rollout', percentage: Number(p.rollout), stickiness: stickiness as Stickiness, hash: new PrefixedMurmur(`${groupId}:`) };
}

/** Unleash's normalized value, 1 to 100, of one stickiness value. */
function normalized(rule: { hash: PrefixedMurmur }, id: string): number {
  return (rule.hash.hash(id) % 100) + 1;
}

/**
 * unleash-client draws a random stickiness value as the string of an integer from 1 to
 * 10,001 (Math.round(Math.random() * 10000) + 1): the normalized value of each is computed
 * once, and a key-less request looks its draw up, with the same odds as the client's.
 */
function randomNormalized(rule: Extract<RolloutRule, { kind: 'rollout' }>): number {
  let table = rule.randomTable;
  if (!table) {
    table = new Uint8Array(10_002);
    for (let id = 1; id <= 10_001; id++) table[id] = normalized(rule, String(id));
    rule.randomTable = table;
  }
  return table[Math.round(Math.random() * 10000) + 1];
}

export function evaluateRolloutRule(rule: RolloutRule, context: FlagContext): boolean {
  if (rule.kind === 'fixed') return rule.enabled;
  if (!(rule.percentage > 0)) return false;
  let value: number;
  switch (rule.stickiness) {
    case 'default': {
      const id = context.userId || context.sessionId;
      value = id ? normalized(rule, id) : randomNormalized(rule);
      break;
    }
    case 'random':
      value = randomNormalized(rule);
      break;
    default: {
      const id = context[rule.stickiness];
      if (!id) return false;
      value = normalized(rule, id);
    }
  }
  return value <= rule.percentage;
}

interface RuleClient {
  getFeatureToggleDefinition(flag: string): object | undefined;
}

/**
 * The compiled rule of each flag, recompiled whenever the client's definition is a new
 * object: unleash-client replaces a definition whole on every change (a poll, a delta, a
 * backup), so the object's identity is the version, and no change event can be missed.
 */
export class RolloutRules {
  private readonly rules = new Map<string, { definition: object; rule: RolloutRule | undefined }>();

  /** The answer from the flag's compiled rule, or undefined when the client must be asked. */
  isEnabled(client: RuleClient, flag: string, context: FlagContext): boolean | undefined {
    // Before it is ready, unleash-client answers with the fallback and warns: its own path.
    // (`ready` is the client's private field; were it gone, every answer would be the client's.)
    if ((client as unknown as { ready?: unknown }).ready !== true) return undefined;
    const definition = client.getFeatureToggleDefinition(flag);
    if (!definition) return undefined;
    let entry = this.rules.get(flag);
    if (entry?.definition !== definition) {
      entry = { definition, rule: compileRolloutRule(definition as DefinitionLike) };
      this.rules.set(flag, entry);
    }
    return entry.rule && evaluateRolloutRule(entry.rule, context);
  }
}
