// Follows what the migration set has done so far (transactions, timeouts, tables it created,
// NOT VALID constraints and their validation), so that rules can judge each statement in
// its context. Runs after every rule has seen the statement.
import { alterCommands, notNullColumn, relationName } from './ast.js';
import type { LintState, Statement } from './rule.js';

export function advance(state: LintState, stmt: Statement): void {
  const tx = stmt.TransactionStmt;
  if (tx) {
    if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') {
      state.inTransaction = true;
    }
    if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(tx.kind)) {
      state.inTransaction = false;
      state.notValidInTransaction.clear();
    }
  }
  const set = stmt.VariableSetStmt;
  if (set?.name === 'lock_timeout') state.lockTimeoutSet = set.kind !== 'VAR_RESET' && !isZero(set);
  if (set?.name === 'statement_timeout') state.statementTimeoutSet = set.kind !== 'VAR_RESET' && !isZero(set);
  if (stmt.CreateStmt) state.createdTables.add(relationName(stmt.CreateStmt.relation));
  if (stmt.CreateTableAsStmt) state.createdTables.add(relationName(stmt.CreateTableAsStmt.into?.rel));
  if (stmt.RenameStmt?.renameType === 'OBJECT_TABLE' && state.createdTables.has(relationName(stmt.RenameStmt.relation)))
    state.createdTables.add(stmt.RenameStmt.newname);
  for (const { table, cmd } of alterCommands(stmt)) {
    const c = cmd.def?.Constraint;
    if (cmd.subtype === 'AT_AddConstraint' && c) {
      if (c.skip_validation && c.conname && transactionalNow(state)) state.notValidInTransaction.add(c.conname);
      if (c.contype === 'CONSTR_CHECK') {
        const col = notNullColumn(c.raw_expr);
        if (col && c.conname) state.notNullChecks.set(c.conname, `${table}.${col}`);
        if (col && !c.skip_validation) state.validatedNotNull.add(`${table}.${col}`);
      }
    }
    if (cmd.subtype === 'AT_ValidateConstraint') {
      const col = state.notNullChecks.get(cmd.name);
      if (col) state.validatedNotNull.add(col);
    }
  }
}

function isZero(set: any): boolean {
  const v = set.args?.[0]?.A_Const;
  return v?.ival !== undefined ? (v.ival.ival ?? 0) === 0 : v?.sval?.sval === '0';
}

function transactionalNow(state: LintState): boolean {
  return state.inTransaction || state.implicitTransaction;
}

export function transactional(state: LintState): boolean {
  return state.inTransaction || state.implicitTransaction;
}
