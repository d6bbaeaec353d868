// Reads a config directory (config/gateway.yaml, versions/*.yaml, routes/*.yaml), validates
// every file, checks the files against each other and compiles the result. It reports every
// problem it finds, not just the first, each naming its file and field.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { lifecycleHeaders } from '../lifecycle/headers.js';
import { adminExposureProblem } from '../admin/exposure.js';
import { checkCanaries, compileCanary } from '../canary/config.js';
import { compileShadow } from '../shadow/config.js';
import type { CompiledConfig, CompiledRoute, CompiledUpstream, CompiledVersion } from './compiled.js';
import { attachOpenApi } from '../openapi/config.js';
import { buildChain, checkTransforms, checkTransformTargets, compileTransform } from '../transform/config.js';
import type { CompiledChain } from '../transform/chain.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { substituteEnv, type EnvProblem } from './env.js';
import { didYouMean } from './suggest.js';
import { firstSyntaxError, formatSyntaxError } from './yaml-syntax.js';
import { gatewaySchema, routeSchema, versionSchema, type GatewayFile, type RouteFile, type VersionFile } from './schema.js';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** The clock, in milliseconds since the epoch: the load's instant (loadedAt, and an operation's default Deprecation date). Injected by tests; default Date.now. */
  clock?: () => number;
}

interface SourceFile {
  file: string; // relative to the config dir, for messages
  text: string;
}

const YAML_FILE = /\.ya?ml$/i;

function listYaml(dir: string, sub: string, problems: ConfigProblem[]): string[] {
  const folder = join(dir, sub);
  try {
    return readdirSync(folder)
      .filter((f) => YAML_FILE.test(f))
      .sort()
      .map((f) => join(sub, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      problems.push({ file: `${sub}/`, path: [], message: 'directory not found' });
      return [];
    }
    throw err;
  }
}

function readSources(dir: string, problems: ConfigProblem[]): { gateway?: SourceFile; versions: SourceFile[]; routes: SourceFile[] } {
  const read = (file: string): SourceFile | undefined => {
    try {
      return { file, text: readFileSync(join(dir, file), 'utf8') };
    } catch (err) {
      problems.push({ file, path: [], message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err) });
      return undefined;
    }
  };
  const gatewayFile = ['config/gateway.yaml', 'config/gateway.yml'].find((f) => existsFile(join(dir, f))) ?? 'config/gateway.yaml';
  return {
    gateway: read(gatewayFile),
    versions: listYaml(dir, 'versions', problems)
      .map(read)
      .filter((s): s is SourceFile => !!s),
    routes: listYaml(dir, 'routes', problems)
      .map(read)
      .filter((s): s is SourceFile => !!s),
  };
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function parseFile<S extends z.ZodType>(src: SourceFile, schema: S, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): z.output<S> | undefined {
  const doc = parseDocument(src.text, { prettyErrors: true, uniqueKeys: true });
  const syntax = firstSyntaxError(doc, src.text);
  if (syntax) {
    problems.push({ file: src.file, path: [], message: formatSyntaxError(syntax) });
    return undefined;
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file: src.file, path: [], message: 'expected a mapping of fields at the top level' });
    return undefined;
  }
  const envProblems: EnvProblem[] = [];
  const substituted = substituteEnv(raw, env, envProblems);
  for (const p of envProblems) problems.push({ file: src.file, path: p.path, message: p.message });
  const result = schema.safeParse(substituted);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path as (string | number)[];
      if (issue.code === 'unrecognized_keys') {
        // One problem per unknown field, with the nearest known name.
        for (const key of issue.keys) problems.push({ file: src.file, path, message: `Unrecognized key: "${key}"${didYouMean(schema, path, key)}` });
      } else {
        problems.push({ file: src.file, path, message: issue.message });
      }
    }
    return undefined;
  }
  return envProblems.length ? undefined : result.data;
}

function compileVersions(files: { src: SourceFile; data: VersionFile }[], problems: ConfigProblem[]): Map<string, CompiledVersion> {
  const versions = new Map<string, CompiledVersion>();
  for (const { src, data } of files) {
    const fromName = basename(src.file).replace(YAML_FILE, '');
    const id = data.id ?? fromName;
    if (data.id !== undefined && data.id !== fromName) {
      problems.push({ file: src.file, path: ['id'], message: `"${data.id}" does not match the file name; name the file versions/${data.id}.yaml` });
    }
    const previous = versions.get(id);
    if (previous) {
      problems.push({ file: src.file, path: ['id'], message: `version "${id}" is already defined in ${previous.file}` });
      continue;
    }
    versions.set(id, {
      id,
      file: src.file,
      aliases: data.aliases,
      deprecatedAt: data.deprecated,
      sunsetAt: data.sunset,
      successor: data.successor,
      docs: data.docs,
      policy: data.policy,
      description: data.description,
      brownouts: [...data.brownouts].sort((a, b) => a.start - b.start),
      sunsetStatus: data.sunsetStatus,
      headers: lifecycleHeaders({ deprecatedAt: data.deprecated, sunsetAt: data.sunset, docs: data.docs, policy: data.policy }),
      transform: data.transform ? compileTransform(id, src.file, data.transform, problems) : undefined,
    });
  }
  return versions;
}

function checkVersions(versions: Map<string, CompiledVersion>, broken: Set<string>, problems: ConfigProblem[]): Map<string, string> {
  const aliases = new Map<string, string>();
  const claim = (name: string, v: CompiledVersion, path: (string | number)[]) => {
    const key = name.toLowerCase();
    const owner = aliases.get(key);
    if (owner !== undefined && owner !== v.id) {
      problems.push({ file: v.file, path, message: `"${name}" already names version "${owner}" (${versions.get(owner)?.file})` });
    } else {
      aliases.set(key, v.id);
    }
  };
  for (const v of versions.values()) claim(v.id, v, ['id']);
  for (const v of versions.values()) v.aliases.forEach((a, i) => claim(a, v, ['aliases', i]));

  for (const v of versions.values()) {
    if (v.successor !== undefined) {
      if (v.successor === v.id) problems.push({ file: v.file, path: ['successor'], message: 'a version cannot be its own successor' });
      else if (!versions.has(v.successor) && !broken.has(v.successor))
        problems.push({ file: v.file, path: ['successor'], message: `version "${v.successor}" does not exist (known: ${[...versions.keys()].join(', ')})` });
    }
    if (v.deprecatedAt !== undefined && v.sunsetAt !== undefined && v.sunsetAt < v.deprecatedAt) {
      problems.push({
        file: v.file,
        path: ['sunset'],
        message: 'sunset is before the deprecation date; RFC 9745 requires sunset not to be earlier than deprecation',
      });
    }
    v.brownouts.forEach((w, i) => {
      if (v.sunsetAt !== undefined && w.end > v.sunsetAt) {
        problems.push({ file: v.file, path: ['brownouts', i, 'end'], message: 'a brownout must end before the sunset' });
      }
      const next = v.brownouts[i + 1];
      if (next && next.start < w.end) {
        problems.push({ file: v.file, path: ['brownouts'], message: 'brownout windows overlap' });
      }
    });
  }
  return aliases;
}

function normalisePrefix(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('/') ? prefix.replace(/\/+$/, '') : prefix;
}

function compileRoutes(
  files: { src: SourceFile; data: RouteFile }[],
  versions: Map<string, CompiledVersion>,
  broken: Set<string>,
  problems: ConfigProblem[],
): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  const names = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const { src, data } of files) {
    const name = data.name ?? basename(src.file).replace(YAML_FILE, '');
    const prefix = normalisePrefix(data.prefix);
    const host = data.host ? data.host.toLowerCase() : null;
    if (names.has(name)) problems.push({ file: src.file, path: ['name'], message: `route "${name}" is already defined in ${names.get(name)}` });
    names.set(name, src.file);
    const claimKey = `${host ?? '*'} ${prefix}`;
    const claimedBy = prefixes.get(claimKey);
    if (claimedBy)
      problems.push({ file: src.file, path: ['prefix'], message: `prefix "${prefix}"${host ? ` on host ${host}` : ''} is already claimed by ${claimedBy}` });
    prefixes.set(claimKey, src.file);

    const upstreams = compileUpstreams({ src, data, name, versions, problems }, broken);
    if (data.default !== undefined && !upstreams.has(data.default) && !broken.has(data.default)) {
      problems.push({
        file: src.file,
        path: ['default'],
        message: `version "${data.default}" is not one of this route's versions (${Object.keys(data.versions).join(', ')})`,
      });
    }
    const methods = data.methods ? new Set<string>(data.methods) : null;
    if (methods?.has('GET')) methods.add('HEAD');
    routes.push({
      name,
      file: src.file,
      prefix,
      methods,
      allow: methods ? [...methods].join(', ') : '',
      host,
      defaultVersion: data.default,
      upstreams,
      versionIds: [...upstreams.keys()],
    });
  }
  // Longest prefix first; host-bound routes before host-less ones of the same prefix.
  return routes.sort((a, b) => b.prefix.length - a.prefix.length || Number(b.host !== null) - Number(a.host !== null));
}

/** The route file a route's upstreams are compiled from, and where their problems go. */
interface RouteContext {
  src: SourceFile;
  data: RouteFile;
  name: string;
  versions: Map<string, CompiledVersion>;
  problems: ConfigProblem[];
}

/** Each version's upstream on a route, with its shadow and canary; a version that does not exist is a problem. */
function compileUpstreams(ctx: RouteContext, broken: Set<string>): Map<string, CompiledUpstream> {
  const { src, data, name, versions, problems } = ctx;
  const upstreams = new Map<string, CompiledUpstream>();
  for (const [versionId, target] of Object.entries(data.versions)) {
    if (!versions.has(versionId)) {
      if (!broken.has(versionId))
        problems.push({
          file: src.file,
          path: ['versions', versionId],
          message: `version "${versionId}" does not exist (known: ${[...versions.keys()].join(', ') || 'none'})`,
        });
      continue;
    }
    const at = ['versions', versionId];
    const primary = resolveUpstream(ctx, versionId, target.upstream, [...at, 'upstream']);
    if (!primary) continue;
    const stable: CompiledUpstream = { base: primary.base, timeout: target.timeout, transform: primary.transform };
    if (target.shadow) {
      const candidate = resolveUpstream(ctx, versionId, target.shadow.upstream ?? { via: target.shadow.via! }, [...at, 'shadow']);
      if (candidate) {
        stable.shadow = compileShadow(target.shadow, candidate.base);
        stable.shadow.transform = candidate.transform;
      }
    }
    if (target.canary) {
      const arm = resolveUpstream(ctx, versionId, target.canary.upstream ?? { via: target.canary.via! }, [...at, 'canary']);
      if (arm) stable.canary = compileCanary(name, versionId, stable, target.canary, arm);
    }
    upstreams.set(versionId, stable);
  }
  return upstreams;
}

// `via: v2` serves this version from v2's upstream, through the transforms between them.
function resolveUpstream(
  { src, data, name, versions, problems }: RouteContext,
  versionId: string,
  spec: string | { via: string },
  at: (string | number)[],
): { base: string; transform?: CompiledChain } | undefined {
  if (typeof spec === 'string') return { base: spec.replace(/\/+$/, '') };
  const via = data.versions[spec.via]?.upstream;
  if (via === undefined) {
    problems.push({
      file: src.file,
      path: [...at, 'via'],
      message: `this route has no version "${spec.via}" to serve ${versionId} (it has ${Object.keys(data.versions).join(', ')})`,
    });
    return undefined;
  }
  if (typeof via !== 'string') {
    problems.push({
      file: src.file,
      path: [...at, 'via'],
      message: `${spec.via} is itself served via ${via.via}: name ${via.via} here, and the chain of transforms is followed`,
    });
    return undefined;
  }
  const chain = buildChain(versions, name, versionId, spec.via);
  if (typeof chain === 'string') {
    problems.push({ file: src.file, path: [...at, 'via'], message: chain });
    return undefined;
  }
  return { base: via.replace(/\/+$/, ''), transform: chain };
}

function checkGateway(file: string, g: GatewayFile, versions: Map<string, CompiledVersion>, broken: Set<string>, problems: ConfigProblem[]) {
  if (g.versioning.default !== undefined && !versions.has(g.versioning.default) && !broken.has(g.versioning.default)) {
    problems.push({
      file,
      path: ['versioning', 'default'],
      message: `version "${g.versioning.default}" does not exist (known: ${[...versions.keys()].join(', ') || 'none'})`,
    });
  }
  if (g.versioning.sources.includes('accept') && !g.versioning.accept) {
    problems.push({
      file,
      path: ['versioning', 'accept'],
      message: 'the accept source is enabled, so name the vendor media type, such as application/vnd.acme+json',
    });
  }
  const exposed = adminExposureProblem(file, g.admin.host, g.admin.token);
  if (exposed) problems.push(exposed);
}

/** Loads and compiles a config directory, or throws a ConfigError listing every problem. */
export function loadConfig(dirInput: string, options: LoadOptions = {}): CompiledConfig {
  const dir = resolve(dirInput);
  const env = options.env ?? process.env;
  const loadedAt = (options.clock ?? Date.now)();
  const problems: ConfigProblem[] = [];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new ConfigError([{ file: dir, path: [], message: `cannot read config directory: ${(err as Error).message}` }]);
  }
  const sources = readSources(dir, problems);

  const gateway = sources.gateway ? parseFile(sources.gateway, gatewaySchema, env, problems) : undefined;
  const parsedVersions = sources.versions.map((src) => ({ src, data: parseFile(src, versionSchema, env, problems) }));
  const versionFiles = parsedVersions.filter((f): f is { src: SourceFile; data: VersionFile } => f.data !== undefined);
  // A version whose file has problems of its own is not also "missing" wherever it is named.
  const broken = new Set(parsedVersions.filter((f) => f.data === undefined).map((f) => basename(f.src.file).replace(YAML_FILE, '')));
  const routeFiles = sources.routes
    .map((src) => ({ src, data: parseFile(src, routeSchema, env, problems) }))
    .filter((f): f is { src: SourceFile; data: RouteFile } => f.data !== undefined);

  const versions = compileVersions(versionFiles, problems);
  const aliases = checkVersions(versions, broken, problems);
  checkTransforms(versions, problems);
  const openapiFingerprint = attachOpenApi(
    dir,
    versionFiles.filter((f) => f.data.openapi !== undefined).map((f) => ({ versionFile: f.src.file, openapi: f.data.openapi! })),
    versions,
    problems,
    loadedAt,
  );
  const routes = compileRoutes(routeFiles, versions, broken, problems);
  checkCanaries(routes, problems);
  checkTransformTargets(versions, new Set(routeFiles.map((f) => f.data.name ?? basename(f.src.file).replace(YAML_FILE, ''))), problems);
  if (gateway && sources.gateway) checkGateway(sources.gateway.file, gateway, versions, broken, problems);
  if (sources.versions.length === 0 && !problems.some((p) => p.file === 'versions/')) {
    problems.push({ file: 'versions/', path: [], message: 'no version files found; add versions/<id>.yaml' });
  }

  if (problems.length || !gateway) throw new ConfigError(problems);

  const fingerprint = createHash('sha256');
  for (const s of [sources.gateway!, ...sources.versions, ...sources.routes]) fingerprint.update(s.file).update('\0').update(s.text).update('\0');
  for (const doc of openapiFingerprint) fingerprint.update(doc).update('\0');

  return {
    dir,
    gateway,
    versioning: {
      sources: gateway.versioning.sources,
      header: gateway.versioning.header.toLowerCase(),
      query: gateway.versioning.query,
      accept: gateway.versioning.accept?.toLowerCase(),
      defaultVersion: gateway.versioning.default,
      onConflict: gateway.versioning.onConflict,
      aliases,
      supported: [...versions.keys()],
    },
    versions,
    routes,
    canaries: routes.flatMap((r) => [...r.upstreams.values()].flatMap((u) => (u.canary ? [u.canary] : []))),
    fingerprint: fingerprint.digest('hex'),
    loadedAt,
  };
}

/** The folders a running gateway watches: its config folders and its OpenAPI documents'. */
export function configFolders(cfg: Pick<CompiledConfig, 'dir' | 'versions'>): string[] {
  const folders = new Set(['config', 'versions', 'routes'].map((sub) => join(cfg.dir, sub)));
  for (const v of cfg.versions.values()) if (v.openapi) folders.add(dirname(resolve(cfg.dir, v.openapi.file)));
  return [...folders];
}
