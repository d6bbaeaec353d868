// Follows what a file has done so far (transactions, lock_timeout, tables it created,
// validated NOT NULL checks), so that rules can judge each statement in its context.
import { alterCommands, notNullColumn, relationName } from './ast.js';
import type { LintState, Statement } from './rule.js';

export function advance(state: LintState, stmt: Statement): void {
  const tx = stmt.TransactionStmt;
  if (tx) {
    if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') state.inTransaction = true;
    if (tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_ROLLBACK') state.inTransaction = false;
  }
  const set = stmt.VariableSetStmt;
  if (set?.name === 'lock_timeout') state.lockTimeoutSet = set.kind !== 'VAR_RESET';
  if (stmt.CreateStmt) state.createdTables.add(relationName(stmt.CreateStmt.relation));
  for (const { table, cmd } of alterCommands(stmt)) {
    const c = cmd.def?.Constraint;
    if (cmd.subtype === 'AT_AddConstraint' && c?.contype === 'CONSTR_CHECK') {
      const col = notNullColumn(c.raw_expr);
      if (col && c.conname) state.notNullChecks.set(c.conname, `${table}.${col}`);
      if (col && !c.skip_validation) state.validatedNotNull.add(`${table}.${col}`);
    }
    if (cmd.subtype === 'AT_ValidateConstraint') {
      const col = state.notNullChecks.get(cmd.name);
      if (col) state.validatedNotNull.add(col);
    }
  }
}

export function transactional(state: LintState): boolean {
  return state.inTransaction || state.implicitTransaction;
}
