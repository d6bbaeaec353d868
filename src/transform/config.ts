// The transform part of config loading: compiles each version's `transform:` block, checks
// that it names versions, routes and operations that exist, and builds the chain a route
// version's `via:` names (v1 -> v2 -> v3), failing with the file and field when it cannot.
import type { CompiledVersion } from '../config/compiled.js';
import type { ConfigProblem } from '../config/errors.js';
import type { CompiledChain } from './chain.js';
import { compileVersionTransform, type RouteStep, type VersionTransform } from './rules.js';
import type { TransformFile } from './schema.js';

/** Compiles one version's block; problems name the version file. */
export function compileTransform(version: string, file: string, block: TransformFile, problems: ConfigProblem[]): VersionTransform {
  const rulesProblems: { path: (string | number)[]; message: string }[] = [];
  const t = compileVersionTransform(version, file, block, rulesProblems);
  for (const p of rulesProblems) problems.push({ file, path: p.path, message: p.message });
  return t;
}

/** Checks `to` against the known versions, and that no chain of transforms loops. */
export function checkTransforms(versions: ReadonlyMap<string, CompiledVersion>, problems: ConfigProblem[]): void {
  for (const v of versions.values()) {
    const t = v.transform;
    if (!t) continue;
    if (t.to === v.id) problems.push({ file: v.file, path: ['transform', 'to'], message: 'a version cannot transform to itself' });
    else if (!versions.has(t.to))
      problems.push({ file: v.file, path: ['transform', 'to'], message: `version "${t.to}" does not exist (known: ${[...versions.keys()].join(', ')})` });
    const seen = new Set([v.id]);
    for (let next = versions.get(t.to); next?.transform; next = versions.get(next.transform.to)) {
      if (seen.has(next.id)) {
        problems.push({ file: v.file, path: ['transform', 'to'], message: `the transforms from ${v.id} loop back through ${next.id}` });
        break;
      }
      seen.add(next.id);
    }
  }
}

/** Checks route names and operations a transform configures, once routes are known. */
export function checkTransformTargets(versions: ReadonlyMap<string, CompiledVersion>, routeNames: ReadonlySet<string>, problems: ConfigProblem[]): void {
  for (const v of versions.values()) {
    const t = v.transform;
    if (!t) continue;
    for (const r of t.routeNames) {
      if (!routeNames.has(r))
        problems.push({
          file: v.file,
          path: ['transform', 'routes', r],
          message: `route "${r}" does not exist (known: ${[...routeNames].join(', ') || 'none'})`,
        });
    }
    // With an OpenAPI document, an operation's rules must name one of its operations.
    if (!v.openapi) continue;
    for (const [route, names] of t.operationNames) {
      for (const name of names) {
        const [method, template] = name.split(' ');
        if (!v.openapi.matcher.match(method, template)) {
          problems.push({ file: v.file, path: ['transform', 'routes', route, 'operations', name], message: `${v.openapi.file} has no operation ${name}` });
        }
      }
    }
  }
}

/**
 * The chain that serves `from` with `via`'s upstream, for one route: the transforms from
 * `from` followed step by step until `via`. Returns a message when they do not lead there.
 */
export function buildChain(versions: ReadonlyMap<string, CompiledVersion>, route: string, from: string, via: string): CompiledChain | string {
  if (!versions.has(via)) return `version "${via}" does not exist (known: ${[...versions.keys()].join(', ')})`;
  if (via === from) return 'a version cannot be served via itself';
  const steps: RouteStep[] = [];
  const path = [from];
  let current = versions.get(from);
  let owner: VersionTransform | undefined;
  while (current && current.id !== via) {
    const t = current.transform;
    if (!t) {
      return (
        `${current.id} has no transform: add transform: { to: ..., request: [...], response: [...] } to ${current.file}` +
        (path.length > 1 ? ` (the chain so far: ${path.join(' → ')})` : '')
      );
    }
    owner ??= t;
    steps.push(t.stepFor(route));
    path.push(t.to);
    if (steps.length > versions.size) return `the transforms from ${from} loop`;
    current = versions.get(t.to);
  }
  if (!current) return `the transforms from ${from} (${path.join(' → ')}) do not reach ${via}`;
  const rules = steps.map((s) => s.base);
  const anyOp = steps.some((s) => s.operations !== undefined);
  return {
    route,
    from,
    to: via,
    steps,
    label: path.join('→'),
    onMisfit: owner!.onMisfit,
    maxBodyBytes: owner!.maxBodyBytes,
    // Operation rules may add body lenses the route's own rules lack, so count them in.
    requestBodies: anyOp || rules.some((r) => r.request !== undefined),
    responseBodies: anyOp || rules.some((r) => r.response !== undefined),
  };
}
