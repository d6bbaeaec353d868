// Flattens one response into its fields: a map from field path to a string value.
//   status             "200"
//   headers.<name>     the header's value (repeated headers joined with ", "), for the
//                      compared headers only
//   body.a.b.0.c       one JSON leaf, as JSON text, so 1 and "1" differ; an empty object
//                      or array is a leaf "{}" or "[]"
//   body               a body that is not JSON, as its bytes (latin1, one char per byte)
// Ignored paths are skipped while walking, so an ignored subtree costs nothing. With
// arrayOrder: ignore, array elements are put in a canonical order first (by their content,
// leaving out ignored fields under `*` segments), so [a, b] and [b, a] flatten the same.
import { isIgnored, step, type MatchState } from './paths.js';
import type { CompareRules } from './types.js';

export interface CapturedResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

export type Fields = Map<string, string>;

const JSON_TYPE = /^(application\/([\w.-]+\+)?json|text\/json)\s*(;|$)/i;
/** Nesting deeper than this is compared as one JSON leaf, so a hostile body cannot blow the stack. */
const MAX_DEPTH = 64;

export function isJsonType(contentType: unknown): boolean {
  return typeof contentType === 'string' && JSON_TYPE.test(contentType);
}

const headerText = (v: CapturedResponse['headers'][string]) => (Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v));

/**
 * True when two responses must flatten to the same fields: same status, same bytes, and the
 * same value for every header flatten() reads (the compared ones, and the two that decide
 * how the body is decoded). The common case, two identical answers, then costs a byte
 * comparison instead of two JSON parses and walks.
 */
export function sameResponse(a: CapturedResponse, b: CapturedResponse, rules: CompareRules): boolean {
  if (a.status !== b.status || !a.body.equals(b.body)) return false;
  if (headerText(a.headers['content-type']) !== headerText(b.headers['content-type'])) return false;
  if (headerText(a.headers['content-encoding']) !== headerText(b.headers['content-encoding'])) return false;
  for (const name of rules.headers) if (headerText(a.headers[name]) !== headerText(b.headers[name])) return false;
  return true;
}

export function flatten(res: CapturedResponse, rules: CompareRules): Fields {
  const fields: Fields = new Map();
  const root = rules.ignore;
  if (!isIgnored(step(root, 'status'))) fields.set('status', String(res.status));

  const headerState = step(root, 'headers');
  if (!isIgnored(headerState)) {
    for (const name of rules.headers) {
      if (isIgnored(step(headerState, name))) continue;
      const value = res.headers[name];
      if (value === undefined) continue;
      fields.set(`headers.${name}`, Array.isArray(value) ? value.join(', ') : String(value));
    }
  }

  const bodyState = step(root, 'body');
  if (isIgnored(bodyState)) return fields;
  if (res.body.length > 0 && isJsonType(res.headers['content-type'])) {
    let parsed: unknown;
    let ok = true;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      ok = false;
    }
    if (ok) {
      try {
        walk(parsed, 'body', bodyState, 0, rules, fields);
        return fields;
      } catch (err) {
        // Nesting too deep for the stack even as one leaf: compare the bytes instead.
        if (!(err instanceof RangeError)) throw err;
        for (const key of fields.keys()) if (key.startsWith('body')) fields.delete(key);
      }
    }
  }
  fields.set('body', res.body.toString('latin1'));
  return fields;
}

function walk(value: unknown, path: string, state: MatchState, depth: number, rules: CompareRules, out: Fields): void {
  if (value === null || typeof value !== 'object') {
    out.set(path, JSON.stringify(value));
    return;
  }
  if (depth >= MAX_DEPTH) {
    out.set(path, canonical(value, state));
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.set(path, '[]');
    const items = rules.arrayOrder === 'ignore' ? canonicalOrder(value, state) : value;
    for (let i = 0; i < items.length; i++) {
      const key = String(i);
      const next = step(state, key);
      if (!isIgnored(next)) walk(items[i], `${path}.${key}`, next, depth + 1, rules, out);
    }
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return void out.set(path, '{}');
  for (const key of keys) {
    const next = step(state, key);
    if (!isIgnored(next)) walk((value as Record<string, unknown>)[key], `${path}.${key}`, next, depth + 1, rules, out);
  }
}

/** Array elements sorted by their canonical text; ignored fields under `*` do not count. */
function canonicalOrder(items: unknown[], state: MatchState): unknown[] {
  const elementState = step(state, '*');
  const keyed = items.map((item) => ({ item, key: canonical(item, elementState) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.item);
}

/** JSON text with object keys sorted, ignored fields left out, and arrays in canonical order. */
function canonical(value: unknown, state: MatchState): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const elementState = step(state, '*');
    return `[${value
      .map((v) => canonical(v, elementState))
      .sort()
      .join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const next = step(state, key);
    if (!isIgnored(next)) parts.push(`${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], next)}`);
  }
  return `{${parts.join(',')}}`;
}
