// Lints a migration set with PostgreSQL's own parser (libpg-query), statement by statement,
// in the tool's order, so that rules can see what came before: BEGIN, SET lock_timeout, the
// tables created and the constraints validated in earlier files.
import * as pgParser from 'libpg-query';
import type { Finding } from './finding.js';
import type { Rule } from './rule.js';
import { newState, nextFile } from './rule.js';
import { rules as allRules } from './rules/index.js';
import { nonTransactional } from './rules/indexes.js';
import type { MigrationFile, MigrationSet, SqlChunk } from './source.js';
import { splitStatements } from './split.js';
import { advance } from './state.js';
import { applyDirectives } from './directives.js';

export type { Finding } from './finding.js';

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
 * `text` is the SQL decoded as latin1, one character per byte, so offsets stay byte offsets.
 */
function firstToken(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    return i;
  }
}

export interface LintOptions {
  /** The file runs inside a transaction its migration tool opens (Prisma, Drizzle, Flyway). */
  implicitTransaction?: boolean;
  rules?: readonly Rule[];
  /** Target PostgreSQL major version (default 12). */
  pgVersion?: number;
}

/** One statement of a chunk, with byte offsets into the chunk. */
interface Parsed {
  stmt?: Record<string, any>;
  start: number;
  base: number;
  error?: string;
  errorAt?: number;
}

async function parseChunk(sql: string, byteText: string): Promise<Parsed[]> {
  const { parseSync } = await parser();
  try {
    const tree = parseSync(sql);
    return (tree.stmts ?? []).map((s: any) => ({ stmt: s.stmt, start: firstToken(byteText, s.stmt_location ?? 0), base: 0 }));
  } catch {
    // One statement is bad: parse them one by one so the others are still checked.
    const out: Parsed[] = [];
    for (const piece of splitStatements(byteText)) {
      const text = Buffer.from(byteText.slice(piece.start, piece.end), 'latin1').toString('utf8');
      const start = firstToken(byteText, piece.start);
      try {
        for (const s of parseSync(text).stmts ?? [])
          out.push({ stmt: s.stmt, start: firstToken(byteText, piece.start + (s.stmt_location ?? 0)), base: piece.start });
      } catch (err) {
        const pos = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
        out.push({ start, base: piece.start, error: (err as Error).message, errorAt: pos === undefined ? start : piece.start + Math.max(0, pos - 1) });
      }
    }
    return out;
  }
}

export interface SetResult {
  findings: Finding[];
  files: number;
  statements: number;
}

export async function lintSet(set: MigrationSet, options: LintOptions = {}): Promise<SetResult> {
  const rules = options.rules ?? allRules;
  const state = newState(false, options.pgVersion ?? 12);
  const findings: Finding[] = [];
  let statements = 0;
  for (const file of set.files) {
    const parsedChunks: { chunk: SqlChunk; bytes: Buffer; parsed: Parsed[] }[] = [];
    for (const chunk of file.chunks) {
      const bytes = Buffer.from(chunk.sql, 'utf8');
      parsedChunks.push({ chunk, bytes, parsed: await parseChunk(chunk.sql, bytes.toString('latin1')) });
    }
    nextFile(
      state,
      implicitTransaction(
        file,
        parsedChunks.flatMap((c) => c.parsed),
        state.pgVersion,
      ),
    );
    const fileImplicit = state.implicitTransaction;
    const fileFindings: Finding[] = [...(file.findings ?? [])];
    const statementLines: number[] = [];
    const seen = new Set<string>();
    let lastLine = 1;
    for (const { chunk, bytes, parsed } of parsedChunks) {
      const lineAt = (offset: number) => (chunk.pinned ? chunk.line : chunk.line + lineOf(bytes, offset) - 1);
      state.implicitTransaction = fileImplicit && !chunk.outsideTransaction;
      for (const p of parsed) {
        statements++;
        const stmtLine = lineAt(p.start);
        statementLines.push(stmtLine);
        lastLine = stmtLine;
        if (p.error) {
          fileFindings.push({
            file: file.path,
            line: lineAt(p.errorAt ?? p.start),
            rule: 'syntax-error',
            severity: 'error',
            message: p.error,
            problem: 'PostgreSQL cannot parse this statement, so the migration fails when it reaches it',
            fix: 'fix the SQL syntax',
          });
          continue;
        }
        const stmt = p.stmt!;
        for (const rule of rules) {
          if (rule.oncePerFile && seen.has(rule.id)) continue;
          for (const hit of rule.check(stmt, state)) {
            if (rule.oncePerFile && seen.has(rule.id)) break;
            seen.add(rule.id);
            fileFindings.push({
              file: file.path,
              line: hit.location === undefined ? stmtLine : lineAt(p.base + hit.location),
              rule: rule.id,
              severity: rule.severity,
              message: hit.message,
              problem: rule.problem,
              fix: rule.fix,
            });
          }
        }
        const wasInTransaction = state.inTransaction;
        advance(state, stmt);
        if (!wasInTransaction && state.inTransaction) state.beginLocation = stmtLine;
      }
    }
    for (const rule of rules) {
      for (const hit of rule.finish?.(state) ?? []) {
        fileFindings.push({
          file: file.path,
          line: state.beginLocation ?? lastLine,
          rule: rule.id,
          severity: rule.severity,
          message: hit.message,
          problem: rule.problem,
          fix: rule.fix,
        });
      }
    }
    findings.push(...applyDirectives(file, fileFindings, statementLines).sort((a, b) => a.line - b.line));
  }
  return { findings, files: set.files.length, statements };
}

function implicitTransaction(file: MigrationFile, parsed: Parsed[], pgVersion: number): boolean {
  if (file.transactional !== 'unless-non-transactional') return file.transactional;
  // Flyway runs a migration without a transaction when it holds a statement that cannot run in one.
  return !parsed.some((p) => p.stmt && nonTransactional(p.stmt, pgVersion));
}

/** Lints one SQL text as a file of its own. */
export async function lintSql(file: string, sql: string, options: LintOptions = {}): Promise<Finding[]> {
  const set: MigrationSet = {
    tool: 'sql',
    files: [{ path: file, transactional: options.implicitTransaction ?? false, chunks: [{ sql, line: 1 }], text: sql }],
  };
  return (await lintSet(set, options)).findings;
}
