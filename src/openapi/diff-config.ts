// What a team tells the diff about its own rules: a level per rule (or none, to drop it), and
// an ignore file whose entries each name a rule, the operation or path it applies to, and why.
// Both are YAML; a bad entry names the file and the field.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Change } from './diff-report.js';
import { RULE_BY_ID, type Level } from './rules.js';

export type LevelOverrides = Map<string, Level | 'none'>;

export interface IgnoreEntry {
  rule: string;
  operation?: string;
  path?: string;
  reason: string;
}

export class DiffConfigError extends Error {}

const LEVELS = ['breaking', 'warning', 'info', 'none'];

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DiffConfigError(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  try {
    return parse(text);
  } catch (err) {
    throw new DiffConfigError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** levels.yaml: `rule-id: breaking | warning | info | none`, one a line. */
export function readLevels(file: string): LevelOverrides {
  const data = readYaml(file) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new DiffConfigError(`${file}: expected a mapping of rule ids to levels`);
  const out: LevelOverrides = new Map();
  for (const [id, level] of Object.entries(data as Record<string, unknown>)) {
    if (!RULE_BY_ID.has(id)) throw new DiffConfigError(`${file}: ${id}: no such rule (see sundial openapi rules)`);
    if (typeof level !== 'string' || !LEVELS.includes(level))
      throw new DiffConfigError(`${file}: ${id}: "${String(level)}" is not breaking, warning, info or none`);
    out.set(id, level as Level | 'none');
  }
  return out;
}

/** ignore.yaml: a list of { rule, operation: "GET /orders/{id}" | path: /orders/{id}, reason }. */
export function readIgnore(file: string): IgnoreEntry[] {
  const data = readYaml(file) ?? [];
  if (!Array.isArray(data)) throw new DiffConfigError(`${file}: expected a list of { rule, operation or path, reason }`);
  return data.map((e, i) => {
    const at = `${file}: [${i}]`;
    if (!e || typeof e !== 'object') throw new DiffConfigError(`${at}: expected { rule, operation or path, reason }`);
    const { rule, operation, path, reason } = e as Record<string, unknown>;
    if (typeof rule !== 'string' || !RULE_BY_ID.has(rule))
      throw new DiffConfigError(`${at}.rule: ${JSON.stringify(rule)} is not a rule id (see sundial openapi rules)`);
    if (operation === undefined && path === undefined) throw new DiffConfigError(`${at}: name the operation ("GET /orders/{id}") or the path it applies to`);
    if (operation !== undefined && (typeof operation !== 'string' || !/^[A-Za-z]+\s+\S+$/.test(operation)))
      throw new DiffConfigError(`${at}.operation: expected "METHOD /path", such as "GET /orders/{id}"`);
    if (path !== undefined && typeof path !== 'string') throw new DiffConfigError(`${at}.path: expected a path such as /orders/{id}`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new DiffConfigError(`${at}.reason: say why the change is accepted`);
    return { rule, operation: operation as string | undefined, path: path as string | undefined, reason };
  });
}

function ignoredBy(c: Change, entries: IgnoreEntry[]): IgnoreEntry | undefined {
  return entries.find(
    (e) =>
      e.rule === c.kind &&
      (e.operation === undefined || (c.method !== undefined && e.operation.replace(/\s+/, ' ').toUpperCase() === `${c.method} ${c.path}`.toUpperCase())) &&
      (e.path === undefined || e.path === c.path),
  );
}

export interface Configured {
  changes: Change[];
  ignored: (Change & { reason: string })[];
}

/** Applies the level overrides, then the ignore entries. Pure. */
export function applyDiffConfig(changes: Change[], levels: LevelOverrides, ignore: IgnoreEntry[]): Configured {
  const out: Configured = { changes: [], ignored: [] };
  for (const c of changes) {
    const level = levels.get(c.kind);
    if (level === 'none') continue;
    const changed = level ? { ...c, class: level } : c;
    const entry = ignoredBy(changed, ignore);
    if (entry) out.ignored.push({ ...changed, reason: entry.reason });
    else out.changes.push(changed);
  }
  return out;
}

export function failing(changes: Change[], failOn: 'breaking' | 'warning'): boolean {
  return changes.some((c) => c.class === 'breaking' || (failOn === 'warning' && c.class === 'warning'));
}
