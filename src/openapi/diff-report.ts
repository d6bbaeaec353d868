// The list a diff builds: each change names its rule, its level (the catalogue's, or info
// for an operation marked x-stability-level draft or alpha), where it is, and what to do.
import { toPointer } from './document.js';
import { RULE_BY_ID, type Level, type RuleId } from './rules.js';

export interface Change {
  /** The rule id: a stable identifier of the kind of change, such as response-property-removed. */
  kind: RuleId;
  /** The rule's level: breaking, warning or info. */
  class: Level;
  method?: string;
  /** The path template, or for a webhook its name prefixed with "webhook:". */
  path?: string;
  /** JSON pointer to the changed place; it names the same place in both documents. */
  pointer: string;
  message: string;
  /** What to do about it, from the rule catalogue. */
  advice: string;
}

export type Segments = (string | number)[];

export interface Loc {
  method?: string;
  path?: string;
  /** Set when the old operation is draft or alpha: its changes are reported as info. */
  unstable?: string;
}

export class Report {
  readonly changes: Change[] = [];

  add(id: RuleId, loc: Loc, at: Segments, message: string): void {
    const rule = RULE_BY_ID.get(id);
    if (!rule) throw new Error(`unknown diff rule ${id}`);
    const unstable = loc.unstable !== undefined && rule.level !== 'info';
    this.changes.push({
      kind: id,
      class: unstable ? 'info' : rule.level,
      ...(loc.method !== undefined ? { method: loc.method } : {}),
      ...(loc.path !== undefined ? { path: loc.path } : {}),
      pointer: toPointer(at),
      message: unstable ? `${message} (not ${rule.level}: the operation is x-stability-level ${loc.unstable})` : message,
      advice: rule.advice,
    });
  }
}

export const isObj = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const code = (s: string | number) => `\`${s}\``;
export const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** A JSON text of a value whose keys are sorted, safe on the cycles of a dereferenced schema. */
export function stable(v: unknown): string {
  const stack = new Set<unknown>();
  const walk = (x: unknown): string => {
    if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'undefined';
    if (stack.has(x)) return '"<cycle>"';
    stack.add(x);
    const out = Array.isArray(x)
      ? `[${x.map(walk).join(',')}]`
      : `{${Object.keys(x)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${walk((x as Record<string, unknown>)[k])}`)
          .join(',')}}`;
    stack.delete(x);
    return out;
  };
  return walk(v);
}
