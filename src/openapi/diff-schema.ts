// Compares two (dereferenced) schemas for a client that sends values (request) or receives
// them (response). Request schemas may get looser, never stricter; response schemas may get
// stricter, never looser. Each keyword family is one small method.
import { lifecycleOf, memberRemovalVerdict, sunsetChanges, type LifecycleOptions, type Stability } from './diff-lifecycle.js';
import { code, isObj, Report, show, stable, type Change, type Loc, type Segments } from './diff-report.js';
import { ASSERTIONS, BOUNDS, kebab, type AssertionKeyword, type BoundKeyword, type Dir, type RuleId } from './rules.js';

type Obj = Record<string, any>;

/** What the comparison needs of a schema: allOf merged in, nullability apart from the types. */
interface View {
  s: Obj;
  types?: Set<string>;
  nullable: boolean;
  allOfParts: number;
}

const WIDER_FORMAT: Record<string, string> = { int32: 'int64', float: 'double' };

export class SchemaDiff {
  /** Schema pairs already compared under the current root, so that recursive schemas end. */
  private seen = new WeakMap<object, WeakSet<object>>();

  constructor(
    private readonly report: Report,
    private readonly opts: LifecycleOptions,
    private readonly stability: () => Stability | undefined,
  ) {}

  root(dir: Dir, loc: Loc, at: Segments, a: unknown, b: unknown, field: string): void {
    this.seen = new WeakMap();
    this.compare(dir, loc, at, a, b, field);
  }

  private add(dir: Dir, tail: string, loc: Loc, at: Segments, message: string): void {
    this.report.add(`${dir}-${tail}` as RuleId, loc, at, message);
  }

  compare(dir: Dir, loc: Loc, at: Segments, a: unknown, b: unknown, field: string): void {
    if (!isObj(a) || !isObj(b)) return;
    let pairs = this.seen.get(a);
    if (!pairs) this.seen.set(a, (pairs = new WeakSet()));
    if (pairs.has(b)) return;
    pairs.add(b);
    const o = view(a);
    const n = view(b);
    const name = code(field);
    if (this.wrapped(dir, loc, at, a, o, n, field)) return;
    if (!this.types(dir, loc, at, o, n, name)) return;
    this.nullable(dir, loc, at, o, n, name);
    this.format(dir, loc, at, o.s, n.s, name);
    this.enums(dir, loc, at, o.s, n.s, name);
    this.constAndDefault(dir, loc, at, o.s, n.s, name);
    this.contentEncoding(loc, at, o.s, n.s, name);
    for (const k of Object.keys(BOUNDS) as BoundKeyword[]) this.bound(dir, loc, at, k, o.s, n.s, name);
    for (const k of Object.keys(ASSERTIONS) as AssertionKeyword[]) this.assertion(dir, loc, at, k, o.s, n.s, name);
    this.properties(dir, loc, at, o.s, n.s, field);
    this.additional(dir, loc, at, o.s, n.s, field);
    if (isObj(o.s.items) && isObj(n.s.items)) this.compare(dir, loc, [...at, 'items'], o.s.items, n.s.items, `${field}[]`);
    this.prefixItems(dir, loc, at, o.s, n.s, field);
    for (const k of ['oneOf', 'anyOf'] as const) this.alternatives(dir, loc, at, k, o.s[k], n.s[k], field);
    if (o.allOfParts !== n.allOfParts)
      this.report.add(
        'all-of-changed',
        loc,
        [...at, 'allOf'],
        `${name} has ${n.allOfParts} allOf parts instead of ${o.allOfParts}; the merged schemas were compared`,
      );
    this.discriminator(dir, loc, at, o.s.discriminator, n.s.discriminator, name);
  }

  /** False when the types changed incompatibly: the rest would only repeat it. */
  private types(dir: Dir, loc: Loc, at: Segments, o: View, n: View, name: string): boolean {
    if (!o.types || !n.types || sameSet(o.types, n.types)) return true;
    const from = [...o.types].join(' | ');
    const to = [...n.types].join(' | ');
    if (dir === 'request') {
      if (subset(o.types, n.types)) this.add(dir, 'type-widened', loc, [...at, 'type'], `${name} in requests accepts ${to}, where it accepted ${from}`);
      else {
        this.add(dir, 'type-changed', loc, [...at, 'type'], `The type of ${name} in requests changed from ${from} to ${to}`);
        return false;
      }
    } else if (subset(n.types, o.types)) this.add(dir, 'type-narrowed', loc, [...at, 'type'], `${name} in responses is ${to}, where it was ${from}`);
    else {
      this.add(dir, 'type-changed', loc, [...at, 'type'], `The type of ${name} in responses changed from ${from} to ${to}`);
      return false;
    }
    return true;
  }

  private nullable(dir: Dir, loc: Loc, at: Segments, o: View, n: View, name: string): void {
    if (o.nullable === n.nullable) return;
    const became = n.nullable ? 'nullable' : 'not-nullable';
    this.add(dir, `became-${became}`, loc, at, `${name} in ${dir}s ${n.nullable ? 'may now be null' : 'may no longer be null'}`);
  }

  private format(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, name: string): void {
    const f = typeof a.format === 'string' ? a.format : undefined;
    const g = typeof b.format === 'string' ? b.format : undefined;
    if (f === g) return;
    const p = [...at, 'format'];
    const what = `the format of ${name} changed from ${f ?? 'none'} to ${g ?? 'none'}`;
    const widened = g === undefined || (f !== undefined && WIDER_FORMAT[f] === g);
    const narrowed = f === undefined || (g !== undefined && WIDER_FORMAT[g] === f);
    if (dir === 'request') this.add(dir, widened ? 'format-relaxed' : 'format-changed', loc, p, `In requests, ${what}`);
    else this.add(dir, widened ? 'format-relaxed' : narrowed ? 'format-added' : 'format-changed', loc, p, `In responses, ${what}`);
  }

  private enums(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, name: string): void {
    const oe = Array.isArray(a.enum) ? a.enum : undefined;
    const ne = Array.isArray(b.enum) ? b.enum : undefined;
    const p = [...at, 'enum'];
    if (oe && ne) {
      const removed = oe.filter((v) => !ne.some((w) => stable(w) === stable(v)));
      const added = ne.filter((v) => !oe.some((w) => stable(w) === stable(v)));
      if (removed.length) this.add(dir, 'enum-value-removed', loc, p, `${name} no longer allows ${removed.map(show).join(', ')} in ${dir}s`);
      if (added.length) this.add(dir, 'enum-value-added', loc, p, `${name} may now be ${added.map(show).join(', ')} in ${dir}s`);
    } else if (!oe && ne) this.add(dir, 'enum-added', loc, p, `${name} in ${dir}s is now limited to ${ne.map(show).join(', ')}`);
    else if (oe && !ne) this.add(dir, 'enum-removed', loc, p, `${name} in ${dir}s is no longer limited to ${oe.map(show).join(', ')}`);

    // x-extensible-enum: the list of values known today, with more to come.
    const ox = Array.isArray(a['x-extensible-enum']) ? a['x-extensible-enum'] : undefined;
    const nx = Array.isArray(b['x-extensible-enum']) ? b['x-extensible-enum'] : undefined;
    if (!ox || !nx) return;
    const px = [...at, 'x-extensible-enum'];
    const gone = ox.filter((v) => !nx.some((w) => stable(w) === stable(v)));
    const come = nx.filter((v) => !ox.some((w) => stable(w) === stable(v)));
    if (dir === 'request' && gone.length)
      this.report.add('request-extensible-enum-value-removed', loc, px, `${name} (x-extensible-enum) no longer lists ${gone.map(show).join(', ')} in requests`);
    if (dir === 'response' && come.length)
      this.report.add('response-extensible-enum-value-added', loc, px, `${name} (x-extensible-enum) may now be ${come.map(show).join(', ')} in responses`);
    if ((dir === 'request' && come.length) || (dir === 'response' && gone.length))
      this.report.add('extensible-enum-value-added', loc, px, `${name} (x-extensible-enum) changed its known values compatibly`);
  }

  private constAndDefault(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, name: string): void {
    if ('const' in a || 'const' in b) {
      const p = [...at, 'const'];
      if (!('const' in b))
        this.add(dir, dir === 'request' ? 'const-removed' : 'const-changed', loc, p, `${name} in ${dir}s is no longer fixed to ${show(a.const)}`);
      else if (!('const' in a))
        this.add(dir, dir === 'request' ? 'const-changed' : 'const-added', loc, p, `${name} in ${dir}s is now fixed to ${show(b.const)}`);
      else if (stable(a.const) !== stable(b.const))
        this.add(dir, 'const-changed', loc, p, `${name} in ${dir}s is fixed to ${show(b.const)}, where it was ${show(a.const)}`);
    }
    if ('default' in a || 'default' in b) {
      const p = [...at, 'default'];
      if (dir === 'response') {
        if (stable(a.default) !== stable(b.default)) this.add(dir, 'default-changed', loc, p, `The default of ${name} in responses changed`);
      } else if (!('default' in b)) this.add(dir, 'default-removed', loc, p, `${name} no longer defaults to ${show(a.default)} when a request leaves it out`);
      else if (!('default' in a)) this.add(dir, 'default-added', loc, p, `${name} now defaults to ${show(b.default)}`);
      else if (stable(a.default) !== stable(b.default))
        this.add(dir, 'default-changed', loc, p, `The default of ${name} changed from ${show(a.default)} to ${show(b.default)}`);
    }
  }

  private bound(dir: Dir, loc: Loc, at: Segments, k: BoundKeyword, a: Obj, b: Obj, name: string): void {
    const x = a[k];
    const y = b[k];
    if (x === undefined && y === undefined) return;
    const spec = BOUNDS[k];
    let tightened: boolean;
    switch (spec.kind) {
      case 'flag':
        if ((x === true) === (y === true)) return;
        tightened = y === true;
        break;
      case 'pattern':
        if (x === y) return;
        if (x !== undefined && y !== undefined) {
          this.add(dir, 'pattern-changed', loc, [...at, k], `${name} in ${dir}s must match ${show(y)}, where it matched ${show(x)}`);
          return;
        }
        tightened = y !== undefined;
        break;
      default: {
        if (typeof x !== 'number' && typeof y !== 'number') return;
        if (x === y) return;
        if (typeof x !== 'number') tightened = true;
        else if (typeof y !== 'number') tightened = false;
        else if (spec.kind === 'max') tightened = y < x;
        else if (spec.kind === 'min') tightened = y > x;
        else {
          // multipleOf: multiples of y are multiples of x when y is a multiple of x. Values
          // neither way allow some values the old did not and refuse some it did.
          const looser = isMultiple(x, y);
          if (!looser && !isMultiple(y, x)) tightened = dir === 'request';
          else tightened = !looser;
        }
      }
    }
    const was = x === undefined ? 'none' : show(x);
    const now = y === undefined ? 'none' : show(y);
    this.add(
      dir,
      `${spec.name}-${tightened ? 'tightened' : 'loosened'}`,
      loc,
      [...at, k],
      `The ${spec.what} of ${name} in ${dir}s changed from ${was} to ${now}`,
    );
  }

  private assertion(dir: Dir, loc: Loc, at: Segments, k: AssertionKeyword, a: Obj, b: Obj, name: string): void {
    const pick = (s: Obj) => (k === 'if' ? (s.if === undefined ? undefined : { if: s.if, then: s.then, else: s.else }) : s[k]);
    // `true` and `{}` assert nothing.
    const x = asserts(pick(a)) ? pick(a) : undefined;
    const y = asserts(pick(b)) ? pick(b) : undefined;
    if (x === undefined && y === undefined) return;
    const id = kebab(k);
    const what = ASSERTIONS[k];
    if (x === undefined) this.add(dir, `${id}-added`, loc, [...at, k], `${name} in ${dir}s gained \`${what}\``);
    else if (y === undefined) this.add(dir, `${id}-removed`, loc, [...at, k], `${name} in ${dir}s lost \`${what}\``);
    else if (stable(x) === stable(y)) return;
    else if (!this.subschemaBreaks(dir, loc, at, k, x, y, name))
      this.report.add(`${id}-changed` as RuleId, loc, [...at, k], `\`${what}\` of ${name} in ${dir}s changed`);
  }

  /**
   * A changed `not` or `propertyNames` whose two schemas can be compared: `propertyNames`
   * constrains the keys the way any schema constrains values, and `not` the other way round
   * (a `not` that matches more lets fewer values through). True when that breaks clients.
   */
  private subschemaBreaks(dir: Dir, loc: Loc, at: Segments, k: AssertionKeyword, x: unknown, y: unknown, name: string): boolean {
    if ((k !== 'not' && k !== 'propertyNames') || !isObj(x) || !isObj(y)) return false;
    const inner: Dir = k === 'not' ? (dir === 'request' ? 'response' : 'request') : dir;
    if (!this.trial(inner, loc, [...at, k], x, y, name).some((c) => c.class === 'breaking')) return false;
    if (k === 'not') {
      if (dir === 'request') this.report.add('request-not-broadened', loc, [...at, k], `The \`not\` of ${name} rules out more request values`);
      else this.report.add('response-not-narrowed', loc, [...at, k], `The \`not\` of ${name} rules out fewer response values`);
    } else if (dir === 'request') this.report.add('request-property-names-narrowed', loc, [...at, k], `${name} accepts fewer property names in requests`);
    else this.report.add('response-property-names-broadened', loc, [...at, k], `${name} may carry more property names in responses`);
    return true;
  }

  /** The changes between two schemas, without reporting them. */
  private trial(dir: Dir, loc: Loc, at: Segments, a: unknown, b: unknown, field: string): Change[] {
    const scratch = new Report();
    new SchemaDiff(scratch, this.opts, this.stability).compare(dir, loc, at, a, b, field);
    return scratch.changes;
  }

  /**
   * A schema newly wrapped in oneOf/anyOf is compared with each alternative (the siblings of
   * oneOf merged in). A request still works when one alternative takes what the old schema
   * took, so the alternative with the fewest breaking changes counts; a response may be any
   * alternative, so the one with the most.
   */
  private wrapped(dir: Dir, loc: Loc, at: Segments, raw: Obj, o: View, n: View, field: string): boolean {
    if (Array.isArray(raw.oneOf) || Array.isArray(raw.anyOf) || Array.isArray(o.s.oneOf) || Array.isArray(o.s.anyOf)) return false;
    const k = Array.isArray(n.s.oneOf) ? 'oneOf' : Array.isArray(n.s.anyOf) ? 'anyOf' : undefined;
    if (!k) return false;
    const { [k]: alternatives, ...siblings } = n.s;
    const trials = (alternatives as unknown[])
      .map((s, i) => ({ s, i }))
      .filter((x) => isObj(x.s) && !isNullSchema(x.s))
      .map(({ s, i }) => {
        const changes = this.trial(dir, loc, [...at, k, i], raw, { ...siblings, ...(s as Obj), ...(n.nullable ? { nullable: true } : {}) }, field);
        return { i, changes, breaking: changes.filter((c) => c.class === 'breaking').length };
      });
    if (!trials.length) return false;
    const sign = dir === 'request' ? 1 : -1;
    trials.sort((p, q) => sign * (p.breaking - q.breaking) || sign * (p.changes.length - q.changes.length) || p.i - q.i);
    const best = trials[0];
    this.report.add(
      'schema-wrapped-in-alternatives',
      loc,
      [...at, k],
      `${code(field)} is now one of ${trials.length} ${k} alternatives in ${dir}s; compared with alternative ${best.i}`,
    );
    this.report.changes.push(...best.changes);
    return true;
  }

  private contentEncoding(loc: Loc, at: Segments, a: Obj, b: Obj, name: string): void {
    for (const k of ['contentMediaType', 'contentEncoding'] as const) {
      if (a[k] === b[k]) continue;
      this.report.add('content-encoding-changed', loc, [...at, k], `The ${k} of ${name} changed from ${show(a[k] ?? 'none')} to ${show(b[k] ?? 'none')}`);
    }
  }

  private properties(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, field: string): void {
    if (!isObj(a.properties) && !isObj(b.properties)) return;
    const hidden = dir === 'request' ? 'readOnly' : 'writeOnly';
    const op: Obj = isObj(a.properties) ? a.properties : {};
    const np: Obj = isObj(b.properties) ? b.properties : {};
    const oreq = new Set<string>(Array.isArray(a.required) ? a.required : []);
    const nreq = new Set<string>(Array.isArray(b.required) ? b.required : []);
    const child = (p: string) => (field === 'request body' || field === 'response body' ? p : `${field}.${p}`);
    const closed = a.additionalProperties === false || b.additionalProperties === false;
    const visible = (s: unknown) => !(isObj(s) && s[hidden] === true);
    const added = Object.keys(np).filter((p) => !(p in op) && visible(np[p]));

    for (const [p, s] of Object.entries(op)) {
      if (!visible(s)) {
        if (p in np && visible(np[p]) && dir === 'request')
          this.report.add('property-access-relaxed', loc, [...at, 'properties', p], `Request property ${code(child(p))} is no longer readOnly`);
        continue;
      }
      const pointer = [...at, 'properties', p];
      if (!(p in np)) {
        this.removedProperty(
          dir,
          loc,
          pointer,
          s,
          p,
          child,
          oreq.has(p),
          b.additionalProperties === false,
          added.filter((x) => sameType(np[x], s)),
        );
        continue;
      }
      const t = np[p];
      if (!visible(t)) {
        if (dir === 'request')
          this.report.add('request-property-became-read-only', loc, [...pointer, 'readOnly'], `Request property ${code(child(p))} is now readOnly`);
        else
          this.report.add(
            'response-property-became-write-only',
            loc,
            [...pointer, 'writeOnly'],
            `Response property ${code(child(p))} is now writeOnly, so responses leave it out`,
          );
        continue;
      }
      if (oreq.has(p) !== nreq.has(p)) {
        const nowRequired = nreq.has(p);
        this.add(
          dir,
          `property-became-${nowRequired ? 'required' : 'optional'}`,
          loc,
          [...at, 'required'],
          `${dir === 'request' ? 'Request' : 'Response'} property ${code(child(p))} is ${nowRequired ? 'now required' : 'no longer required'}`,
        );
      }
      if (isObj(s) && isObj(t)) {
        const before = lifecycleOf(s);
        const after = lifecycleOf(t);
        if (!before.deprecated && after.deprecated)
          this.report.add('property-deprecated', loc, [...pointer, 'deprecated'], `Property ${code(child(p))} is now deprecated`);
        for (const c of sunsetChanges(before, after, this.stability(), this.opts))
          this.report.add(c.id, loc, [...pointer, 'x-sunset'], sunsetMessage(`property ${code(child(p))}`, c));
      }
      this.compare(dir, loc, pointer, s, t, child(p));
    }
    for (const p of added) {
      const pointer = [...at, 'properties', p];
      if (dir === 'request')
        this.add(
          dir,
          nreq.has(p) ? 'property-added-required' : 'property-added',
          loc,
          pointer,
          `${nreq.has(p) ? 'Required' : 'Optional'} request property ${code(child(p))} was added`,
        );
      else
        this.add(
          dir,
          closed ? 'property-added-closed' : 'property-added',
          loc,
          pointer,
          `Response property ${code(child(p))} was added${closed ? ' where additionalProperties is false' : ''}`,
        );
    }
  }

  private removedProperty(
    dir: Dir,
    loc: Loc,
    pointer: Segments,
    s: unknown,
    p: string,
    child: (p: string) => string,
    required: boolean,
    closed: boolean,
    twins: string[],
  ): void {
    const name = code(child(p));
    const verdict = memberRemovalVerdict(lifecycleOf(isObj(s) ? s : undefined), this.opts, this.stability());
    if (verdict === 'after-sunset')
      return this.report.add('property-removed-after-sunset', loc, pointer, `Deprecated property ${name} was removed after its sunset`);
    if (verdict === 'without-sunset')
      return this.report.add('property-removed-without-sunset', loc, pointer, `Deprecated property ${name} was removed; it had no sunset`);
    if (verdict === 'before-sunset')
      return this.report.add('property-removed-before-sunset', loc, pointer, `Deprecated property ${name} was removed before its sunset`);
    if (dir === 'request')
      return this.add(
        dir,
        closed ? 'property-removed-closed' : 'property-removed',
        loc,
        pointer,
        `Request property ${name} was removed${closed ? ' and additionalProperties is false' : ''}`,
      );
    const hint = twins.length === 1 ? ` (renamed to ${code(child(twins[0]))}?)` : '';
    this.add(
      dir,
      required ? 'property-removed' : 'optional-property-removed',
      loc,
      pointer,
      `${required ? 'Required r' : 'Optional r'}esponse property ${name} was removed${hint}`,
    );
  }

  private additional(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, field: string): void {
    const x = a.additionalProperties;
    const y = b.additionalProperties;
    const p = [...at, 'additionalProperties'];
    if (dir === 'request' && x !== false && y === false)
      this.report.add('request-additional-properties-closed', loc, p, `${code(field)} no longer allows additional properties in requests`);
    if (dir === 'response' && x === false && y !== false && y !== undefined)
      this.report.add('response-additional-properties-opened', loc, p, `${code(field)} now allows additional properties in responses`);
    if (isObj(x) && isObj(y)) this.compare(dir, loc, p, x, y, `${field}.*`);
  }

  private prefixItems(dir: Dir, loc: Loc, at: Segments, a: Obj, b: Obj, field: string): void {
    const x: unknown[] = Array.isArray(a.prefixItems) ? a.prefixItems : [];
    const y: unknown[] = Array.isArray(b.prefixItems) ? b.prefixItems : [];
    for (let i = 0; i < Math.min(x.length, y.length); i++) this.compare(dir, loc, [...at, 'prefixItems', i], x[i], y[i], `${field}[${i}]`);
    if (y.length > x.length && x.length > 0)
      this.add(dir, 'prefix-items-added', loc, [...at, 'prefixItems', x.length], `${code(field)} has ${y.length} tuple positions instead of ${x.length}`);
    if (y.length < x.length && y.length > 0)
      this.report.add('prefix-items-removed', loc, [...at, 'prefixItems', y.length], `${code(field)} has ${y.length} tuple positions instead of ${x.length}`);
  }

  private alternatives(dir: Dir, loc: Loc, at: Segments, k: 'oneOf' | 'anyOf', a: unknown, b: unknown, field: string): void {
    if (!Array.isArray(a) || !Array.isArray(b)) return;
    const left = a.map((s, i) => ({ s, i })).filter((x) => !isNullSchema(x.s));
    const right = b.map((s, i) => ({ s, i })).filter((x) => !isNullSchema(x.s));
    const pairs: [number, number][] = [];
    for (const key of [stable, signature]) {
      for (const l of [...left]) {
        const r = right.find((x) => key(x.s) === key(l.s));
        if (!r) continue;
        pairs.push([l.i, r.i]);
        left.splice(left.indexOf(l), 1);
        right.splice(right.indexOf(r), 1);
      }
    }
    if (left.length === 1 && right.length === 1) pairs.push([left.pop()!.i, right.pop()!.i]);
    for (const [i, j] of pairs) this.compare(dir, loc, [...at, k, j], a[i], b[j], field);
    for (const l of left) this.add(dir, 'alternative-removed', loc, [...at, k, l.i], `${code(field)} lost ${k} alternative ${describe(l.s)} in ${dir}s`);
    for (const r of right) this.add(dir, 'alternative-added', loc, [...at, k, r.i], `${code(field)} gained ${k} alternative ${describe(r.s)} in ${dir}s`);
  }

  private discriminator(dir: Dir, loc: Loc, at: Segments, a: unknown, b: unknown, name: string): void {
    if (!isObj(a) && !isObj(b)) return;
    const p = [...at, 'discriminator'];
    if (!isObj(a)) return this.report.add('discriminator-added', loc, p, `${name} gained a discriminator on ${show((b as Obj).propertyName)}`);
    if (!isObj(b)) return this.report.add('discriminator-removed', loc, p, `${name} lost its discriminator on ${show(a.propertyName)}`);
    if (a.propertyName !== b.propertyName)
      return this.report.add(
        'discriminator-property-changed',
        loc,
        [...p, 'propertyName'],
        `${name} is told apart by ${show(b.propertyName)}, where it was ${show(a.propertyName)}`,
      );
    const om: Obj = isObj(a.mapping) ? a.mapping : {};
    const nm: Obj = isObj(b.mapping) ? b.mapping : {};
    const removed = Object.keys(om).filter((k) => !(k in nm));
    const added = Object.keys(nm).filter((k) => !(k in om));
    if (removed.length && dir === 'request')
      this.report.add(
        'request-discriminator-mapping-removed',
        loc,
        [...p, 'mapping'],
        `${name} no longer accepts discriminator values ${removed.map(show).join(', ')}`,
      );
    else if (added.length && dir === 'response')
      this.report.add(
        'response-discriminator-mapping-added',
        loc,
        [...p, 'mapping'],
        `${name} may now carry discriminator values ${added.map(show).join(', ')}`,
      );
    else if (removed.length || added.length)
      this.report.add('discriminator-mapping-changed', loc, [...p, 'mapping'], `The discriminator mapping of ${name} changed compatibly`);
  }
}

export function sunsetMessage(what: string, c: ReturnType<typeof sunsetChanges>[number]): string {
  const day = (ms: number) => new Date(ms).toISOString();
  switch (c.id) {
    case 'sunset-deleted':
      return `The sunset of ${what} (${day(c.old)}) was deleted`;
    case 'sunset-moved-earlier':
      return `The sunset of ${what} moved earlier, from ${day(c.old)} to ${day(c.new)}`;
    case 'sunset-unreadable':
      return `The sunset of ${what} is not a date: ${show(c.raw)}`;
    case 'sunset-too-soon':
      return c.new === undefined
        ? `${what} is deprecated without an x-sunset; at least ${c.days} days of notice are required`
        : `The sunset of ${what} (${day(c.new)}) is less than ${c.days} days away`;
  }
}

const isNullSchema = (s: unknown) => isObj(s) && (s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null'));
const asserts = (v: unknown) => v !== undefined && v !== true && !(isObj(v) && Object.keys(v).length === 0);
const isMultiple = (big: number, small: number) => small !== 0 && Math.abs(big / small - Math.round(big / small)) < 1e-9;

function signature(s: unknown): string {
  if (!isObj(s)) return show(s);
  if (typeof s.title === 'string') return `title:${s.title}`;
  const v = view(s);
  return `${[...(v.types ?? [])].sort().join('|')}:${Object.keys(isObj(v.s.properties) ? v.s.properties : {})
    .sort()
    .join(',')}`;
}

function describe(s: unknown): string {
  if (!isObj(s)) return show(s);
  if (typeof s.title === 'string') return show(s.title);
  const v = view(s);
  const props = Object.keys(isObj(v.s.properties) ? v.s.properties : {});
  return `${[...(v.types ?? ['any'])].join(' | ')}${props.length ? ` {${props.join(', ')}}` : ''}`;
}

function sameType(a: unknown, b: unknown): boolean {
  return sameSet(view(isObj(a) ? a : {}).types ?? new Set(), view(isObj(b) ? b : {}).types ?? new Set());
}

/** Merges allOf, unwraps oneOf/anyOf [X, {type: null}] to a nullable X, and 3.0 exclusive bounds. */
export function view(raw: Obj): View {
  let s: Obj = raw;
  let allOfParts = 0;
  if (Array.isArray(s.allOf)) {
    allOfParts = s.allOf.length;
    s = { ...s, properties: { ...(isObj(s.properties) ? s.properties : {}) }, required: [...(Array.isArray(s.required) ? s.required : [])] };
    const parts = s.allOf as unknown[];
    delete s.allOf;
    for (const part of parts) {
      if (!isObj(part)) continue;
      const p = view(part).s;
      Object.assign(s.properties, isObj(p.properties) ? p.properties : {});
      if (Array.isArray(p.required)) s.required.push(...p.required);
      for (const [k, v] of Object.entries(p)) if (s[k] === undefined && k !== 'properties' && k !== 'required') s[k] = v;
      if (p.additionalProperties === false) s.additionalProperties = false;
    }
    if (Object.keys(s.properties).length === 0) delete s.properties;
    if (s.required.length === 0) delete s.required;
  }
  let nullable = s.nullable === true || (Array.isArray(s.type) && s.type.includes('null')) || s.type === 'null';
  for (const k of ['oneOf', 'anyOf'] as const) {
    const alts = s[k];
    if (!Array.isArray(alts) || !alts.some(isNullSchema)) continue;
    nullable = true;
    const rest = alts.filter((x) => !isNullSchema(x));
    if (rest.length === 1 && isObj(rest[0])) {
      const { [k]: _drop, ...others } = s;
      const inner = view(rest[0]);
      s = { ...inner.s, ...others };
      allOfParts = Math.max(allOfParts, inner.allOfParts);
    }
  }
  for (const [flag, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (typeof s[flag] === 'boolean') {
      s = { ...s };
      if (s[flag] && typeof s[bound] === 'number') {
        s[flag] = s[bound];
        delete s[bound];
      } else delete s[flag];
    }
  }
  let types: string[] | undefined;
  if (Array.isArray(s.type)) types = s.type.filter((t: unknown) => t !== 'null');
  else if (typeof s.type === 'string' && s.type !== 'null') types = [s.type];
  else if (isObj(s.properties)) types = ['object'];
  else if (isObj(s.items)) types = ['array'];
  return { s, types: types && types.length ? new Set(types) : undefined, nullable, allOfParts };
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Every value of type set a is a value of type set b (an integer is a number). */
function subset(a: Set<string>, b: Set<string>): boolean {
  return [...a].every((t) => b.has(t) || (t === 'integer' && b.has('number')));
}
