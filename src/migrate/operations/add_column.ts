import { z } from 'zod';
import type { Issue, Operation, Step } from '../operation.js';
import { literal, qualified, shortName, tempColumn } from '../sql.js';
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
    // An identity column is NOT NULL by itself: no check to add and validate.
    nullable: c.nullable || c.generated?.identity !== undefined,
    default: c.default,
    comment: c.comment,
    check: c.check,
    unique: c.unique ? { name: `${op.table}_${c.name}_key` } : undefined,
    references: c.references,
    generated: c.generated,
    backfilled: op.up !== undefined,
  };
}

/**
 * An identity column's sequence was named after the temporary column; at complete it takes
 * the name PostgreSQL would have given it (`<table>_<column>_seq`), unless that name is taken.
 */
function renameIdentitySequence(op: AddColumn, ctx: OpContext): Step[] {
  if (!op.column.generated?.identity) return [];
  const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
  const target = shortName(`${table}_${op.column.name}_seq`);
  return [
    {
      sql: `DO $$ DECLARE s text := pg_get_serial_sequence(${literal(qualified(ctx.schema, table))}, ${literal(op.column.name)}); BEGIN
  IF s IS NOT NULL AND to_regclass(${literal(qualified(ctx.schema, target))}) IS NULL THEN EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', s, ${literal(target)}); END IF;
END $$`,
      // The lock is on the sequence, not the table (which the contract transaction holds already).
      lock: 'ACCESS EXCLUSIVE',
      effect: 'catalog only',
      why: `the identity sequence takes the name ${target} (instant; locks only the sequence)`,
    },
  ];
}

export default {
  name: 'add_column',
  fields,
  describe: (op) => ({
    summary: `add column ${op.table}.${op.column.name} ${op.column.type}${op.column.nullable ? '' : ' NOT NULL'}`,
    strategy: op.column.generated
      ? 'generated column added under a temporary name (PostgreSQL computes every row: the table is rewritten under ACCESS EXCLUSIVE), renamed at complete'
      : op.up
        ? 'temporary column, filled by `up` through a trigger and a batched backfill'
        : 'temporary column, renamed at complete',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    columnMustNotExist(model, op.table, op.column.name, 'column.name', issues);
    nameIsNotReserved(op.column.name, 'column.name', issues);
    if (op.column.pk) issues.push({ field: 'column.pk', message: 'a primary key cannot be added to an existing table by add_column' });
    if (op.column.generated && op.up)
      issues.push({ field: 'up', message: 'a generated column computes its own values: `up` cannot go with `column.generated`' });
    if (op.column.generated && op.column.default != null) issues.push({ field: 'column.default', message: 'a generated column cannot have a default' });
    if (!op.column.nullable && op.column.default == null && !op.up && !op.column.generated && !SERIAL.test(op.column.type)) {
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
      nullable: c.nullable || c.generated?.identity !== undefined,
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
  complete: (op, ctx) => [...shadowValidate(shadow(op, ctx)), ...shadowPromote(shadow(op, ctx)), ...renameIdentitySequence(op, ctx)],
  rollback: (op, ctx) => [shadowDrop(shadow(op, ctx))],
} satisfies Operation<AddColumn>;
