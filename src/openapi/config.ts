// The OpenAPI step of config loading: every version file that names `openapi: <path>` gets its
// document loaded, validated and compiled. Problems name the document (relative to the
// config dir) and the place in it.
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseYamlText } from '../config/yaml-syntax.js';
import type { CompiledVersion } from '../config/compiled.js';
import type { ConfigProblem } from '../config/errors.js';
import { compileOpenApi } from './compile.js';
import { loadDocumentsSync } from './load-sync.js';

export interface OpenApiReference {
  /** The version file that names the document. */
  versionFile: string;
  /** The `openapi` field as written. */
  openapi: string;
}

/**
 * Loads the named documents and sets `openapi` on their versions. Returns the documents'
 * file names and content hashes, for the config fingerprint.
 */
/**
 * `loadedAt` is the load's instant from the injected clock: a deprecated operation with no
 * date of its own, in a version with none, is deprecated from then.
 */
export function attachOpenApi(
  dir: string,
  refs: OpenApiReference[],
  versions: Map<string, CompiledVersion>,
  problems: ConfigProblem[],
  loadedAt: number,
): string[] {
  const wanted = refs
    .map((r) => ({ ...r, abs: resolve(dir, r.openapi), version: [...versions.values()].find((v) => v.file === r.versionFile) }))
    .filter((r): r is typeof r & { version: CompiledVersion } => r.version !== undefined);
  if (wanted.length === 0) return [];
  let loads;
  try {
    loads = loadDocumentsSync(wanted.map((w) => w.abs));
  } catch (err) {
    for (const w of wanted) problems.push({ file: w.versionFile, path: ['openapi'], message: `cannot load the OpenAPI document: ${(err as Error).message}` });
    return [];
  }
  const fingerprint: string[] = [];
  wanted.forEach((w, i) => {
    const load = loads[i];
    const rel = relative(dir, w.abs);
    const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : w.abs;
    if (!load.ok) {
      for (const p of load.problems) {
        if (p.missing) problems.push({ file: w.versionFile, path: ['openapi'], message: `${shown}: ${p.message}` });
        else problems.push({ file: shown, path: p.path, message: p.message });
      }
      return;
    }
    fingerprint.push(`${shown}\0${load.hash}`);
    w.version.openapi = compileOpenApi(shown, load.hash, load.operations, w.version, loadedAt, problems);
  });
  return fingerprint;
}

/**
 * The OpenAPI document a version names, found by id or alias by reading only the version
 * files (not the whole config, which may need secrets from the environment).
 */
export interface VersionDocument {
  file: string;
  /** The version's id, and its lifecycle fields as written (read by the diff). */
  id: string;
  deprecated?: unknown;
  sunset?: unknown;
}

export function versionDocument(dir: string, name: string): VersionDocument | { error: string } {
  const folder = join(dir, 'versions');
  let files: string[];
  try {
    files = readdirSync(folder)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort();
  } catch {
    return { error: `no versions/ folder in ${dir}` };
  }
  const known: string[] = [];
  for (const f of files) {
    const parsed = parseYamlText(readFileSync(join(folder, f), 'utf8'));
    if (!parsed.ok) return { error: `versions/${f}: ${parsed.error}` };
    const data = (parsed.value ?? {}) as { id?: unknown; aliases?: unknown; openapi?: unknown; deprecated?: unknown; sunset?: unknown };
    const id = typeof data.id === 'string' ? data.id : f.replace(/\.ya?ml$/i, '');
    known.push(id);
    const names = [id, ...(Array.isArray(data.aliases) ? data.aliases.map(String) : [])].map((s) => s.toLowerCase());
    if (!names.includes(name.toLowerCase())) continue;
    if (typeof data.openapi !== 'string') return { error: `versions/${f} names no OpenAPI document: add openapi: <path>` };
    return { file: resolve(dir, data.openapi), id, deprecated: data.deprecated, sunset: data.sunset };
  }
  return { error: `there is no version "${name}" in ${dir} (known: ${known.join(', ') || 'none'})` };
}
