// Field paths of lens operations: dot-separated names, where `[*]` after a name (or alone at
// the start, for a body that is an array) means "every item of this array":
//   total_cents             a field of the top-level object
//   customer.name           a field of a nested object
//   items[*].price_cents    a field of every item of an array
//   [*].id                  a field of every item of a top-level array
// Parsed once at load into steps; at run time an operation asks for the containers its
// field lives in, and gets each with a printable location for misfit messages.
import { TransformMisfit } from './misfit.js';

export type Step = { key: string } | { each: true };

export interface FieldPath {
  /** As written, for messages. */
  text: string;
  /** The steps down to the container of the last step. */
  parent: Step[];
  /** The last step: a field name, or every item of the container (an array). */
  leaf: Step;
}

const SEGMENT = /^([^.[\]]*)((?:\[\*\])*)$/;

/** Parses a field path; returns an error message for a path that cannot be read. */
export function parseFieldPath(text: string): FieldPath | string {
  if (typeof text !== 'string' || text.length === 0) return 'expected a field path such as total or items[*].price';
  const steps: Step[] = [];
  const segments = text.split('.');
  for (let i = 0; i < segments.length; i++) {
    const m = SEGMENT.exec(segments[i]);
    if (!m) return `"${text}" is not a field path: use names separated by dots, with [*] for every item of an array`;
    const [, name, stars] = m;
    if (name === '' && !(i === 0 && stars)) return `"${text}" has an empty segment`;
    if (name) steps.push({ key: name });
    for (let s = 0; s < stars.length / 3; s++) steps.push({ each: true });
  }
  const leaf = steps.pop()!;
  return { text, parent: steps, leaf };
}

export function isKey(step: Step): step is { key: string } {
  return 'key' in step;
}

export function describe(where: string, step: Step): string {
  if (isKey(step)) return where ? `${where}.${step.key}` : step.key;
  return where;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Container {
  /** An object (for a key leaf) or an array (for an [*] leaf). */
  value: Record<string, unknown> | unknown[];
  at: string;
}

/**
 * The containers that hold a path's leaf: walks the parent steps from the document root.
 * A missing or wrongly typed step is a misfit, unless `optional`, when it yields nothing.
 */
export function containers(root: unknown, path: FieldPath, op: string, optional: boolean): Container[] {
  let current: { value: unknown; at: string }[] = [{ value: root, at: '' }];
  for (const step of path.parent) {
    const next: { value: unknown; at: string }[] = [];
    for (const c of current) {
      if (isKey(step)) {
        if (!isObject(c.value)) {
          if (optional) continue;
          throw new TransformMisfit(c.at, op, `expected an object, found ${kind(c.value)}`);
        }
        if (!(step.key in c.value) || c.value[step.key] === undefined) {
          if (optional) continue;
          throw new TransformMisfit(describe(c.at, step), op, 'missing');
        }
        next.push({ value: c.value[step.key], at: describe(c.at, step) });
      } else {
        if (!Array.isArray(c.value)) {
          if (optional && (c.value === null || c.value === undefined)) continue;
          throw new TransformMisfit(c.at, op, `expected an array, found ${kind(c.value)}`);
        }
        c.value.forEach((item, i) => next.push({ value: item, at: `${c.at}[${i}]` }));
      }
    }
    current = next;
  }
  const out: Container[] = [];
  for (const c of current) {
    if (isKey(path.leaf)) {
      if (!isObject(c.value)) {
        if (optional) continue;
        throw new TransformMisfit(c.at, op, `expected an object, found ${kind(c.value)}`);
      }
    } else if (!Array.isArray(c.value)) {
      if (optional && (c.value === null || c.value === undefined)) continue;
      throw new TransformMisfit(c.at, op, `expected an array, found ${kind(c.value)}`);
    }
    out.push(c as Container);
  }
  return out;
}

export function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export { isObject };
