import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { nameIsNotReserved, tableMustExist } from './lib/checks.js';

const fields = z.strictObject({ table: identifier, from: identifier, to: identifier });
type RenameConstraint = z.infer<typeof fields>;

export default {
  name: 'rename_constraint',
  fields,
  describe: (op) => ({
    summary: `rename constraint ${op.from} on ${op.table} to ${op.to}`,
    strategy: 'keeps its name while the old version runs; renamed at complete (instant)',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    const t = tableMustExist(model, op.table, 'table', issues);
    if (t && model.known && !t.constraints.has(op.from))
      issues.push({ field: 'from', message: `constraint "${op.from}" does not exist on table "${op.table}"` });
    if (t?.constraints.has(op.to)) issues.push({ field: 'to', message: `constraint "${op.to}" already exists on table "${op.table}"` });
    nameIsNotReserved(op.to, 'to', issues);
    return issues;
  },
  apply(op, model) {
    const t = model.tables.get(op.table);
    const k = t?.constraints.get(op.from);
    if (!t || !k) return;
    t.constraints.delete(op.from);
    t.constraints.set(op.to, { ...k, name: op.to });
  },
  start: () => ({ steps: [] }),
  complete(op, ctx) {
    const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
    return [
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} RENAME CONSTRAINT ${ident(op.from)} TO ${ident(op.to)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'instant',
      },
    ];
  },
  rollback: () => [],
} satisfies Operation<RenameConstraint>;
