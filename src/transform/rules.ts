// Compiles a version's `transform:` block (src/transform/schema.ts) into one step per route:
// the version-wide rules, replaced field by field by a route's, and by an operation's within
// the route. Everything is compiled here, at load; a request only looks rules up.
import { OperationMatcher } from '../openapi/matcher.js';
import { compileLens, type Lens, type LensProblem } from './lens.js';
import { compilePathRewrite, type PathRewrite } from './path-rewrite.js';
import type { TransformFile, TransformRulesFile } from './schema.js';

export interface StepRules {
  path: readonly PathRewrite[];
  /** The same rewrites read backwards (new path -> old), for checks and Location headers. */
  pathBack: readonly PathRewrite[];
  query?: Lens;
  requestHeaders?: Lens;
  responseHeaders?: Lens;
  request?: Lens;
  response?: Lens;
  /** Status codes new -> old, for responses. */
  statusBack: ReadonlyMap<number, number>;
  statusForward: ReadonlyMap<number, number>;
}

export interface RouteStep {
  /** The version whose clients this step serves, and its successor. */
  from: string;
  to: string;
  route: string;
  base: StepRules;
  /** Per-operation rules of the old version, matched on method and old path. */
  operations?: OperationMatcher<StepRules>;
}

export interface VersionTransform {
  from: string;
  to: string;
  file: string;
  onMisfit: 'passthrough' | '502';
  maxBodyBytes: number;
  /** The step for a route: its own rules, or the version-wide ones. */
  stepFor(route: string): RouteStep;
  /** Route names the block configures, to check that they exist. */
  routeNames: string[];
  /** Operation names per route, to check against the old version's OpenAPI document. */
  operationNames: Map<string, string[]>;
  /** The block as validated, for the schema check of `sundial check`. */
  source: TransformFile;
}

export interface RulesProblem {
  path: (string | number)[];
  message: string;
}

const RULE_FIELDS = ['path', 'query', 'headers', 'status', 'request', 'response'] as const;

function pick(rules: TransformRulesFile): TransformRulesFile {
  const out: TransformRulesFile = {};
  for (const f of RULE_FIELDS) if (rules[f] !== undefined) (out as Record<string, unknown>)[f] = rules[f];
  return out;
}

function compileRules(rules: TransformRulesFile, at: (string | number)[], problems: RulesProblem[]): StepRules {
  const lens = (field: string, ops: TransformRulesFile['request'], lowerCase = false, sub?: string): Lens | undefined => {
    if (!ops || ops.length === 0) return undefined;
    const lensProblems: LensProblem[] = [];
    const l = compileLens(ops, lensProblems, { lowerCase });
    for (const p of lensProblems) problems.push({ path: [...at, field, ...(sub ? [sub] : []), ...p.path], message: p.message });
    return l;
  };
  const path: PathRewrite[] = [];
  const pathBack: PathRewrite[] = [];
  (rules.path ?? []).forEach((r, i) => {
    const c = compilePathRewrite(r.from, r.to);
    if (typeof c === 'string') problems.push({ path: [...at, 'path', i], message: c });
    else {
      path.push(c.forward);
      pathBack.push(c.backward);
    }
  });
  const statusBack = new Map<number, number>();
  const statusForward = new Map<number, number>();
  (rules.status ?? []).forEach((s, i) => {
    if (statusBack.has(s.to)) problems.push({ path: [...at, 'status', i, 'to'], message: `status ${s.to} is mapped back twice` });
    statusBack.set(s.to, s.from);
    statusForward.set(s.from, s.to);
  });
  return {
    path,
    pathBack,
    query: lens('query', rules.query),
    requestHeaders: lens('headers', rules.headers?.request, true, 'request'),
    responseHeaders: lens('headers', rules.headers?.response, true, 'response'),
    request: lens('request', rules.request),
    response: lens('response', rules.response),
    statusBack,
    statusForward,
  };
}

export function compileVersionTransform(from: string, file: string, t: TransformFile, problems: RulesProblem[]): VersionTransform {
  const top = pick(t);
  const topRules = compileRules(top, ['transform'], problems);
  const routes = new Map<string, RouteStep>();
  const operationNames = new Map<string, string[]>();
  for (const [route, spec] of Object.entries(t.routes ?? {})) {
    const merged = { ...top, ...pick(spec) };
    const at = ['transform', 'routes', route];
    const step: RouteStep = { from, to: t.to, route, base: compileRules(merged, at, problems) };
    const ops = Object.entries(spec.operations ?? {});
    if (ops.length) {
      step.operations = new OperationMatcher<StepRules>();
      for (const [name, opRules] of ops) {
        const [method, template] = name.split(' ');
        step.operations.add(method, template, compileRules({ ...merged, ...pick(opRules) }, [...at, 'operations', name], problems));
      }
      operationNames.set(
        route,
        ops.map(([n]) => n),
      );
    }
    routes.set(route, step);
  }
  const defaults = new Map<string, RouteStep>();
  return {
    from,
    to: t.to,
    file,
    onMisfit: t.onMisfit,
    maxBodyBytes: t.limits.maxBodyBytes,
    routeNames: [...routes.keys()],
    operationNames,
    source: t,
    stepFor(route) {
      let step = routes.get(route) ?? defaults.get(route);
      if (!step) defaults.set(route, (step = { from, to: t.to, route, base: topRules }));
      return step;
    },
  };
}

/** The rules a request meets at one step: its operation's, else the route's. */
export function rulesAt(step: RouteStep, method: string, path: string): StepRules {
  return step.operations?.match(method, path)?.value ?? step.base;
}
