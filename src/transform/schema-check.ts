// `sundial check` for transforms between two versions that both have OpenAPI documents:
// the lenses are run over the schemas themselves (as Cambria does), the old version's
// schema forward and the new one's backward, and the results compared with the other
// version's schema. It reports operations that name fields the schema does not have
// (problems) and properties nothing maps (warnings).
import type { CompiledConfig } from '../config/compiled.js';
import { loadOpenApiDocument, type OpenApiDocument } from '../openapi/document.js';
import { HTTP_METHODS } from '../openapi/operations.js';
import { parseFieldPath, isKey, type FieldPath } from './field-path.js';
import { rewritePath } from './path-rewrite.js';
import { rulesAt } from './rules.js';
import type { Lens } from './lens.js';
import type { LensOpFile } from './schema.js';

type Shape = { kind: 'object'; props: Map<string, Shape> } | { kind: 'array'; items: Shape } | { kind: 'scalar' } | { kind: 'any' };

export interface SchemaFinding {
  severity: 'problem' | 'unmapped';
  file: string;
  message: string;
}

function shapeOf(schema: unknown, depth = 0): Shape {
  const s = schema as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object' || depth > 20) return { kind: 'any' };
  const all = (s.allOf as unknown[] | undefined) ?? [];
  if (s.type === 'object' || s.properties || all.length) {
    const props = new Map<string, Shape>();
    for (const part of [s, ...all]) {
      for (const [k, v] of Object.entries(((part as Record<string, unknown>).properties as Record<string, unknown>) ?? {})) props.set(k, shapeOf(v, depth + 1));
    }
    return { kind: 'object', props };
  }
  if (s.type === 'array') return { kind: 'array', items: shapeOf(s.items, depth + 1) };
  if (s.type) return { kind: 'scalar' };
  return { kind: 'any' };
}

const shapeOfValue = (v: unknown): Shape =>
  Array.isArray(v)
    ? { kind: 'array', items: v.length ? shapeOfValue(v[0]) : { kind: 'any' } }
    : v && typeof v === 'object'
      ? { kind: 'object', props: new Map(Object.entries(v).map(([k, x]) => [k, shapeOfValue(x)])) }
      : { kind: 'scalar' };

/** The object shapes a path's leaf lives in; pushes a message when the path leaves the schema. */
function holders(root: Shape, path: FieldPath, notes: string[]): Map<string, Shape>[] {
  let cur: Shape[] = [root];
  for (const step of path.parent) {
    const next: Shape[] = [];
    for (const s of cur) {
      if (s.kind === 'any') continue;
      if (isKey(step)) {
        if (s.kind !== 'object' || !s.props.has(step.key)) notes.push(`"${path.text}": the schema has no ${step.key} here`);
        else next.push(s.props.get(step.key)!);
      } else if (s.kind !== 'array') notes.push(`"${path.text}": the schema has no array here`);
      else next.push(s.items);
    }
    cur = next;
  }
  if (!isKey(path.leaf)) return [];
  return cur.flatMap((s) => (s.kind === 'object' ? [s.props] : []));
}

/** One lens operation over a schema shape, in one direction. */
function applyOp(root: Shape, op: LensOpFile, forward: boolean, notes: string[]): void {
  const path = (t: string) => parseFieldPath(t) as FieldPath;
  const need = (props: Map<string, Shape>, key: string, text: string) => {
    if (!props.has(key)) notes.push(`"${text}": the schema has no property ${key}`);
    return props.has(key);
  };
  if ('rename' in op) {
    const p = path(op.rename.from);
    const to = op.rename.to.split('.').pop()!;
    const [a, b] = forward ? [(p.leaf as { key: string }).key, to] : [to, (p.leaf as { key: string }).key];
    for (const props of holders(root, p, notes))
      if (need(props, a, op.rename.from)) {
        props.set(b, props.get(a)!);
        props.delete(a);
      }
  } else if ('add' in op || 'remove' in op) {
    const spec = 'add' in op ? op.add : op.remove;
    const adding = 'add' in op === forward;
    const p = path(spec.field);
    const key = (p.leaf as { key: string }).key;
    for (const props of holders(root, p, notes)) {
      if (adding) props.set(key, props.get(key) ?? shapeOfValue(spec.default));
      else props.delete(key);
    }
  } else if ('hoist' in op || 'plunge' in op) {
    const spec = 'hoist' in op ? op.hoist : op.plunge;
    const up = 'hoist' in op === forward;
    const p = path(spec.host);
    const hostKey = (p.leaf as { key: string }).key;
    for (const props of holders(root, p, notes)) {
      const host = props.get(hostKey);
      if (!host || host.kind !== 'object') {
        notes.push(`"${spec.host}": the schema has no object ${hostKey}`);
        continue;
      }
      const [from, to] = up ? [host.props, props] : [props, host.props];
      if (need(from, spec.field, `${spec.host}.${spec.field}`)) {
        to.set(spec.field, from.get(spec.field)!);
        from.delete(spec.field);
      }
    }
  } else if ('wrap' in op || 'head' in op) {
    const spec = 'wrap' in op ? op.wrap : op.head;
    const wrapping = 'wrap' in op === forward;
    const p = path(spec.field);
    if (!isKey(p.leaf)) return;
    const key = p.leaf.key;
    for (const props of holders(root, p, notes)) {
      const s = props.get(key);
      if (!s) {
        notes.push(`"${spec.field}": the schema has no property ${key}`);
        continue;
      }
      if (wrapping) props.set(key, { kind: 'array', items: s });
      else if (s.kind === 'array') props.set(key, s.items);
      else if (s.kind !== 'any') notes.push(`"${spec.field}": the schema's ${key} is not an array`);
    }
  } else if ('convert' in op) {
    const p = path(op.convert.field);
    if (!isKey(p.leaf)) return;
    const key = p.leaf.key;
    for (const props of holders(root, p, notes)) {
      if (!need(props, key, op.convert.field)) continue;
      // A table keeps the kind of value; an expression may make anything of it.
      props.set(key, op.convert.mapping ? shapeOfValue(op.convert.mapping[0][forward ? 'to' : 'from']) : { kind: 'any' });
    }
  }
}

function runLens(shape: Shape, lens: Lens | undefined, ops: LensOpFile[] | undefined, forward: boolean, notes: string[]): Shape {
  if (!lens || !ops) return shape;
  for (const op of forward ? ops : [...ops].reverse()) applyOp(shape, op, forward, notes);
  return shape;
}

/** Properties on one side that the other lacks, as dotted paths. */
function unmapped(got: Shape, want: Shape, at: string, out: string[]): void {
  if (got.kind === 'any' || want.kind === 'any') return;
  if (got.kind === 'object' && want.kind === 'object') {
    for (const [k, w] of want.props) {
      const here = at ? `${at}.${k}` : k;
      const g = got.props.get(k);
      if (!g) out.push(here);
      else unmapped(g, w, here, out);
    }
  } else if (got.kind === 'array' && want.kind === 'array') unmapped(got.items, want.items, `${at}[*]`, out);
}

interface Op {
  method: string;
  path: string;
  request?: unknown;
  response?: unknown;
}

function operations(doc: OpenApiDocument): Op[] {
  const out: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of HTTP_METHODS) {
      const op = (item as Record<string, unknown> | undefined)?.[m] as Record<string, any> | undefined;
      if (!op) continue;
      const ok = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code))?.[1] as any;
      out.push({
        method: m.toUpperCase(),
        path,
        request: op.requestBody?.content?.['application/json']?.schema,
        response: ok?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}

const toColon = (template: string) => template.replace(/\{([^}]+)\}/g, ':$1');

/** Checks every transform whose two versions both have OpenAPI documents. */
export async function checkTransformSchemas(cfg: CompiledConfig): Promise<SchemaFinding[]> {
  const findings: SchemaFinding[] = [];
  for (const v of cfg.versions.values()) {
    const t = v.transform;
    const next = t && cfg.versions.get(t.to);
    if (!t || !v.openapi || !next?.openapi) continue;
    const [a, b] = await Promise.all([loadOpenApiDocument(`${cfg.dir}/${v.openapi.file}`), loadOpenApiDocument(`${cfg.dir}/${next.openapi.file}`)]);
    if (!a.ok || !b.ok) continue;
    const newOps = operations(b.document);
    const raw = t.source;
    for (const op of operations(a.document)) {
      const route = cfg.routes.find((r) => op.path === r.prefix || op.path.startsWith(r.prefix.endsWith('/') ? r.prefix : `${r.prefix}/`));
      if (!route) continue;
      const step = t.stepFor(route.name);
      const rules = rulesAt(step, op.method, op.path);
      const newPath = rewritePath(rules.path, toColon(op.path));
      const target = newOps.find((o) => o.method === op.method && toColon(o.path) === newPath);
      const name = `${op.method} ${op.path}`;
      if (!target) {
        findings.push({ severity: 'unmapped', file: v.file, message: `${name} maps to ${op.method} ${newPath}, which ${next.openapi.file} does not have` });
        continue;
      }
      const specific = raw.routes?.[route.name]?.operations?.[name];
      const routeRules = raw.routes?.[route.name];
      const opsFor = (field: 'request' | 'response') => specific?.[field] ?? routeRules?.[field] ?? raw[field];
      for (const [field, oldSchema, newSchema, lens] of [
        ['request', op.request, target.request, rules.request],
        ['response', op.response, target.response, rules.response],
      ] as const) {
        if (!oldSchema || !newSchema) continue;
        const notes: string[] = [];
        const forward = runLens(shapeOf(oldSchema), lens, opsFor(field), true, notes);
        for (const n of new Set(notes)) findings.push({ severity: 'problem', file: v.file, message: `${name} ${field}: ${n} in ${v.openapi.file}` });
        const backNotes: string[] = [];
        const backward = runLens(shapeOf(newSchema), lens, opsFor(field), false, backNotes);
        const missingNew: string[] = [];
        unmapped(forward, shapeOf(newSchema), '', missingNew);
        const missingOld: string[] = [];
        unmapped(backward, shapeOf(oldSchema), '', missingOld);
        for (const p of missingNew)
          findings.push({ severity: 'unmapped', file: v.file, message: `${name} ${field}: ${next.id}'s ${p} is mapped from nothing in ${v.id}` });
        for (const p of missingOld)
          findings.push({ severity: 'unmapped', file: v.file, message: `${name} ${field}: ${v.id}'s ${p} is mapped from nothing in ${next.id}` });
      }
    }
  }
  return findings;
}
