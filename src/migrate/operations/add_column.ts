import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { tempColumn } from '../sql.js';
import { columnField, identifier } from './lib/fields.js';
import { columnMustNotExist, nameIsNotReserved, primaryKeyForBackfill, tableMustExist } from './lib/checks.js';
import { type ShadowColumn, shadowDrop, shadowPromote, shadowStart, shadowValidate } from './lib/shadow-column.js';
import type { OpContext } from '../operation.js';

const fields = z.strictObject({ table: identifier, column: columnField, up: z.string().min(1).optional() });
type AddColumn = z.infer<typeof fields>;

/** serial types fill themselves from their sequence: pgroll needs no `up` for them either. */
const SERIAL = /^(small|big)?serial$/i;

function shadow(op: AddColumn, ctx: OpContext): ShadowColumn {
  const c = op.column;
  return {
    schema: ctx.schema,
    table: ctx.model.tables.get(op.table)?.physical ?? op.table,
    column: c.name,
    temp: tempColumn(c.name),
    type: c.type,
    nullable: c.nullable,
    default: c.default,
    comment: c.comment,
    check: c.check,
    unique: c.unique ? { name: `${op.table}_${c.name}_key` } : undefined,
    references: c.references,
    backfilled: op.up !== undefined,
  };
}

export default {
  name: 'add_column',
  fields,
  describe: (op) => ({
    summary: `add column ${op.table}.${op.column.name} ${op.column.type}${op.column.nullable ? '' : ' NOT NULL'}`,
    strategy: op.up ? 'temporary column, filled by `up` through a trigger and a batched backfill' : 'temporary column, renamed at complete',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    columnMustNotExist(model, op.table, op.column.name, 'column.name', issues);
    nameIsNotReserved(op.column.name, 'column.name', issues);
    if (op.column.pk) issues.push({ field: 'column.pk', message: 'a primary key cannot be added to an existing table by add_column' });
    if (op.column.generated)
      issues.push({ field: 'column.generated', message: 'generated columns can only be created with create_table (adding one rewrites the table)' });
    if (!op.column.nullable && op.column.default == null && !op.up && !SERIAL.test(op.column.type)) {
      issues.push({
        field: 'up',
        message: 'a NOT NULL column without a default needs `up` to fill existing rows (columns are NOT NULL unless `nullable: true` is given, as in pgroll)',
      });
    }
    if (op.up) primaryKeyForBackfill(model, op.table, 'table', issues);
    return issues;
  },
  apply(op, model) {
    const c = op.column;
    model.tables.get(op.table)?.columns.push({
      name: c.name,
      physical: tempColumn(c.name),
      type: c.type,
      nullable: c.nullable,
      default: c.default ?? null,
      comment: c.comment ?? null,
    });
  },
  start(op, ctx) {
    const s = shadow(op, ctx);
    return {
      steps: shadowStart(s),
      dualWrites: op.up ? [{ table: op.table, target: s.temp, expression: op.up, direction: 'up' }] : [],
      backfill: op.up ? [op.table] : [],
    };
  },
  complete: (op, ctx) => [...shadowValidate(shadow(op, ctx)), ...shadowPromote(shadow(op, ctx))],
  rollback: (op, ctx) => [shadowDrop(shadow(op, ctx))],
} satisfies Operation<AddColumn>;
