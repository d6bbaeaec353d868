import { alterCommands, relationName } from '../ast.js';
import type { Rule, Statement, LintState } from '../rule.js';

/** Statements that take a lock strong enough to queue every query behind them on an existing table. */
function locksExistingTable(stmt: Statement, state: LintState): { table: string; location?: number } | undefined {
  const alter = alterCommands(stmt).find((a) => !state.createdTables.has(a.table));
  if (alter) return alter;
  if (stmt.RenameStmt && !state.createdTables.has(relationName(stmt.RenameStmt.relation))) return { table: relationName(stmt.RenameStmt.relation), location: stmt.RenameStmt.relation?.location };
  if (stmt.IndexStmt && !stmt.IndexStmt.concurrent && !state.createdTables.has(relationName(stmt.IndexStmt.relation))) return { table: relationName(stmt.IndexStmt.relation), location: stmt.IndexStmt.relation?.location };
  if (stmt.DropStmt?.removeType === 'OBJECT_TABLE') return { table: 'a table' };
  return undefined;
}

export const requireLockTimeout: Rule = {
  id: 'require-lock-timeout',
  severity: 'warning',
  problem: 'a DDL statement waiting for its lock (behind one long transaction) blocks every later query on the table: a short ALTER becomes an outage',
  fix: 'SET lock_timeout = \'500ms\' first, and retry on failure; every sundial operation runs under lock_timeout with retries',
  oncePerFile: true,
  check(stmt, state) {
    if (state.lockTimeoutSet) return [];
    const hit = locksExistingTable(stmt, state);
    return hit ? [{ location: hit.location, message: `DDL on ${hit.table.startsWith('a ') ? hit.table : `"${hit.table}"`} without a lock_timeout set earlier in the file` }] : [];
  },
};
