// Classifies every change between two dereferenced OpenAPI documents by the rule catalogue
// (rules.ts), for a client of the old document. Pure: two documents and the options (the
// clock among them) in, a list of changes out, each with its rule, level, location (method,
// path template, and a JSON pointer into the documents) and what to do.
import type { OpenApiDocument } from './document.js';
import {
  lifecycleOf,
  memberRemovalVerdict,
  noticeDays,
  removalVerdict,
  stabilityOf,
  STABILITY_RANK,
  sunsetChanges,
  type LifecycleOptions,
  type Stability,
} from './diff-lifecycle.js';
import { code, isObj, Report, type Change, type Loc, type Segments } from './diff-report.js';
import { SchemaDiff, sunsetMessage } from './diff-schema.js';
import { diffSecurity, diffSecuritySchemes } from './diff-security.js';
import { essence, specialises } from './media-types.js';
import { HTTP_METHODS } from './operations.js';
import type { Dir, Level } from './rules.js';

export type { Change } from './diff-report.js';
export type ChangeClass = Level;
export type DiffOptions = LifecycleOptions;

type Obj = Record<string, any>;

/** Path templates that differ only in parameter names name the same endpoint. */
const pathKey = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
const upper = (m: string) => m.toUpperCase();

export function diffDocuments(oldDoc: OpenApiDocument, newDoc: OpenApiDocument, options: DiffOptions = { now: Date.now() }): Change[] {
  return new Differ(oldDoc as Obj, newDoc as Obj, options).run();
}

interface Param {
  param: Obj;
  at: Segments;
  index: number;
}

class Differ {
  private readonly report = new Report();
  private stability: Stability | undefined;
  private readonly schemas: SchemaDiff;

  constructor(
    private readonly oldDoc: Obj,
    private readonly newDoc: Obj,
    private readonly opts: DiffOptions,
  ) {
    this.schemas = new SchemaDiff(this.report, opts, () => this.stability);
  }

  run(): Change[] {
    this.paths();
    this.webhooks();
    diffSecuritySchemes(this.report, this.oldDoc.components?.securitySchemes, this.newDoc.components?.securitySchemes);
    return this.report.changes;
  }

  private paths(): void {
    const oldPaths = indexPaths(this.oldDoc.paths);
    const newPaths = indexPaths(this.newDoc.paths);
    for (const [key, [path, item]] of oldPaths) {
      const next = newPaths.get(key);
      if (!next) {
        this.removedPath(path, item);
        continue;
      }
      const [newPath, newItem] = next;
      if (newPath !== path)
        this.report.add(
          'path-parameter-renamed',
          { path: newPath },
          ['paths', newPath],
          `Path ${path} is now written ${newPath}; the parameter names changed, the URLs did not`,
        );
      this.pathItem({ path: newPath }, ['paths', newPath], path, item, newItem, false);
    }
    for (const [key, [path]] of newPaths) if (!oldPaths.has(key)) this.report.add('path-added', { path }, ['paths', path], `Path ${path} was added`);
  }

  private removedPath(path: string, item: Obj): void {
    const ops = HTTP_METHODS.filter((m) => isObj(item[m]));
    const verdicts = ops.map((m) => removalVerdict(lifecycleOf(item[m]), this.opts, true));
    if (ops.length && verdicts.every((v) => v === 'not-deprecated') && !ops.some((m) => unstableLevel(item[m]))) {
      this.report.add('path-removed', { path }, ['paths', path], `Path ${path} was removed, with ${ops.map(upper).join(', ')}`);
      return;
    }
    ops.forEach((m) => this.removedOperation({ method: upper(m), path, unstable: unstableLevel(item[m]) }, ['paths', path, m], item[m]));
    if (!ops.length) this.report.add('path-removed', { path }, ['paths', path], `Path ${path} was removed`);
  }

  private removedOperation(loc: Loc, at: Segments, op: Obj): void {
    const name = `${loc.method} ${loc.path}`;
    switch (removalVerdict(lifecycleOf(op), this.opts, true, stabilityOf(op['x-stability-level']))) {
      case 'after-sunset':
        return this.report.add('operation-removed-after-sunset', loc, at, `Deprecated ${name} was removed after its sunset`);
      case 'without-sunset':
        return this.report.add('operation-removed-without-sunset', loc, at, `Deprecated ${name} was removed; it had no sunset`);
      case 'before-sunset':
        return this.report.add('operation-removed-before-sunset', loc, at, `Deprecated ${name} was removed before its sunset${this.whichSunset(op)}`);
      default:
        return this.report.add('operation-removed', loc, at, `${name} was removed without being deprecated first`);
    }
  }

  /** The sunset a deprecated operation was removed before: its own, its version's, or none. */
  private whichSunset(op: Obj): string {
    if (op['x-sunset']) return ` (${String(op['x-sunset'])})`;
    const versionSunset = this.opts.version?.sunsetAt;
    if (versionSunset !== undefined) return ` (the version's, ${new Date(versionSunset).toISOString()})`;
    return `: it had none, and --deprecation-days asks for ${noticeDays(stabilityOf(op['x-stability-level']), this.opts)} days' notice`;
  }

  private pathItem(base: Loc, at: Segments, oldPath: string, item: Obj, newItem: Obj, webhook: boolean): void {
    for (const m of HTTP_METHODS) {
      const oldOp = item[m];
      const newOp = newItem[m];
      const loc: Loc = { ...base, method: upper(m), unstable: isObj(oldOp) ? unstableLevel(oldOp) : undefined };
      if (isObj(oldOp) && !isObj(newOp)) {
        if (webhook) this.report.add('webhook-removed', loc, [...at, m], `Webhook ${base.path} no longer sends ${upper(m)}`);
        else this.removedOperation(loc, [...at, m], oldOp);
      } else if (!isObj(oldOp) && isObj(newOp)) {
        this.report.add(webhook ? 'webhook-added' : 'operation-added', loc, [...at, m], `${upper(m)} ${base.path} was added`);
      } else if (isObj(oldOp) && isObj(newOp)) {
        this.operation(loc, [...at, m], oldPath, item, oldOp, newItem, newOp, webhook);
      }
    }
  }

  private webhooks(): void {
    const a: Obj = isObj(this.oldDoc.webhooks) ? this.oldDoc.webhooks : {};
    const b: Obj = isObj(this.newDoc.webhooks) ? this.newDoc.webhooks : {};
    for (const [name, item] of Object.entries(a)) {
      const loc = { path: `webhook:${name}` };
      if (!isObj(b[name])) this.report.add('webhook-removed', loc, ['webhooks', name], `Webhook ${name} was removed`);
      else if (isObj(item)) this.pathItem(loc, ['webhooks', name], name, item, b[name], true);
    }
    for (const name of Object.keys(b))
      if (!isObj(a[name])) this.report.add('webhook-added', { path: `webhook:${name}` }, ['webhooks', name], `Webhook ${name} was added`);
  }

  private operation(loc: Loc, at: Segments, oldPath: string, oldItem: Obj, oldOp: Obj, newItem: Obj, newOp: Obj, webhook: boolean): void {
    const name = `${loc.method} ${loc.path}`;
    this.stability = stabilityOf(newOp['x-stability-level']);
    this.lifecycle(loc, at, oldOp, newOp, name);
    if (typeof oldOp.operationId === 'string' && typeof newOp.operationId === 'string' && oldOp.operationId !== newOp.operationId) {
      this.report.add(
        'operation-id-changed',
        loc,
        [...at, 'operationId'],
        `The operationId of ${name} changed from ${oldOp.operationId} to ${newOp.operationId}`,
      );
    }
    // A webhook's request is sent to the client, and the client writes its response.
    const sent: Dir = webhook ? 'response' : 'request';
    const received: Dir = webhook ? 'request' : 'response';
    if (!webhook) this.parameters(loc, at, mergedParameters(oldItem, oldOp, at, oldPath), mergedParameters(newItem, newOp, at, loc.path!));
    this.requestBody(sent, loc, [...at, 'requestBody'], oldOp.requestBody, newOp.requestBody);
    this.responses(received, loc, [...at, 'responses'], isObj(oldOp.responses) ? oldOp.responses : {}, isObj(newOp.responses) ? newOp.responses : {});
    if (!webhook) {
      diffSecurity(
        this.report,
        loc,
        at,
        oldOp.security ?? this.oldDoc.security ?? [],
        newOp.security ?? this.newDoc.security ?? [],
        newOp.security !== undefined,
      );
    }
  }

  private lifecycle(loc: Loc, at: Segments, oldOp: Obj, newOp: Obj, name: string): void {
    const before = lifecycleOf(oldOp);
    const after = lifecycleOf(newOp);
    if (!before.deprecated && after.deprecated)
      this.report.add(
        'operation-deprecated',
        loc,
        [...at, 'deprecated'],
        `${name} is now deprecated${newOp['x-sunset'] ? `, with a sunset on ${String(newOp['x-sunset'])}` : ''}`,
      );
    if (before.deprecated && !after.deprecated) this.report.add('operation-reactivated', loc, [...at, 'deprecated'], `${name} is no longer deprecated`);
    for (const c of sunsetChanges(before, after, this.stability, this.opts)) this.report.add(c.id, loc, [...at, 'x-sunset'], sunsetMessage(name, c));
    const was = oldOp['x-stability-level'];
    const is = newOp['x-stability-level'];
    if (is !== undefined && is !== was && stabilityOf(is) === undefined)
      this.report.add('stability-level-unreadable', loc, [...at, 'x-stability-level'], `x-stability-level of ${name} is ${JSON.stringify(is)}`);
    // An operation without x-stability-level is stable: marking it beta, alpha or draft lowers it.
    const a = was === undefined ? 'stable' : stabilityOf(was);
    const b = stabilityOf(is);
    if (a && b && STABILITY_RANK[b] < STABILITY_RANK[a])
      this.report.add('stability-level-decreased', { ...loc, unstable: undefined }, [...at, 'x-stability-level'], `${name} went from ${a} to ${b}`);
  }

  private parameters(loc: Loc, at: Segments, oldParams: Map<string, Param>, newParams: Map<string, Param>): void {
    const removed = [...oldParams].filter(([k]) => !newParams.has(k)).map(([, p]) => p);
    const added = [...newParams].filter(([k]) => !oldParams.has(k)).map(([, p]) => p);
    // A parameter removed and another added in its place (same location and position) is a rename.
    const renamed = new Set<Param>();
    for (const r of removed) {
      const twin = added.find((a) => !renamed.has(a) && a.param.in === r.param.in && a.index === r.index && r.param.in !== 'path');
      if (!twin) continue;
      renamed.add(r).add(twin);
      this.report.add('parameter-renamed', loc, twin.at, `The ${r.param.in} parameter ${code(r.param.name)} is now called ${code(twin.param.name)}`);
    }
    for (const p of added) {
      if (renamed.has(p)) continue;
      const what = `${p.param.in} parameter ${code(p.param.name)}`;
      this.report.add(
        p.param.required ? 'parameter-added-required' : 'parameter-added',
        loc,
        p.at,
        `New ${p.param.required ? 'required' : 'optional'} ${what}`,
      );
    }
    for (const p of removed) {
      if (renamed.has(p)) continue;
      const what = `${p.param.in} parameter ${code(p.param.name)}`;
      const verdict = memberRemovalVerdict(lifecycleOf(p.param), this.opts, this.stability);
      if (verdict === 'after-sunset') this.report.add('parameter-removed-after-sunset', loc, p.at, `Deprecated ${what} was removed after its sunset`);
      else if (verdict === 'without-sunset') this.report.add('parameter-removed-without-sunset', loc, p.at, `Deprecated ${what} was removed; it had no sunset`);
      else if (verdict === 'before-sunset') this.report.add('parameter-removed-before-sunset', loc, p.at, `Deprecated ${what} was removed before its sunset`);
      else this.report.add('parameter-removed', loc, p.at, `The ${what} was removed`);
    }
    for (const [key, p] of newParams) {
      const old = oldParams.get(key);
      if (!old) continue;
      const what = `${p.param.in} parameter ${code(p.param.name)}`;
      if (!!old.param.required !== !!p.param.required) {
        this.report.add(
          p.param.required ? 'parameter-became-required' : 'parameter-became-optional',
          loc,
          [...p.at, 'required'],
          `The ${what} is ${p.param.required ? 'now required' : 'now optional'}`,
        );
      }
      const before = lifecycleOf(old.param);
      const after = lifecycleOf(p.param);
      if (!before.deprecated && after.deprecated) this.report.add('parameter-deprecated', loc, [...p.at, 'deprecated'], `The ${what} is now deprecated`);
      for (const c of sunsetChanges(before, after, this.stability, this.opts))
        this.report.add(c.id, loc, [...p.at, 'x-sunset'], sunsetMessage(`the ${what}`, c));
      const style = (x: Obj) =>
        `${x.style ?? (x.in === 'query' || x.in === 'cookie' ? 'form' : 'simple')}/${x.explode ?? (x.style ?? (x.in === 'query' || x.in === 'cookie' ? 'form' : 'simple')) === 'form'}`;
      if (style(old.param) !== style(p.param))
        this.report.add('parameter-serialization-changed', loc, p.at, `The ${what} is serialised as ${style(p.param)}, where it was ${style(old.param)}`);
      if (isObj(old.param.schema) || isObj(p.param.schema))
        this.schemas.root('request', loc, [...p.at, 'schema'], old.param.schema, p.param.schema, p.param.name);
      else if (isObj(old.param.content) && isObj(p.param.content))
        this.content('request', loc, [...p.at, 'content'], old.param.content, p.param.content, `the ${what}`);
    }
  }

  private requestBody(dir: Dir, loc: Loc, at: Segments, oldBody: unknown, newBody: unknown): void {
    if (!isObj(oldBody) && isObj(newBody)) {
      this.report.add(
        newBody.required ? 'request-body-added-required' : 'request-body-added',
        loc,
        at,
        `A${newBody.required ? ' required' : 'n optional'} request body was added`,
      );
      return;
    }
    if (isObj(oldBody) && !isObj(newBody)) return this.report.add('request-body-removed', loc, at, 'The request body was removed');
    if (!isObj(oldBody) || !isObj(newBody)) return;
    if (!!oldBody.required !== !!newBody.required) {
      this.report.add(
        newBody.required ? 'request-body-became-required' : 'request-body-became-optional',
        loc,
        [...at, 'required'],
        `The request body is ${newBody.required ? 'now required' : 'now optional'}`,
      );
    }
    this.content(
      dir,
      loc,
      [...at, 'content'],
      isObj(oldBody.content) ? oldBody.content : {},
      isObj(newBody.content) ? newBody.content : {},
      'the request body',
    );
  }

  private content(dir: Dir, loc: Loc, at: Segments, oldContent: Obj, newContent: Obj, what: string): void {
    const field = dir === 'request' ? 'request body' : 'response body';
    const unmatchedNew = new Set(Object.keys(newContent));
    const pairs: [string, string][] = [];
    const left: string[] = [];
    for (const type of Object.keys(oldContent)) {
      const same = [...unmatchedNew].find((t) => essence(t) === essence(type));
      if (same !== undefined) {
        pairs.push([type, same]);
        unmatchedNew.delete(same);
      } else left.push(type);
    }
    for (const type of left) {
      const specific = [...unmatchedNew].find((t) => specialises(type, t));
      const general = specific === undefined ? [...unmatchedNew].find((t) => specialises(t, type)) : undefined;
      const match = specific ?? general;
      if (match === undefined) {
        this.report.add(`${dir}-media-type-removed`, loc, [...at, type], `${what} is no longer ${dir === 'request' ? 'accepted' : 'offered'} as ${type}`);
        continue;
      }
      unmatchedNew.delete(match);
      this.report.add(
        `${dir}-media-type-${specific !== undefined ? 'specialised' : 'generalised'}`,
        loc,
        [...at, match],
        `${what} is ${match}, where it was ${type}`,
      );
      pairs.push([type, match]);
    }
    for (const [a, b] of pairs) {
      const x = oldContent[a];
      const y = newContent[b];
      // A media type without a schema takes any value: a schema added to it constrains it.
      if (isObj(x) && isObj(y)) this.schemas.root(dir, loc, [...at, b, 'schema'], x.schema ?? {}, y.schema ?? {}, field);
    }
    for (const type of unmatchedNew)
      this.report.add(`${dir}-media-type-added`, loc, [...at, type], `${what} is now also ${dir === 'request' ? 'accepted' : 'offered'} as ${type}`);
  }

  private responses(dir: Dir, loc: Loc, at: Segments, oldResponses: Obj, newResponses: Obj): void {
    const matched = new Set<string>();
    for (const [status, old] of Object.entries(oldResponses)) {
      let target: string | undefined = status in newResponses ? status : undefined;
      if (target === undefined) {
        const range = `${status[0]}XX`;
        const wider = /^\d{3}$/.test(status) ? Object.keys(newResponses).find((s) => s.toUpperCase() === range) : undefined;
        const narrower = /^\dXX$/i.test(status)
          ? Object.keys(newResponses).find((s) => s[0] === status[0] && /^\d{3}$/.test(s) && !(s in oldResponses))
          : undefined;
        if (wider) this.report.add('response-status-generalised', loc, [...at, wider], `Response ${status} is now documented as ${wider}`);
        else if (narrower) this.report.add('response-status-specialised', loc, [...at, narrower], `Response ${status} is now documented as ${narrower}`);
        target = wider ?? narrower;
      }
      if (target === undefined) {
        const success = /^2/.test(status);
        this.report.add(
          success ? 'response-success-status-removed' : 'response-status-removed',
          loc,
          [...at, status],
          `Response ${status} is no longer documented`,
        );
        continue;
      }
      matched.add(target);
      const next = newResponses[target];
      if (!isObj(old) || !isObj(next)) continue;
      const what = `response ${target}`;
      this.content(dir, loc, [...at, target, 'content'], isObj(old.content) ? old.content : {}, isObj(next.content) ? next.content : {}, `the ${what}`);
      this.headers(loc, [...at, target, 'headers'], isObj(old.headers) ? old.headers : {}, isObj(next.headers) ? next.headers : {}, what);
    }
    for (const status of Object.keys(newResponses)) {
      if (!(status in oldResponses) && !matched.has(status)) this.report.add('response-status-added', loc, [...at, status], `Response ${status} was added`);
    }
  }

  private headers(loc: Loc, at: Segments, oldHeaders: Obj, newHeaders: Obj, what: string): void {
    const byName = (h: Obj) => new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
    const a = byName(oldHeaders);
    const b = byName(newHeaders);
    for (const [key, [name, header]] of a) {
      const next = b.get(key);
      const required = isObj(header) && header.required === true;
      if (!next) {
        this.report.add(
          required ? 'response-header-removed' : 'response-optional-header-removed',
          loc,
          [...at, name],
          `The ${what} no longer carries the ${required ? 'required ' : ''}header ${name}`,
        );
        continue;
      }
      const [newName, newHeader] = next;
      if (!isObj(newHeader)) continue;
      if (required && newHeader.required !== true)
        this.report.add('response-header-became-optional', loc, [...at, newName, 'required'], `The header ${newName} of the ${what} is no longer required`);
      if (isObj(header)) this.schemas.root('response', loc, [...at, newName, 'schema'], header.schema, newHeader.schema, `header ${newName}`);
    }
    for (const [key, [name]] of b) if (!a.has(key)) this.report.add('response-header-added', loc, [...at, name], `The ${what} now carries the header ${name}`);
  }
}

/** Draft and alpha operations may change freely; their changes are reported as info. */
function unstableLevel(op: Obj): string | undefined {
  const level = stabilityOf(op['x-stability-level']);
  return level === 'draft' || level === 'alpha' ? level : undefined;
}

function indexPaths(paths: unknown): Map<string, [string, Obj]> {
  const out = new Map<string, [string, Obj]>();
  if (!isObj(paths)) return out;
  for (const [path, item] of Object.entries(paths)) if (isObj(item)) out.set(pathKey(path), [path, item]);
  return out;
}

/** An operation's parameters with the path item's, keyed by location and name. */
function mergedParameters(item: Obj, op: Obj, opAt: Segments, template: string): Map<string, Param> {
  const out = new Map<string, Param>();
  const counts = new Map<string, number>();
  const add = (list: unknown, at: Segments) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (!isObj(p) || typeof p.name !== 'string') return;
      // Header names are case-insensitive; path parameters are matched by position, not name.
      const name = p.in === 'header' ? p.name.toLowerCase() : p.name;
      const index = counts.get(p.in) ?? 0;
      counts.set(p.in, index + 1);
      out.set(`${p.in}:${p.in === 'path' ? `#${pathParamIndex(template, p.name)}` : name}`, { param: p, at: [...at, 'parameters', i], index });
    });
  };
  add(item.parameters, opAt.slice(0, 2));
  add(op.parameters, opAt);
  return out;
}

function pathParamIndex(template: string, name: string): number | string {
  const names = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const i = names.indexOf(name);
  return i === -1 ? name : i;
}

export function summarize(changes: Change[]): Record<ChangeClass, number> {
  const out = { breaking: 0, warning: 0, info: 0 };
  for (const c of changes) out[c.class]++;
  return out;
}
