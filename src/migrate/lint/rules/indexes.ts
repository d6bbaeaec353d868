import { relationName } from '../ast.js';
import type { Rule } from '../rule.js';
import { transactional } from '../state.js';

export const requireConcurrentIndexCreation: Rule = {
  id: 'require-concurrent-index-creation',
  severity: 'error',
  problem: 'CREATE INDEX without CONCURRENTLY takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits until the index is built',
  fix: 'CREATE INDEX CONCURRENTLY, outside a transaction; sundial\'s `create_index` does this and drops an INVALID leftover on failure',
  check(stmt, state) {
    const i = stmt.IndexStmt;
    if (!i || i.concurrent || state.createdTables.has(relationName(i.relation))) return [];
    return [{ location: i.relation?.location, message: `index ${i.idxname ? `"${i.idxname}" ` : ''}on "${relationName(i.relation)}" is built without CONCURRENTLY` }];
  },
};

export const banConcurrentIndexCreationInTransaction: Rule = {
  id: 'ban-concurrent-index-creation-in-transaction',
  severity: 'error',
  problem: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the migration fails (Prisma, Drizzle and Flyway run each file in one)',
  fix: 'run it on its own, outside a transaction (a separate migration file without a transaction); sundial\'s `create_index` runs it outside one',
  check(stmt, state) {
    const i = stmt.IndexStmt;
    if (!i?.concurrent || !transactional(state)) return [];
    return [{ location: i.relation?.location, message: `CREATE INDEX CONCURRENTLY on "${relationName(i.relation)}" inside a transaction${state.inTransaction ? '' : ' (this migration tool wraps each file in one)'}` }];
  },
};
