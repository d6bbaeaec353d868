import { alterCommands, dropNames, referencedTables, relationName } from '../ast.js';
import type { LintState, Rule, Statement } from '../rule.js';

/**
 * A statement that takes a lock on something that already exists (a table, an index, a
 * type, a domain), where waiting for the lock queues every later query behind it. Work on
 * tables created earlier in the set is exempt: nobody else uses them yet.
 */
export function takesLock(stmt: Statement, state: LintState): { what: string; location?: number } | undefined {
  const existing = (t: string) => t !== '' && !state.createdTables.has(t);
  const alter = alterCommands(stmt).find((a) => existing(a.table));
  if (alter) return { what: `ALTER TABLE "${alter.table}"`, location: alter.location };
  if (stmt.AlterTableStmt && stmt.AlterTableStmt.objtype !== 'OBJECT_TABLE') return { what: 'ALTER', location: stmt.AlterTableStmt.relation?.location };
  const r = stmt.RenameStmt;
  if (r && (r.relation ? existing(relationName(r.relation)) : true)) return { what: 'RENAME', location: r.relation?.location };
  const i = stmt.IndexStmt;
  if (i && !i.concurrent && existing(relationName(i.relation)))
    return { what: `CREATE INDEX on "${relationName(i.relation)}"`, location: i.relation?.location };
  const d = stmt.DropStmt;
  if (d && !d.concurrent && (d.removeType !== 'OBJECT_TABLE' || dropNames(d).some(existing))) return { what: 'DROP' };
  if (stmt.CreateStmt && referencedTables(stmt.CreateStmt).some(existing))
    return { what: `CREATE TABLE referencing "${referencedTables(stmt.CreateStmt).find(existing)}"` };
  for (const [node, what] of [
    ['CommentStmt', 'COMMENT ON'],
    ['LockStmt', 'LOCK TABLE'],
    ['CreateEnumStmt', 'CREATE TYPE'],
    ['CompositeTypeStmt', 'CREATE TYPE'],
    ['CreateDomainStmt', 'CREATE DOMAIN'],
    ['AlterEnumStmt', 'ALTER TYPE'],
    ['AlterDomainStmt', 'ALTER DOMAIN'],
    ['TruncateStmt', 'TRUNCATE'],
    ['CreateTrigStmt', 'CREATE TRIGGER'],
    ['ClusterStmt', 'CLUSTER'],
    ['AlterObjectSchemaStmt', 'ALTER ... SET SCHEMA'],
    ['AlterSeqStmt', 'ALTER SEQUENCE'],
  ] as const) {
    if (stmt[node]) return { what };
  }
  if (stmt.ReindexStmt && !(stmt.ReindexStmt.params ?? []).some((p: any) => p.DefElem?.defname === 'concurrently')) return { what: 'REINDEX' };
  if (stmt.VacuumStmt?.is_vacuumcmd && (stmt.VacuumStmt.options ?? []).some((o: any) => o.DefElem?.defname === 'full')) return { what: 'VACUUM FULL' };
  return undefined;
}

export const requireLockTimeout: Rule = {
  id: 'require-lock-timeout',
  severity: 'warning',
  problem: 'a statement waiting for its lock (behind one long transaction) blocks every later query on the object: a short ALTER becomes an outage',
  fix: "SET lock_timeout = '500ms' first, and retry on failure; every sundial operation runs under lock_timeout with retries",
  oncePerFile: true,
  check(stmt, state) {
    if (state.lockTimeoutSet) return [];
    const hit = takesLock(stmt, state);
    return hit ? [{ location: hit.location, message: `${hit.what} without a lock_timeout set earlier in the file` }] : [];
  },
};

export const requireStatementTimeout: Rule = {
  id: 'require-statement-timeout',
  severity: 'warning',
  problem:
    'a locking statement that runs long (a scan, a rewrite) holds its lock for as long as it runs: without statement_timeout nothing stops it before the application times out',
  fix: "SET statement_timeout (e.g. '5s') before the DDL; long work belongs in sundial's batched backfill (`add_column` / `alter_column` with `up`), not in one statement",
  oncePerFile: true,
  check(stmt, state) {
    if (state.statementTimeoutSet) return [];
    const hit = takesLock(stmt, state);
    return hit ? [{ location: hit.location, message: `${hit.what} without a statement_timeout set earlier in the file` }] : [];
  },
};
