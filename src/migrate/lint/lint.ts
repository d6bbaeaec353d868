// Lints SQL text with PostgreSQL's own parser (libpg-query), statement by statement, in
// file order, so that rules can see what the file did before (BEGIN, SET lock_timeout ...).
import * as pgParser from 'libpg-query';
import type { Rule, Severity } from './rule.js';
import { newState } from './rule.js';
import { rules as allRules } from './rules/index.js';
import { advance } from './state.js';

export interface Finding {
  file: string;
  line: number;
  rule: string;
  severity: Severity;
  message: string;
  problem: string;
  fix: string;
}

let loaded: Promise<void> | undefined;

async function parser(): Promise<typeof pgParser> {
  const load = (pgParser as { loadModule?: () => Promise<void> }).loadModule;
  if (load) loaded ??= load();
  await loaded;
  return pgParser;
}

/** 1-based line of a byte offset (the parser counts bytes, not UTF-16 units). */
export function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * A statement's location includes the blank lines and comments before it: skip them.
 * `text` is the file decoded as latin1, one character per byte, so offsets stay byte offsets.
 */
function firstToken(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('--', i)) { const nl = text.indexOf('\n', i); i = nl < 0 ? text.length : nl + 1; continue; }
    if (text.startsWith('/*', i)) { const end = text.indexOf('*/', i + 2); i = end < 0 ? text.length : end + 2; continue; }
    return i;
  }
}

export interface LintOptions {
  /** The file runs inside a transaction its migration tool opens (Prisma, Drizzle, Flyway). */
  implicitTransaction?: boolean;
  rules?: readonly Rule[];
}

export async function lintSql(file: string, sql: string, options: LintOptions = {}): Promise<Finding[]> {
  const { parse } = await parser();
  const bytes = Buffer.from(sql, 'utf8');
  const byteText = bytes.toString('latin1');
  let tree: { stmts?: { stmt: Record<string, any>; stmt_location?: number }[] };
  try {
    tree = await parse(sql);
  } catch (err) {
    const pos = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    return [{
      file, line: pos === undefined ? 1 : lineOf(bytes, pos), rule: 'syntax-error', severity: 'error',
      message: (err as Error).message, problem: 'PostgreSQL cannot parse this file, so it would fail when applied', fix: 'fix the SQL syntax',
    }];
  }
  const state = newState(options.implicitTransaction ?? false);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const { stmt, stmt_location } of tree.stmts ?? []) {
    const start = firstToken(byteText, stmt_location ?? 0);
    for (const rule of options.rules ?? allRules) {
      if (rule.oncePerFile && seen.has(rule.id)) continue;
      for (const hit of rule.check(stmt, state)) {
        if (rule.oncePerFile && seen.has(rule.id)) break;
        seen.add(rule.id);
        findings.push({
          file, line: lineOf(bytes, hit.location ?? start), rule: rule.id, severity: rule.severity,
          message: hit.message, problem: rule.problem, fix: rule.fix,
        });
      }
    }
    advance(state, stmt);
  }
  return findings;
}
