import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { columnMustExist, columnNotChangedYet, tableMustExist } from './lib/checks.js';
import { findColumn } from '../model.js';

const fields = z.strictObject({ table: identifier, column: identifier, down: z.string().min(1).optional() });

type DropColumn = z.infer<typeof fields>;

export default {
  name: 'drop_column',
  fields,
  describe: (op) => ({
    summary: `drop column ${op.table}.${op.column}`,
    strategy: 'hidden from the new version at start' + (op.down ? '; `down` fills it for rows new clients write' : '') + '; dropped at complete',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    columnMustExist(model, op.table, op.column, 'column', issues);
    columnNotChangedYet(model, op.table, op.column, 'column', issues);
    const col = findColumn(model.tables.get(op.table), op.column);
    if (col && !col.nullable && col.default === null && !op.down) {
      issues.push({
        field: 'down',
        message: `column "${op.column}" is NOT NULL without a default: new clients cannot insert rows unless \`down\` provides its value`,
      });
    }
    return issues;
  },
  apply(op, model) {
    const t = model.tables.get(op.table);
    if (t) t.columns = t.columns.filter((c) => c.name !== op.column);
  },
  start(op, ctx) {
    const physical = findColumn(ctx.model.tables.get(op.table), op.column)?.physical ?? op.column;
    return { steps: [], dualWrites: op.down ? [{ table: op.table, target: physical, expression: op.down, direction: 'down' }] : [] };
  },
  complete(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    return [
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} DROP COLUMN IF EXISTS ${ident(findColumn(t, op.column)?.physical ?? op.column)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'instant (the space is reclaimed by later rewrites)',
      },
    ];
  },
  rollback: () => [],
} satisfies Operation<DropColumn>;
