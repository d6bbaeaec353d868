import { z } from 'zod';
import { defineOperation, type Issue } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './fields.js';
import { columnMustExist, tableMustExist } from './checks.js';
import { findColumn } from '../model.js';

const fields = z.strictObject({
  name: identifier,
  table: identifier,
  columns: z.array(identifier).min(1),
  unique: z.boolean().optional(),
  method: z.enum(['btree', 'hash', 'gist', 'spgist', 'gin', 'brin']).optional(),
  predicate: z.string().optional(),
});

export default defineOperation({
  name: 'create_index',
  fields,
  describe: (op) => ({ summary: `create ${op.unique ? 'unique ' : ''}index ${op.name} on ${op.table} (${op.columns.join(', ')})`, strategy: 'CREATE INDEX CONCURRENTLY outside a transaction; an INVALID leftover is dropped on failure' }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    op.columns.forEach((c, i) => columnMustExist(model, op.table, c, `columns[${i}]`, issues));
    if (model.indexes.has(op.name)) issues.push({ field: 'name', message: `index "${op.name}" already exists` });
    return issues;
  },
  apply(op, model) {
    model.indexes.add(op.name);
  },
  start(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const cols = op.columns.map((c) => ident(findColumn(t, c)?.physical ?? c)).join(', ');
    const using = op.method ? ` USING ${op.method}` : '';
    const where = op.predicate ? ` WHERE ${op.predicate}` : '';
    return {
      steps: [{
        sql: `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${ident(op.name)} ON ${qualified(ctx.schema, table)}${using} (${cols})${where}`,
        lock: 'SHARE UPDATE EXCLUSIVE', table, effect: 'scans table', stage: 'after', index: op.name,
        why: 'reads and writes go on while the index builds',
      }],
    };
  },
  complete: () => [],
  rollback: (op, ctx) => [{
    sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`,
    lock: 'SHARE UPDATE EXCLUSIVE', table: op.table, effect: 'catalog only', stage: 'before', why: 'does not block reads or writes',
  }],
});
