// The OpenAPI step of config loading: every version file that names `openapi: <path>` gets its
// document loaded, validated and compiled. Problems name the document (relative to the
// config dir) and the place in it.
import { isAbsolute, relative, resolve } from 'node:path';
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
export function attachOpenApi(dir: string, refs: OpenApiReference[], versions: Map<string, CompiledVersion>, problems: ConfigProblem[]): string[] {
  const wanted = refs.map((r) => ({ ...r, abs: resolve(dir, r.openapi), version: [...versions.values()].find((v) => v.file === r.versionFile) }))
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
  const loadedAt = Date.now();
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
