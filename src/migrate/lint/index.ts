// `sundial migrate lint`: find a tool's migrations, read them in its order, lint them as one set.
import { stat } from 'node:fs/promises';
import { ERR_LINT_NO_MIGRATIONS, ERR_LINT_PATH } from '../../errors.js';
import { applyConfig, excludedPath, loadConfig, type LintConfig } from './config.js';
import { discover, LAYOUTS, stdinSet } from './discover.js';
import { lintSet } from './lint.js';
import type { LintSummary } from './report.js';
import type { MigrationSet } from './source.js';

export type { Finding } from './finding.js';
export type { LintSummary } from './report.js';
export type { MigrationSet, MigrationFile, SqlChunk } from './source.js';
export { lintSql, lintSet } from './lint.js';
export { rules } from './rules/index.js';
export { discover, toolOf, LAYOUTS } from './discover.js';
export { loadConfig, applyConfig, parseConfig } from './config.js';
export { formatJson, formatText, formatGithub, formatSarif } from './report.js';

export interface LintOptions {
  pgVersion?: number;
  config?: LintConfig;
  configFile?: string;
}

async function lintSets(sets: MigrationSet[], root: string, options: LintOptions, config: LintConfig): Promise<LintSummary> {
  const summary: LintSummary = { findings: [], sets: [] };
  for (const set of sets) {
    const kept = { ...set, files: set.files.filter((f) => !excludedPath(config, root, f.path)) };
    const r = await lintSet(kept, { pgVersion: options.pgVersion ?? config.pg_version ?? 12 });
    summary.findings.push(...applyConfig(config, r.findings));
    summary.sets.push({ tool: set.tool, detectedBy: set.detectedBy, files: new Set(kept.files.map((f) => f.path)).size, statements: r.statements });
  }
  return summary;
}

export async function lintPath(path: string, options: LintOptions = {}): Promise<LintSummary> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw ERR_LINT_PATH(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message);
  }
  const root = isDir ? path : (await import('node:path')).dirname(path);
  const config = options.config ?? loadConfig(root, options.configFile);
  const sets = await discover(path);
  if (!sets.some((s) => s.files.length)) {
    throw ERR_LINT_NO_MIGRATIONS(path, Object.values(LAYOUTS).join('; '));
  }
  return lintSets(sets, root, options, config);
}

export async function lintStdin(sql: string, options: LintOptions = {}): Promise<LintSummary> {
  const config = options.config ?? loadConfig(process.cwd(), options.configFile);
  return lintSets([stdinSet(sql)], process.cwd(), options, config);
}
