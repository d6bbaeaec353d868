// A constraint or index written against a column must, while a migration is in flight,
// hold on the temporary column that replaces it. These rewrite the catalog's own
// definitions (pg_get_constraintdef, pg_get_indexdef), replacing the bare or quoted column
// name and leaving string literals and qualified names alone.
import { ident } from '../../sql.js';

function renameInExpression(expression: string, from: string, to: string): string {
  const parts = expression.split(/('(?:[^']|'')*')/);
  const bare = new RegExp(`(?<![\\w."])${escape(from)}(?![\\w"])`, 'g');
  const quoted = new RegExp(escape(ident(from)), 'g');
  return parts.map((part, i) => (i % 2 === 1 ? part : part.replace(quoted, ident(to)).replace(bare, ident(to)))).join('');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NOT_VALID = /\s+NOT VALID$/;

/** A check expression (as a user writes it) moved onto another column. */
export function expressionOnColumn(expression: string, from: string, to: string): string {
  return renameInExpression(expression, from, to);
}

/** `CHECK ((length(a) > 1)) NO INHERIT` on `a` becomes the same on `to`. */
export function checkOnColumn(definition: string, from: string, to: string): string {
  return renameInExpression(definition.replace(NOT_VALID, ''), from, to);
}

/** `FOREIGN KEY (a, b) REFERENCES p(x, y) ON DELETE CASCADE`: only the local column list changes. */
export function foreignKeyOnColumn(definition: string, from: string, to: string): string {
  const m = /^FOREIGN KEY \((.*?)\)(.*)$/s.exec(definition.replace(NOT_VALID, ''));
  if (!m) throw new Error(`unexpected foreign key definition: ${definition}`);
  return `FOREIGN KEY (${renameInExpression(m[1], from, to)})${m[2]}`;
}

/**
 * `CREATE [UNIQUE] INDEX name ON schema.t USING method (keys) [INCLUDE] [WITH] [WHERE]`,
 * rebuilt concurrently under another name with the column replaced in keys, INCLUDE and WHERE.
 */
export function indexOnColumn(definition: string, name: string, table: string, from: string, to: string): string {
  const m = /^CREATE (UNIQUE )?INDEX .+? ON (?:ONLY )?.+? USING (\S+) (\(.*)$/s.exec(definition);
  if (!m) throw new Error(`unexpected index definition: ${definition}`);
  return `CREATE ${m[1] ?? ''}INDEX CONCURRENTLY IF NOT EXISTS ${ident(name)} ON ${table} USING ${m[2]} ${renameInExpression(m[3], from, to)}`;
}
