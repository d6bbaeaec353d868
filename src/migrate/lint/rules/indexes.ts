import { dropNames, hasDefElem, relationName } from '../ast.js';
import type { LintState, Rule, Statement } from '../rule.js';
import { transactional } from '../state.js';

export const requireConcurrentIndexCreation: Rule = {
  id: 'require-concurrent-index-creation',
  severity: 'error',
  problem: 'CREATE INDEX without CONCURRENTLY takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits until the index is built',
  fix: "CREATE INDEX CONCURRENTLY, outside a transaction; sundial's `create_index` does this and drops an INVALID leftover on failure",
  check(stmt, state) {
    const i = stmt.IndexStmt;
    if (!i || i.concurrent || state.createdTables.has(relationName(i.relation))) return [];
    return [
      { location: i.relation?.location, message: `index ${i.idxname ? `"${i.idxname}" ` : ''}on "${relationName(i.relation)}" is built without CONCURRENTLY` },
    ];
  },
};

export const requireConcurrentIndexDeletion: Rule = {
  id: 'require-concurrent-index-deletion',
  severity: 'error',
  problem: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait, and queue behind any long query',
  fix: "DROP INDEX CONCURRENTLY, outside a transaction; sundial's `drop_index` does this",
  check(stmt) {
    const d = stmt.DropStmt;
    if (d?.removeType !== 'OBJECT_INDEX' || d.concurrent) return [];
    return [
      {
        message: `index ${dropNames(d)
          .map((n) => `"${n}"`)
          .join(', ')} is dropped without CONCURRENTLY`,
      },
    ];
  },
};

export const requireConcurrentReindex: Rule = {
  id: 'require-concurrent-reindex',
  severity: 'error',
  problem: 'REINDEX without CONCURRENTLY locks out writes to the table (and reads that would use the index) until the rebuild ends',
  fix: 'REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction; or build a new index with `create_index` and drop the old one with `drop_index`',
  check(stmt, state) {
    const r = stmt.ReindexStmt;
    if (!r || hasDefElem(r.params, 'concurrently')) return [];
    return [
      {
        location: r.relation?.location,
        message: `REINDEX of ${r.relation ? `"${relationName(r.relation)}"` : r.name ? `"${r.name}"` : 'the database'} without CONCURRENTLY${state.pgVersion < 12 ? ' (CONCURRENTLY needs PostgreSQL 12)' : ''}`,
      },
    ];
  },
};

/** Statements PostgreSQL refuses to run inside a transaction block. */
export function nonTransactional(stmt: Statement, pgVersion = 12): string | undefined {
  if (stmt.IndexStmt?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  if (stmt.DropStmt?.concurrent) return 'DROP INDEX CONCURRENTLY';
  if (stmt.ReindexStmt && hasDefElem(stmt.ReindexStmt.params, 'concurrently')) return 'REINDEX CONCURRENTLY';
  if (stmt.VacuumStmt?.is_vacuumcmd) return 'VACUUM';
  if (stmt.CreatedbStmt) return 'CREATE DATABASE';
  if (stmt.DropdbStmt) return 'DROP DATABASE';
  if (stmt.AlterEnumStmt?.newVal && pgVersion < 12) return 'ALTER TYPE ... ADD VALUE (before PostgreSQL 12)';
  if (stmt.AlterSystemStmt) return 'ALTER SYSTEM';
  return undefined;
}

export const banConcurrentIndexCreationInTransaction: Rule = {
  id: 'ban-concurrent-index-creation-in-transaction',
  severity: 'error',
  problem:
    'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and VACUUM cannot run inside a transaction block: the migration fails (some tools wrap every file in one)',
  fix: "run it on its own, outside a transaction (a separate migration the tool runs without one); sundial's `create_index` and `drop_index` run outside one",
  check(stmt, state: LintState) {
    const what = nonTransactional(stmt, state.pgVersion);
    if (!what || !transactional(state)) return [];
    const table = stmt.IndexStmt ? ` on "${relationName(stmt.IndexStmt.relation)}"` : '';
    return [
      {
        location: stmt.IndexStmt?.relation?.location,
        message: `${what}${table} inside a transaction${state.inTransaction ? '' : ' (the migration tool wraps this file in one)'}`,
      },
    ];
  },
};
