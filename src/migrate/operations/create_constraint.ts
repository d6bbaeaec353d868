import { z } from 'zod';
import { defineOperation, type Issue, type Step } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './fields.js';
import { columnMustExist, tableMustExist } from './checks.js';
import { findColumn } from '../model.js';

const fields = z.strictObject({
  table: identifier,
  name: identifier,
  type: z.enum(['unique', 'check', 'foreign_key']),
  columns: z.array(identifier).min(1),
  check: z.string().min(1).optional(),
  references: z.strictObject({
    table: identifier,
    columns: z.array(identifier).min(1),
    on_delete: z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']).optional(),
  }).optional(),
});

export default defineOperation({
  name: 'create_constraint',
  fields,
  describe: (op) => ({
    summary: `create ${op.type} constraint ${op.name} on ${op.table} (${op.columns.join(', ')})`,
    strategy: op.type === 'unique'
      ? 'unique index built concurrently, attached as the constraint at complete'
      : 'added NOT VALID (new writes checked at once), validated at complete without blocking writes',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    const t = tableMustExist(model, op.table, 'table', issues);
    op.columns.forEach((c, i) => columnMustExist(model, op.table, c, `columns[${i}]`, issues));
    if (t?.constraints.has(op.name)) issues.push({ field: 'name', message: `constraint "${op.name}" already exists on table "${op.table}"` });
    if (op.type === 'check' && !op.check) issues.push({ field: 'check', message: 'a check constraint needs `check` (the expression)' });
    if (op.type === 'foreign_key') {
      if (!op.references) issues.push({ field: 'references', message: 'a foreign key needs `references`' });
      else {
        tableMustExist(model, op.references.table, 'references.table', issues);
        op.references.columns.forEach((c, i) => columnMustExist(model, op.references!.table, c, `references.columns[${i}]`, issues));
        if (op.references.columns.length !== op.columns.length) issues.push({ field: 'references.columns', message: 'needs as many columns as `columns`' });
      }
    }
    return issues;
  },
  apply(op, model) {
    model.tables.get(op.table)?.constraints.add(op.name);
  },
  start(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const cols = op.columns.map((c) => ident(findColumn(t, c)?.physical ?? c)).join(', ');
    const qt = qualified(ctx.schema, table);
    let step: Step;
    if (op.type === 'unique') {
      step = {
        sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${ident(op.name)} ON ${qt} (${cols})`,
        lock: 'SHARE UPDATE EXCLUSIVE', table, effect: 'scans table', stage: 'after', index: op.name,
        why: 'the index is built without blocking writes, not under the ALTER TABLE lock',
      };
    } else if (op.type === 'check') {
      step = {
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} CHECK (${op.check}) NOT VALID`,
        lock: 'ACCESS EXCLUSIVE', table, effect: 'catalog only', why: 'NOT VALID: no scan under the lock',
      };
    } else {
      const r = op.references!;
      const rt = ctx.model.tables.get(r.table);
      const rcols = r.columns.map((c) => ident(findColumn(rt, c)?.physical ?? c)).join(', ');
      step = {
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} FOREIGN KEY (${cols}) REFERENCES ${qualified(ctx.schema, rt?.physical ?? r.table)} (${rcols})${r.on_delete ? ` ON DELETE ${r.on_delete}` : ''} NOT VALID`,
        lock: 'SHARE ROW EXCLUSIVE', table, effect: 'catalog only', why: 'NOT VALID: no scan; briefly locks both tables',
      };
    }
    return { steps: [step] };
  },
  complete(op, ctx) {
    const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
    const qt = qualified(ctx.schema, table);
    if (op.type === 'unique') {
      return [{
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} UNIQUE USING INDEX ${ident(op.name)}`,
        lock: 'ACCESS EXCLUSIVE', table, effect: 'catalog only', why: 'reuses the index built concurrently',
      }];
    }
    return [{
      sql: `ALTER TABLE ${qt} VALIDATE CONSTRAINT ${ident(op.name)}`,
      lock: 'SHARE UPDATE EXCLUSIVE', table, effect: 'scans table', stage: 'before', why: 'checks existing rows while reads and writes go on',
    }];
  },
  rollback(op, ctx) {
    const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
    if (op.type === 'unique') {
      return [{
        sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`,
        lock: 'SHARE UPDATE EXCLUSIVE', table, effect: 'catalog only', stage: 'before', why: 'does not block reads or writes',
      }];
    }
    return [{
      sql: `ALTER TABLE IF EXISTS ${qualified(ctx.schema, table)} DROP CONSTRAINT IF EXISTS ${ident(op.name)}`,
      lock: 'ACCESS EXCLUSIVE', table, effect: 'catalog only', why: 'instant',
    }];
  },
});
