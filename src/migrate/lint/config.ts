// Lint configuration: `.sundial-lint.yaml`, or a `lint:` block in config/gateway.yaml.
//   pg_version: 12
//   style: false                      # turn every style rule off
//   rules: { prefer-text-field: off, require-lock-timeout: error }
//   exclude_rules: [ban-drop-table]
//   exclude_paths: ["legacy/**"]
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ERR_LINT_CONFIG } from '../../errors.js';
import type { Finding } from './finding.js';
import { rules } from './rules/index.js';

const ruleIds = new Set([...rules.map((r) => r.id), 'syntax-error', 'disable-without-reason']);
const ruleId = z.string().refine((id) => ruleIds.has(id), { message: 'unknown rule' });

const schema = z
  .object({
    pg_version: z.number().int().min(9).max(20).optional(),
    style: z.boolean().optional(),
    rules: z.record(ruleId, z.enum(['error', 'warning', 'off'])).optional(),
    exclude_rules: z.array(ruleId).optional(),
    exclude_paths: z.array(z.string()).optional(),
  })
  .strict();

export type LintConfig = z.infer<typeof schema> & { source?: string };

export function parseConfig(file: string, value: unknown): LintConfig {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw ERR_LINT_CONFIG(file, issue.path.join('.') || '(top level)', issue.message);
  }
  return { ...r.data, source: file };
}

/** The config in force for a lint of `root`: an explicit file, else the first one found. */
export function loadConfig(root: string, explicit?: string): LintConfig {
  if (explicit) {
    if (!existsSync(explicit)) throw ERR_LINT_CONFIG(explicit, '(file)', 'not found');
    return parseConfig(explicit, parse(readFileSync(explicit, 'utf8')));
  }
  for (const dir of [root, process.cwd()]) {
    const own = join(dir, '.sundial-lint.yaml');
    if (existsSync(own)) return parseConfig(own, parse(readFileSync(own, 'utf8')));
    const gateway = join(dir, 'config', 'gateway.yaml');
    if (existsSync(gateway)) {
      const doc = parse(readFileSync(gateway, 'utf8')) as { lint?: unknown } | null;
      if (doc && typeof doc === 'object' && 'lint' in doc) return parseConfig(`${gateway} (lint)`, doc.lint);
    }
  }
  return {};
}

/** `**` any path, `*` any name part, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function excludedPath(config: LintConfig, root: string, path: string): boolean {
  const rel = relative(root, path).split('\\').join('/');
  return (config.exclude_paths ?? []).some((g) => globToRegExp(g).test(rel) || globToRegExp(g).test(path));
}

/** Severities and exclusions from the config, applied to findings. */
export function applyConfig(config: LintConfig, findings: Finding[]): Finding[] {
  const styleIds = new Set(rules.filter((r) => r.style).map((r) => r.id));
  const out: Finding[] = [];
  for (const f of findings) {
    if (config.exclude_rules?.includes(f.rule)) continue;
    if (config.style === false && styleIds.has(f.rule)) continue;
    const sev = config.rules?.[f.rule];
    if (sev === 'off') continue;
    out.push(sev ? { ...f, severity: sev } : f);
  }
  return out;
}
