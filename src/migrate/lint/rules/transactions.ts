import type { Rule } from '../rule.js';

export const transactionNesting: Rule = {
  id: 'transaction-nesting',
  severity: 'error',
  problem:
    'a BEGIN inside an open transaction does not nest: PostgreSQL warns and carries on, so the inner COMMIT commits everything early and what follows runs outside any transaction',
  fix: 'one BEGIN ... COMMIT per migration, or none when the migration tool opens the transaction itself',
  check(stmt, state) {
    const tx = stmt.TransactionStmt;
    if (!tx || !['TRANS_STMT_BEGIN', 'TRANS_STMT_START'].includes(tx.kind)) return [];
    if (state.inTransaction) return [{ message: 'BEGIN inside a transaction that is already open' }];
    if (state.implicitTransaction) return [{ message: 'BEGIN inside the transaction the migration tool opens for this file' }];
    return [];
  },
};

export const banUncommittedTransaction: Rule = {
  id: 'ban-uncommitted-transaction',
  severity: 'error',
  problem:
    'a BEGIN with no COMMIT leaves the transaction open: the tool or session may roll it all back at the end, or hold its locks until the connection closes',
  fix: 'end every BEGIN with COMMIT (or ROLLBACK) in the same file',
  check() {
    return [];
  },
  finish(state) {
    return state.inTransaction ? [{ location: state.beginLocation, message: 'BEGIN is never committed or rolled back in this file' }] : [];
  },
};
