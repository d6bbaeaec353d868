// Classifies every change between two dereferenced OpenAPI documents as breaking, warning or
// info, for a client of the old document. Pure: two documents in, a list of changes out, each
// with its location (method, path template, and a JSON pointer into the documents) and a
// sentence a person can act on.
//
// The direction matters. What a client sends (parameters, request bodies) may get looser but
// not stricter; what it receives (responses) may get stricter but not looser. So a narrowed
// enum breaks a request and is harmless in a response, and a widened one the other way round.
import { toPointer, type OpenApiDocument } from './document.js';
import { HTTP_METHODS } from './operations.js';

export type ChangeClass = 'breaking' | 'warning' | 'info';

export interface Change {
  class: ChangeClass;
  /** A stable identifier of the kind of change, such as response-property-removed. */
  kind: string;
  method?: string;
  path?: string;
  /** JSON pointer to the changed place; it names the same place in both documents. */
  pointer: string;
  message: string;
}

type Obj = Record<string, any>;
type Dir = 'request' | 'response';
type Segments = (string | number)[];

interface Loc {
  method?: string;
  path?: string;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const code = (s: string | number) => `\`${s}\``;
const values = (vs: unknown[]) => vs.map((v) => JSON.stringify(v)).join(', ');
/** Path templates that differ only in parameter names name the same endpoint. */
const pathKey = (p: string) => p.replace(/\{[^}]*\}/g, '{}');

export function diffDocuments(oldDoc: OpenApiDocument, newDoc: OpenApiDocument): Change[] {
  return new Differ(oldDoc as Obj, newDoc as Obj).run();
}

class Differ {
  private readonly changes: Change[] = [];
  /**
   * Schema pairs already compared under the current root schema, so that recursive schemas
   * end. A fresh set per root: a shared component is reported under every operation using it.
   */
  private seen = new WeakMap<object, WeakSet<object>>();

  constructor(private readonly oldDoc: Obj, private readonly newDoc: Obj) {}

  run(): Change[] {
    const oldPaths = indexPaths(this.oldDoc.paths);
    const newPaths = indexPaths(this.newDoc.paths);
    for (const [key, [path, item]] of oldPaths) {
      const next = newPaths.get(key);
      const ops = HTTP_METHODS.filter((m) => isObj(item[m]));
      if (!next) {
        this.add('breaking', 'path-removed', { path }, ['paths', path],
          `Path ${path} was removed, with ${ops.length ? ops.map((m) => m.toUpperCase()).join(', ') : 'its operations'}. Clients calling it will get 404: keep it, or deprecate its operations (deprecated: true, x-sunset) and remove it after the sunset.`);
        continue;
      }
      const [newPath, newItem] = next;
      if (newPath !== path) this.add('info', 'path-parameter-renamed', { path: newPath }, ['paths', newPath], `Path ${path} is now written ${newPath}; the parameter names changed, the URLs did not.`);
      for (const m of HTTP_METHODS) {
        const loc = { method: m.toUpperCase(), path: newPath };
        const oldOp = item[m];
        const newOp = newItem[m];
        if (isObj(oldOp) && !isObj(newOp)) {
          this.add('breaking', 'operation-removed', loc, ['paths', newPath, m],
            `${loc.method} ${path} was removed. Clients calling it will fail: keep it, or mark it deprecated: true with an x-sunset and remove it after that date.`);
        } else if (!isObj(oldOp) && isObj(newOp)) {
          this.add('info', 'operation-added', loc, ['paths', newPath, m], `${loc.method} ${newPath} was added.`);
        } else if (isObj(oldOp) && isObj(newOp)) {
          this.operation(loc, ['paths', newPath, m], path, item, oldOp, newItem, newOp);
        }
      }
    }
    for (const [key, [path]] of newPaths) {
      if (!oldPaths.has(key)) this.add('info', 'path-added', { path }, ['paths', path], `Path ${path} was added.`);
    }
    return this.changes;
  }

  private add(cls: ChangeClass, kind: string, loc: Loc, at: Segments, message: string): void {
    this.changes.push({ class: cls, kind, ...loc, pointer: toPointer(at), message });
  }

  private operation(loc: Loc, at: Segments, oldPath: string, oldItem: Obj, oldOp: Obj, newItem: Obj, newOp: Obj): void {
    const name = `${loc.method} ${loc.path}`;
    if (!oldOp.deprecated && newOp.deprecated) {
      this.add('info', 'operation-deprecated', loc, [...at, 'deprecated'], `${name} is now deprecated${newOp['x-sunset'] ? `, with a sunset on ${newOp['x-sunset']}` : ''}.`);
    }
    this.parameters(loc, at, mergedParameters(oldItem, oldOp, at, oldPath), mergedParameters(newItem, newOp, at, loc.path!));
    this.requestBody(loc, [...at, 'requestBody'], oldOp.requestBody, newOp.requestBody);
    this.responses(loc, [...at, 'responses'], oldOp.responses ?? {}, newOp.responses ?? {});
    this.security(loc, at, oldOp.security ?? this.oldDoc.security ?? [], newOp.security ?? this.newDoc.security ?? [], newOp.security !== undefined);
  }

  private parameters(loc: Loc, at: Segments, oldParams: Map<string, Param>, newParams: Map<string, Param>): void {
    for (const [key, p] of newParams) {
      const old = oldParams.get(key);
      const what = `${p.param.in} parameter ${code(p.param.name)}`;
      if (!old) {
        if (p.param.required) {
          this.add('breaking', 'parameter-added-required', loc, p.at,
            `New required ${what}. Existing clients do not send it, so their requests will be rejected: make it optional, with a default.`);
        } else {
          this.add('info', 'parameter-added', loc, p.at, `New optional ${what}.`);
        }
        continue;
      }
      if (!old.param.required && p.param.required) {
        this.add('breaking', 'parameter-became-required', loc, [...p.at, 'required'],
          `The ${what} is now required. Clients that leave it out will be rejected: keep it optional, with a default.`);
      }
      this.rootSchema('request', loc, [...p.at, 'schema'], old.param.schema, p.param.schema, p.param.name);
    }
    for (const [key, p] of oldParams) {
      if (!newParams.has(key)) {
        this.add('warning', 'parameter-removed', loc, p.at,
          `The ${p.param.in} parameter ${code(p.param.name)} was removed. Clients that still send it will have it ignored, or rejected by a strict server: check that it no longer changes what they get.`);
      }
    }
  }

  private requestBody(loc: Loc, at: Segments, oldBody: Obj | undefined, newBody: Obj | undefined): void {
    if (!isObj(oldBody) && isObj(newBody)) {
      if (newBody.required) this.add('breaking', 'request-body-added-required', loc, at, 'A required request body was added. Existing clients send none, so their requests will be rejected: make it optional.');
      else this.add('info', 'request-body-added', loc, at, 'An optional request body was added.');
      return;
    }
    if (isObj(oldBody) && !isObj(newBody)) {
      this.add('warning', 'request-body-removed', loc, at, 'The request body was removed. Clients that still send one will have it ignored, or rejected: check that they do not depend on it.');
      return;
    }
    if (!isObj(oldBody) || !isObj(newBody)) return;
    if (!oldBody.required && newBody.required) {
      this.add('breaking', 'request-body-became-required', loc, [...at, 'required'], 'The request body is now required. Clients that send none will be rejected: keep it optional.');
    }
    this.content('request', loc, [...at, 'content'], oldBody.content ?? {}, newBody.content ?? {}, 'request body');
  }

  private content(dir: Dir, loc: Loc, at: Segments, oldContent: Obj, newContent: Obj, what: string): void {
    for (const [type, media] of Object.entries(oldContent)) {
      const next = newContent[type];
      if (!isObj(next)) {
        this.add('breaking', `${dir}-media-type-removed`, loc, [...at, type],
          dir === 'request'
            ? `The ${what} no longer accepts ${type}. Clients that send it will get 415: keep accepting it.`
            : `The ${what} is no longer offered as ${type}. Clients that ask for it will get 406 or another format: keep offering it.`);
        continue;
      }
      this.rootSchema(dir, loc, [...at, type, 'schema'], (media as Obj).schema, next.schema, dir === 'request' ? 'request body' : 'response body');
    }
    for (const type of Object.keys(newContent)) {
      if (!isObj(oldContent[type])) this.add('info', `${dir}-media-type-added`, loc, [...at, type], `The ${what} is now also offered as ${type}.`);
    }
  }

  private responses(loc: Loc, at: Segments, oldResponses: Obj, newResponses: Obj): void {
    for (const [status, old] of Object.entries(oldResponses)) {
      const next = newResponses[status];
      if (!isObj(next)) {
        this.add('breaking', 'response-status-removed', loc, [...at, status],
          `Response ${status} is no longer documented. Clients that handle it may misread what they get instead: keep documenting it while the operation can still return it.`);
        continue;
      }
      if (!isObj(old)) continue;
      const what = `response ${status}`;
      this.content('response', loc, [...at, status, 'content'], old.content ?? {}, next.content ?? {}, what);
      const oldHeaders: Obj = old.headers ?? {};
      const newHeaders: Obj = next.headers ?? {};
      const newByName = new Map(Object.entries(newHeaders).map(([k, v]) => [k.toLowerCase(), v]));
      for (const [name, header] of Object.entries(oldHeaders)) {
        if (newByName.has(name.toLowerCase())) continue;
        const required = isObj(header) && header.required === true;
        this.add(required ? 'breaking' : 'warning', 'response-header-removed', loc, [...at, status, 'headers', name],
          `The ${what} no longer carries the ${required ? 'required ' : ''}header ${name}. Clients that read it will not find it: keep sending it until they have moved.`);
      }
    }
    for (const status of Object.keys(newResponses)) {
      if (!(status in oldResponses)) this.add('info', 'response-status-added', loc, [...at, status], `Response ${status} was added. Clients should expect it.`);
    }
  }

  private security(loc: Loc, at: Segments, oldReqs: Obj[], newReqs: Obj[], own: boolean): void {
    // A client that met one of the old alternatives must still meet one of the new ones.
    const alternatives = (reqs: Obj[]) => (reqs.length === 0 ? [{}] : reqs);
    const meets = (have: Obj, need: Obj) => Object.entries(need).every(([scheme, scopes]) =>
      Array.isArray(have[scheme]) && (scopes as string[]).every((s) => (have[scheme] as string[]).includes(s)));
    const describe = (reqs: Obj[]) => (reqs.length === 0 ? 'no authentication'
      : reqs.map((r) => Object.keys(r).length === 0 ? 'none' : Object.entries(r).map(([s, scopes]) => ((scopes as string[]).length ? `${s} (${(scopes as string[]).join(', ')})` : s)).join(' + ')).join(' or '));
    const olds = alternatives(oldReqs);
    const news = alternatives(newReqs);
    const pointer = own ? [...at, 'security'] : ['security'];
    if (olds.some((o) => !news.some((n) => meets(o, n)))) {
      this.add('breaking', 'security-added', loc, pointer,
        `${loc.method} ${loc.path} now requires ${describe(newReqs)}, where it required ${describe(oldReqs)}. Clients without those credentials or scopes will get 401 or 403: tell them before the change, or accept the old requirement too.`);
    } else if (news.some((n) => !olds.some((o) => meets(n, o)))) {
      this.add('info', 'security-relaxed', loc, pointer, `${loc.method} ${loc.path} now accepts ${describe(newReqs)}, where it required ${describe(oldReqs)}.`);
    }
  }

  private rootSchema(dir: Dir, loc: Loc, at: Segments, oldRaw: unknown, newRaw: unknown, field: string): void {
    this.seen = new WeakMap();
    this.schema(dir, loc, at, oldRaw, newRaw, field);
  }

  private schema(dir: Dir, loc: Loc, at: Segments, oldRaw: unknown, newRaw: unknown, field: string): void {
    if (!isObj(oldRaw) || !isObj(newRaw)) return;
    let pairs = this.seen.get(oldRaw);
    if (!pairs) this.seen.set(oldRaw, (pairs = new WeakSet()));
    if (pairs.has(newRaw)) return;
    pairs.add(newRaw);

    const oldS = flatten(oldRaw);
    const newS = flatten(newRaw);
    const name = code(field);

    const oldTypes = typesOf(oldS);
    const newTypes = typesOf(newS);
    if (oldTypes && newTypes && !sameSet(oldTypes, newTypes)) {
      const from = [...oldTypes].join(' | ');
      const to = [...newTypes].join(' | ');
      if (dir === 'response' ? subset(newTypes, oldTypes) : subset(oldTypes, newTypes)) {
        this.add('info', 'type-compatible', loc, [...at, 'type'], `The type of ${name} changed from ${from} to ${to}, which existing clients still handle.`);
      } else {
        this.add('breaking', `${dir}-type-changed`, loc, [...at, 'type'], dir === 'response'
          ? `The type of ${name} in responses changed from ${from} to ${to}. Clients that parse it as ${from} will break: add a new field with the new type and keep the old one.`
          : `The type of ${name} in requests changed from ${from} to ${to}. Clients that send ${from} will be rejected: keep accepting ${from}.`);
        return;
      }
    }
    if (typeof oldS.format === 'string' && typeof newS.format === 'string' && oldS.format !== newS.format) {
      this.add('warning', 'format-changed', loc, [...at, 'format'], `The format of ${name} changed from ${oldS.format} to ${newS.format}. Check that clients ${dir === 'request' ? 'send' : 'parse'} the new format.`);
    }
    this.enums(dir, loc, at, oldS, newS, name);
    this.properties(dir, loc, at, oldS, newS, field);
    if (isObj(oldS.items) && isObj(newS.items)) this.schema(dir, loc, [...at, 'items'], oldS.items, newS.items, `${field}[]`);
    if (isObj(oldS.additionalProperties) && isObj(newS.additionalProperties)) {
      this.schema(dir, loc, [...at, 'additionalProperties'], oldS.additionalProperties, newS.additionalProperties, `${field}.*`);
    }
    for (const k of ['oneOf', 'anyOf'] as const) {
      const a = oldS[k];
      const b = newS[k];
      if (!Array.isArray(a) || !Array.isArray(b)) continue;
      if (a.length === b.length) a.forEach((s, i) => this.schema(dir, loc, [...at, k, i], s, b[i], field));
      else this.add('warning', 'composition-changed', loc, [...at, k], `${name} now has ${b.length} ${k} alternatives instead of ${a.length}. Check that clients ${dir === 'request' ? 'still send one that is accepted' : 'handle every alternative'}.`);
    }
  }

  private enums(dir: Dir, loc: Loc, at: Segments, oldS: Obj, newS: Obj, name: string): void {
    const oldEnum = Array.isArray(oldS.enum) ? oldS.enum : undefined;
    const newEnum = Array.isArray(newS.enum) ? newS.enum : undefined;
    if (!oldEnum && !newEnum) return;
    const key = (v: unknown) => JSON.stringify(v);
    const removed = oldEnum && newEnum ? oldEnum.filter((v) => !newEnum.some((w) => key(w) === key(v))) : [];
    const added = oldEnum && newEnum ? newEnum.filter((v) => !oldEnum.some((w) => key(w) === key(v))) : [];
    const narrowed = (!oldEnum && newEnum) || removed.length > 0;
    const widened = (oldEnum && !newEnum) || added.length > 0;
    const pointer = [...at, 'enum'];
    if (narrowed) {
      const what = removed.length ? `no longer allows ${values(removed)}` : `is now limited to ${values(newEnum!)}`;
      if (dir === 'request') this.add('breaking', 'request-enum-narrowed', loc, pointer, `${name} ${what} in requests. Clients that send ${removed.length === 1 ? 'it' : 'other values'} will be rejected: keep accepting them.`);
      else this.add('info', 'response-enum-narrowed', loc, pointer, `${name} ${what} in responses.`);
    }
    if (widened) {
      const what = added.length ? `may now be ${values(added)}` : 'is no longer limited to a list of values';
      if (dir === 'response') this.add('warning', 'response-enum-widened', loc, pointer, `${name} ${what} in responses. Clients that switch over the known values may not handle ${added.length === 1 ? 'it' : 'them'}: tell them to expect new values before you send them.`);
      else this.add('info', 'request-enum-widened', loc, pointer, `${name} ${what} in requests.`);
    }
  }

  private properties(dir: Dir, loc: Loc, at: Segments, oldS: Obj, newS: Obj, field: string): void {
    if (!isObj(oldS.properties) && !isObj(newS.properties)) return;
    // Fields a client never sees in this direction do not count: readOnly ones in requests,
    // writeOnly ones in responses.
    const skip = dir === 'request' ? 'readOnly' : 'writeOnly';
    const props = (s: Obj) => new Map(Object.entries(isObj(s.properties) ? s.properties : {}).filter(([, p]) => !(isObj(p) && p[skip] === true)));
    const oldProps = props(oldS);
    const newProps = props(newS);
    const oldReq = new Set<string>(Array.isArray(oldS.required) ? oldS.required : []);
    const newReq = new Set<string>(Array.isArray(newS.required) ? newS.required : []);
    const closed = oldS.additionalProperties === false || newS.additionalProperties === false;
    const child = (p: string) => (field === 'request body' || field === 'response body' ? p : `${field}.${p}`);
    const added = [...newProps.keys()].filter((p) => !oldProps.has(p));

    for (const [p, schema] of oldProps) {
      const pointer = [...at, 'properties', p];
      if (!newProps.has(p)) {
        if (dir === 'response') {
          const twin = added.filter((a) => sameSet(typesOf(flatten(newProps.get(a))) ?? new Set(), typesOf(flatten(schema)) ?? new Set()));
          const hint = twin.length === 1 ? ` (renamed to ${code(child(twin[0]))}?)` : '';
          this.add('breaking', 'response-property-removed', loc, pointer,
            `Response property ${code(child(p))} was removed${hint}. Clients that read it will break: keep it, marked deprecated: true, until the old version is sunset.`);
        } else {
          this.add(newS.additionalProperties === false ? 'breaking' : 'warning', 'request-property-removed', loc, pointer,
            newS.additionalProperties === false
              ? `Request property ${code(child(p))} was removed and additionalProperties is false, so clients that still send it will be rejected: keep accepting it.`
              : `Request property ${code(child(p))} was removed. Clients that still send it will have it ignored: check that it no longer changes the result.`);
        }
        continue;
      }
      if (dir === 'response' && oldReq.has(p) && !newReq.has(p)) {
        this.add('breaking', 'response-property-became-optional', loc, [...at, 'required'],
          `Response property ${code(child(p))} is no longer required, so responses may leave it out. Clients that rely on it will break: keep it required, or tell them to check for it first.`);
      }
      if (dir === 'request' && !oldReq.has(p) && newReq.has(p)) {
        this.add('breaking', 'request-property-became-required', loc, [...at, 'required'],
          `Request property ${code(child(p))} is now required. Clients that leave it out will be rejected: keep it optional, with a default.`);
      }
      this.schema(dir, loc, pointer, schema, newProps.get(p), child(p));
    }
    for (const p of added) {
      const pointer = [...at, 'properties', p];
      if (dir === 'request') {
        if (newReq.has(p)) this.add('breaking', 'request-property-added-required', loc, pointer, `The request now requires property ${code(child(p))}. Existing clients do not send it, so they will be rejected: make it optional, with a default.`);
        else this.add('info', 'request-property-added', loc, pointer, `New optional request property ${code(child(p))}.`);
      } else if (closed) {
        this.add('warning', 'response-property-added-closed', loc, pointer,
          `New response property ${code(child(p))} in a schema with additionalProperties: false. Clients that validate responses against the old schema will reject them: tell them first, or relax additionalProperties.`);
      } else {
        this.add('info', 'response-property-added', loc, pointer, `New response property ${code(child(p))}.`);
      }
    }
  }
}

interface Param {
  param: Obj;
  at: Segments;
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
  const add = (list: unknown, at: Segments) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (!isObj(p) || typeof p.name !== 'string') return;
      // Header names are case-insensitive; path parameters are matched by position, not name.
      const name = p.in === 'header' ? p.name.toLowerCase() : p.name;
      out.set(`${p.in}:${p.in === 'path' ? `#${pathParamIndex(template, p.name)}` : name}`, { param: p, at: [...at, 'parameters', i] });
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

/** A schema with its allOf parts merged in, enough to compare properties and types. */
function flatten(s: unknown): Obj {
  if (!isObj(s)) return {};
  if (!Array.isArray(s.allOf)) return s;
  const out: Obj = { ...s, properties: { ...(isObj(s.properties) ? s.properties : {}) }, required: [...(Array.isArray(s.required) ? s.required : [])] };
  delete out.allOf;
  for (const part of s.allOf) {
    const p = flatten(part);
    Object.assign(out.properties, isObj(p.properties) ? p.properties : {});
    if (Array.isArray(p.required)) out.required.push(...p.required);
    for (const k of ['type', 'format', 'enum', 'items', 'nullable']) if (out[k] === undefined && p[k] !== undefined) out[k] = p[k];
    if (p.additionalProperties === false) out.additionalProperties = false;
  }
  return out;
}

/** The JSON types a schema allows (3.1 type arrays, 3.0 nullable), or undefined for any. */
function typesOf(s: Obj): Set<string> | undefined {
  let types: string[] | undefined;
  if (Array.isArray(s.type)) types = s.type;
  else if (typeof s.type === 'string') types = [s.type];
  else if (isObj(s.properties)) types = ['object'];
  else if (isObj(s.items)) types = ['array'];
  if (!types) return undefined;
  const set = new Set(types);
  if (s.nullable === true) set.add('null');
  return set;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Every value of type set a is a value of type set b (an integer is a number). */
function subset(a: Set<string>, b: Set<string>): boolean {
  return [...a].every((t) => b.has(t) || (t === 'integer' && b.has('number')));
}

export function summarize(changes: Change[]): Record<ChangeClass, number> {
  const out = { breaking: 0, warning: 0, info: 0 };
  for (const c of changes) out[c.class]++;
  return out;
}
