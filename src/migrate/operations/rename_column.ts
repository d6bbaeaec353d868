import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { columnMustExist, columnMustNotExist, columnNotChangedYet, nameIsNotReserved, tableMustExist } from './lib/checks.js';
import { findColumn } from '../model.js';

const fields = z.strictObject({ table: identifier, from: identifier, to: identifier });

type RenameColumn = z.infer<typeof fields>;

export default {
  name: 'rename_column',
  fields,
  describe: (op) => ({
    summary: `rename column ${op.table}.${op.from} to ${op.to}`,
    strategy: 'the new version view exposes the new name; the column is renamed at complete',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    columnMustExist(model, op.table, op.from, 'from', issues);
    columnNotChangedYet(model, op.table, op.from, 'from', issues);
    columnMustNotExist(model, op.table, op.to, 'to', issues);
    nameIsNotReserved(op.to, 'to', issues);
    return issues;
  },
  apply(op, model) {
    const t = model.tables.get(op.table);
    const c = findColumn(t, op.from);
    if (c) c.name = op.to;
    if (t) t.primaryKey = t.primaryKey.map((k) => (k === op.from ? op.to : k));
  },
  start: () => ({ steps: [] }),
  complete(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    return [
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} RENAME COLUMN ${ident(findColumn(t, op.from)?.physical ?? op.from)} TO ${ident(op.to)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'instant; only the new version reads the table by then',
      },
    ];
  },
  rollback: () => [],
} satisfies Operation<RenameColumn>;
