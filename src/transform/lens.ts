// Lens operations, compiled once at load into a pair of functions over a parsed JSON
// document: forward (old version's shape to new) and backward (new to old). After Cambria's
// lenses (Ink & Switch): each operation has an inverse, so one declaration gives both
// directions, and a lens is reversed by reversing its operations and inverting each.
//   rename  <-> rename the other way      add   <-> remove
//   hoist   <-> plunge                    wrap  <-> head
//   convert <-> convert by the table read backwards, or by the backward expression
// Documents are mutated in place: the gateway parses a fresh copy of every body it
// transforms. An operation on a missing field, or a value of the wrong type, throws a
// TransformMisfit, unless the operation is `optional` (then a missing field is skipped).
import { compileExpression, plainJson, type CompiledExpression } from './expression.js';
import { containers, isKey, isObject, kind, parseFieldPath, type FieldPath } from './field-path.js';
import { TransformMisfit } from './misfit.js';
import type { LensOpFile } from './schema.js';

type Apply = (doc: unknown) => void | Promise<void>;

export interface CompiledOp {
  /** As written, for messages: "rename total_cents -> total". */
  name: string;
  forward: Apply;
  backward: Apply;
}

export interface Lens {
  ops: readonly CompiledOp[];
  /** True when an operation evaluates an expression (and so must be awaited). */
  async: boolean;
  forward(doc: unknown): Promise<unknown>;
  backward(doc: unknown): Promise<unknown>;
}

export interface LensProblem {
  /** The index of the operation in the list, and the field inside it. */
  path: (string | number)[];
  message: string;
}

interface Slot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  at: string;
}

/** Every place a path's leaf is: a field of each container, or each item of each array. */
function slots(doc: unknown, path: FieldPath, op: string, optional: boolean): Slot[] {
  const out: Slot[] = [];
  for (const c of containers(doc, path, op, optional)) {
    if (isKey(path.leaf)) out.push({ holder: c.value, key: path.leaf.key, at: c.at ? `${c.at}.${path.leaf.key}` : path.leaf.key });
    else (c.value as unknown[]).forEach((_, i) => out.push({ holder: c.value, key: i, at: `${c.at}[${i}]` }));
  }
  return out;
}

function has(slot: Slot): boolean {
  return Array.isArray(slot.holder)
    ? true
    : Object.prototype.hasOwnProperty.call(slot.holder, slot.key) && (slot.holder as Record<string, unknown>)[slot.key as string] !== undefined;
}

/** Whether a slot holds a value to work on: an empty one is skipped when the operation is optional, a misfit otherwise. */
function filled(slot: Slot, op: string, optional: boolean): boolean {
  if (has(slot)) return true;
  if (optional) return false;
  throw new TransformMisfit(slot.at, op, 'missing');
}

function get(slot: Slot): unknown {
  return (slot.holder as Record<string | number, unknown>)[slot.key];
}

function set(slot: Slot, value: unknown): void {
  (slot.holder as Record<string | number, unknown>)[slot.key] = value;
}

/** Renames a key in place, keeping its position among the object's keys. */
function renameKey(obj: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k === from ? to : k] = v;
}

const clone = (v: unknown): unknown => (v === null || typeof v !== 'object' ? v : structuredClone(v));

/** JSON value equality, for mapping tables (keys compared by their JSON text). */
const keyOf = (v: unknown) => JSON.stringify(v);

function requireKeyLeaf(path: FieldPath, opName: string, problems: LensProblem[], at: (string | number)[]): path is FieldPath & { leaf: { key: string } } {
  if (isKey(path.leaf)) return true;
  problems.push({ path: at, message: `${opName} needs a field name at the end of "${path.text}", not [*]` });
  return false;
}

function fieldPath(text: string, problems: LensProblem[], at: (string | number)[]): FieldPath | undefined {
  const p = parseFieldPath(text);
  if (typeof p === 'string') {
    problems.push({ path: at, message: p });
    return undefined;
  }
  return p;
}

function sameParent(a: FieldPath, b: FieldPath): boolean {
  return JSON.stringify(a.parent) === JSON.stringify(b.parent);
}

/** Moves a value between two slots of objects; the source must be there, the target free. */
function move(from: Slot, to: Slot, op: string): void {
  if (!has(from)) throw new TransformMisfit(from.at, op, 'missing');
  if (has(to)) throw new TransformMisfit(to.at, op, 'already present');
  set(to, get(from));
  delete (from.holder as Record<string, unknown>)[from.key as string];
}

function compileOp(op: LensOpFile, i: number, problems: LensProblem[], lowerCase: boolean): CompiledOp | undefined {
  const name = (s: string) => (lowerCase ? s.toLowerCase() : s);
  if ('rename' in op) return compileRename(op, i, problems, name);
  if ('remove' in op || 'add' in op) return compileAddRemove(op, i, problems, name);
  if ('hoist' in op || 'plunge' in op) return compileHoistPlunge(op, i, problems, name);
  if ('wrap' in op || 'head' in op) return compileWrapHead(op, i, problems, name);
  if ('convert' in op) return compileConvert(op, i, problems, name);
  return undefined;
}

/** rename <-> rename the other way */
function compileRename(op: Extract<LensOpFile, { rename: unknown }>, i: number, problems: LensProblem[], name: (s: string) => string): CompiledOp | undefined {
  const { from, to, optional } = op.rename;
  const label = `rename ${from} -> ${to}`;
  const src = fieldPath(name(from), problems, [i, 'rename', 'from']);
  // `to` is a name in the same object, or a path with the same parent as `from`.
  const dst = src && fieldPath(to.includes('.') ? name(to) : [...src.text.split('.').slice(0, -1), name(to)].join('.'), problems, [i, 'rename', 'to']);
  if (!src || !dst || !requireKeyLeaf(src, 'rename', problems, [i, 'rename', 'from']) || !requireKeyLeaf(dst, 'rename', problems, [i, 'rename', 'to']))
    return undefined;
  if (!sameParent(src, dst)) {
    problems.push({
      path: [i, 'rename', 'to'],
      message: `rename stays within one object: "${to}" is not beside "${from}"; use hoist or plunge to move a field between levels`,
    });
    return undefined;
  }
  const fromKey = src.leaf.key;
  const toKey = dst.leaf.key;
  const run =
    (a: string, b: string, inverse: string): Apply =>
    (doc) => {
      for (const c of containers(doc, src, inverse, optional)) {
        const obj = c.value as Record<string, unknown>;
        const at = (k: string) => (c.at ? `${c.at}.${k}` : k);
        if (!(a in obj)) {
          if (optional) continue;
          throw new TransformMisfit(at(a), inverse, 'missing');
        }
        if (b in obj) throw new TransformMisfit(at(b), inverse, 'already present');
        renameKey(obj, a, b);
      }
    };
  return { name: label, forward: run(fromKey, toKey, label), backward: run(toKey, fromKey, `${label} (backward)`) };
}

/** add <-> remove */
function compileAddRemove(
  op: Extract<LensOpFile, { add: unknown } | { remove: unknown }>,
  i: number,
  problems: LensProblem[],
  name: (s: string) => string,
): CompiledOp | undefined {
  const adding = 'add' in op;
  const spec = adding ? op.add : op.remove;
  const label = `${adding ? 'add' : 'remove'} ${spec.field}`;
  const path = fieldPath(name(spec.field), problems, [i, adding ? 'add' : 'remove', 'field']);
  if (!path || !requireKeyLeaf(path, adding ? 'add' : 'remove', problems, [i, adding ? 'add' : 'remove', 'field'])) return undefined;
  const key = path.leaf.key;
  const dflt = spec.default;
  // Adding fills the field where it is missing; removing drops it. Either way round, a
  // missing parent is a misfit: the document is not the shape the lens was written for.
  const addField: Apply = (doc) => {
    for (const c of containers(doc, path, label, false)) {
      const obj = c.value as Record<string, unknown>;
      if (obj[key] === undefined) obj[key] = clone(dflt);
    }
  };
  const removeField: Apply = (doc) => {
    for (const c of containers(doc, path, label, false)) delete (c.value as Record<string, unknown>)[key];
  };
  return adding ? { name: label, forward: addField, backward: removeField } : { name: label, forward: removeField, backward: addField };
}

/** hoist <-> plunge */
function compileHoistPlunge(
  op: Extract<LensOpFile, { hoist: unknown } | { plunge: unknown }>,
  i: number,
  problems: LensProblem[],
  name: (s: string) => string,
): CompiledOp | undefined {
  const hoisting = 'hoist' in op;
  const spec = hoisting ? op.hoist : op.plunge;
  const label = `${hoisting ? 'hoist' : 'plunge'} ${spec.host}.${spec.field}`;
  const host = fieldPath(name(spec.host), problems, [i, hoisting ? 'hoist' : 'plunge', 'host']);
  if (!host || !requireKeyLeaf(host, hoisting ? 'hoist' : 'plunge', problems, [i, hoisting ? 'hoist' : 'plunge', 'host'])) return undefined;
  const hostKey = host.leaf.key;
  const fieldKey = name(spec.field);
  const optional = spec.optional;
  // up: <host>.<field> -> <field> beside the host; down: the other way.
  const run =
    (up: boolean, label: string): Apply =>
    (doc) => {
      for (const c of containers(doc, host, label, optional)) {
        const parent = c.value as Record<string, unknown>;
        const at = c.at ? `${c.at}.${hostKey}` : hostKey;
        const inner = parent[hostKey];
        if (!isObject(inner)) {
          if (optional && inner === undefined) continue;
          throw new TransformMisfit(at, label, inner === undefined ? 'missing' : `expected an object, found ${kind(inner)}`);
        }
        const innerSlot: Slot = { holder: inner, key: fieldKey, at: `${at}.${fieldKey}` };
        const outerSlot: Slot = { holder: parent, key: fieldKey, at: c.at ? `${c.at}.${fieldKey}` : fieldKey };
        const [from, to] = up ? [innerSlot, outerSlot] : [outerSlot, innerSlot];
        if (optional && !has(from)) continue;
        move(from, to, label);
      }
    };
  return {
    name: label,
    forward: run(hoisting, label),
    backward: run(!hoisting, `${label} (backward)`),
  };
}

/** wrap <-> head */
function compileWrapHead(
  op: Extract<LensOpFile, { wrap: unknown } | { head: unknown }>,
  i: number,
  problems: LensProblem[],
  name: (s: string) => string,
): CompiledOp | undefined {
  const wrapping = 'wrap' in op;
  const spec = wrapping ? op.wrap : op.head;
  const label = `${wrapping ? 'wrap' : 'head'} ${spec.field}`;
  const path = fieldPath(name(spec.field), problems, [i, wrapping ? 'wrap' : 'head', 'field']);
  if (!path) return undefined;
  const optional = spec.optional;
  // wrap: a scalar (or object) becomes a one-item array, null an empty one.
  const wrap =
    (label: string): Apply =>
    (doc) => {
      for (const s of slots(doc, path, label, optional)) {
        if (!filled(s, label, optional)) continue;
        const v = get(s);
        if (Array.isArray(v)) throw new TransformMisfit(s.at, label, 'expected a single value, found an array');
        set(s, v === null ? [] : [v]);
      }
    };
  // head: an array becomes its first item, an empty one null.
  const head =
    (label: string): Apply =>
    (doc) => {
      for (const s of slots(doc, path, label, optional)) {
        if (!filled(s, label, optional)) continue;
        const v = get(s);
        if (!Array.isArray(v)) throw new TransformMisfit(s.at, label, `expected an array, found ${kind(v)}`);
        set(s, v.length ? v[0] : null);
      }
    };
  return wrapping
    ? { name: label, forward: wrap(label), backward: head(`${label} (backward)`) }
    : { name: label, forward: head(label), backward: wrap(`${label} (backward)`) };
}

/** convert <-> convert by the table read backwards, or by the backward expression */
function compileConvert(
  op: Extract<LensOpFile, { convert: unknown }>,
  i: number,
  problems: LensProblem[],
  name: (s: string) => string,
): CompiledOp | undefined {
  const spec = op.convert;
  const label = `convert ${spec.field}`;
  const path = fieldPath(name(spec.field), problems, [i, 'convert', 'field']);
  if (!path) return undefined;
  const optional = spec.optional;
  if (spec.mapping) {
    const forward = new Map<string, unknown>();
    const backward = new Map<string, unknown>();
    spec.mapping.forEach((m, k) => {
      if (forward.has(keyOf(m.from))) problems.push({ path: [i, 'convert', 'mapping', k, 'from'], message: `${keyOf(m.from)} is mapped twice` });
      if (backward.has(keyOf(m.to)))
        problems.push({ path: [i, 'convert', 'mapping', k, 'to'], message: `${keyOf(m.to)} is mapped to twice, so the table cannot be read backwards` });
      forward.set(keyOf(m.from), m.to);
      backward.set(keyOf(m.to), m.from);
    });
    const run =
      (table: Map<string, unknown>, label: string): Apply =>
      (doc) => {
        for (const s of slots(doc, path, label, optional)) {
          if (!filled(s, label, optional)) continue;
          const k = keyOf(get(s));
          if (!table.has(k)) throw new TransformMisfit(s.at, label, `${k} is not in the mapping table`);
          set(s, clone(table.get(k)));
        }
      };
    return { name: label, forward: run(forward, label), backward: run(backward, `${label} (backward)`) };
  }
  const fwd = compileExpression(spec.forward!);
  const bwd = compileExpression(spec.backward!);
  if (typeof fwd === 'string') problems.push({ path: [i, 'convert', 'forward'], message: fwd });
  if (typeof bwd === 'string') problems.push({ path: [i, 'convert', 'backward'], message: bwd });
  if (typeof fwd === 'string' || typeof bwd === 'string') return undefined;
  const run =
    (expr: CompiledExpression, label: string): Apply =>
    async (doc) => {
      for (const s of slots(doc, path, label, optional)) {
        if (!filled(s, label, optional)) continue;
        let out: unknown;
        try {
          out = await expr.evaluate(get(s));
        } catch (err) {
          throw new TransformMisfit(s.at, label, `expression failed: ${(err as Error).message}`);
        }
        if (out === undefined) throw new TransformMisfit(s.at, label, `expression ${JSON.stringify(expr.text)} gave no value`);
        set(s, plainJson(out));
      }
    };
  return { name: label, forward: run(fwd, label), backward: run(bwd, `${label} (backward)`) };
}

/**
 * Compiles a list of lens operations. Problems (bad paths, bad expressions, tables that
 * cannot be read backwards) are pushed with the operation's index; the lens is still
 * returned, without the operations that failed, so every problem is reported at once.
 * `lowerCase` is for header lenses, whose names are lower-cased as Node presents them.
 */
export function compileLens(ops: readonly LensOpFile[], problems: LensProblem[], options: { lowerCase?: boolean } = {}): Lens {
  const compiled: CompiledOp[] = [];
  ops.forEach((op, i) => {
    const c = compileOp(op, i, problems, options.lowerCase ?? false);
    if (c) compiled.push(c);
  });
  const async = ops.some((op) => 'convert' in op && op.convert.mapping === undefined);
  const reversed = [...compiled].reverse();
  return {
    ops: compiled,
    async,
    async forward(doc) {
      for (const op of compiled) await op.forward(doc);
      return doc;
    },
    async backward(doc) {
      for (const op of reversed) await op.backward(doc);
      return doc;
    },
  };
}

export const EMPTY_LENS: Lens = { ops: [], async: false, forward: async (d) => d, backward: async (d) => d };
