import { z } from 'zod';
import { defineOperation, type Issue, type OpContext } from '../operation.js';
import { ident, qualified, tempColumn } from '../sql.js';
import { checkField, identifier, referencesField } from './fields.js';
import { columnMustExist, columnMustNotExist, columnNotChangedYet, nameIsNotReserved, primaryKeyForBackfill, tableMustExist } from './checks.js';
import { type ShadowColumn, shadowDrop, shadowPromote, shadowStart, shadowValidate } from './shadow-column.js';
import { findColumn } from '../model.js';

const fields = z.strictObject({
  table: identifier,
  column: identifier,
  name: identifier.optional(),
  type: z.string().min(1).optional(),
  nullable: z.boolean().optional(),
  default: z.string().nullable().optional(),
  check: checkField.optional(),
  unique: z.strictObject({ name: identifier }).optional(),
  references: referencesField.optional(),
  up: z.string().min(1).optional(),
  down: z.string().min(1).optional(),
});
type AlterColumn = z.infer<typeof fields>;

/** Only a rename: no shadow column is needed, just a different name in the new view. */
function renameOnly(op: AlterColumn): boolean {
  return op.type === undefined && op.nullable === undefined && op.default === undefined && !op.check && !op.unique && !op.references;
}

function shadow(op: AlterColumn, ctx: OpContext): ShadowColumn {
  const t = ctx.model.tables.get(op.table);
  const c = findColumn(t, op.column);
  return {
    schema: ctx.schema,
    table: t?.physical ?? op.table,
    column: op.name ?? op.column,
    temp: tempColumn(op.name ?? op.column),
    type: op.type ?? c?.type ?? '<current type>',
    nullable: op.nullable ?? c?.nullable ?? true,
    default: op.default === undefined ? c?.default : op.default,
    check: op.check,
    unique: op.unique,
    references: op.references,
    backfilled: true,
    replaces: c ? { column: c.physical, indexes: t?.indexes ?? [] } : undefined,
  };
}

export default defineOperation({
  name: 'alter_column',
  fields,
  describe: (op) => {
    const changes = [
      op.name && `rename to ${op.name}`,
      op.type && `type ${op.type}`,
      op.nullable === false && 'SET NOT NULL',
      op.nullable === true && 'DROP NOT NULL',
      op.default !== undefined && (op.default === null ? 'drop default' : `default ${op.default}`),
      op.check && `check ${op.check.name}`,
      op.unique && `unique ${op.unique.name}`,
      op.references && `references ${op.references.table}(${op.references.column})`,
    ].filter(Boolean);
    return {
      summary: `alter column ${op.table}.${op.column}: ${changes.join(', ')}`,
      strategy: renameOnly(op)
        ? 'the new version view exposes the new name; the column is renamed at complete'
        : 'shadow column with the new definition, dual-write trigger (`up`/`down`), batched backfill, swap at complete',
    };
  },
  validate(op, model) {
    const issues: Issue[] = [];
    const t = tableMustExist(model, op.table, 'table', issues);
    columnMustExist(model, op.table, op.column, 'column', issues);
    columnNotChangedYet(model, op.table, op.column, 'column', issues);
    if (op.name) {
      columnMustNotExist(model, op.table, op.name, 'name', issues);
      nameIsNotReserved(op.name, 'name', issues);
    }
    if (renameOnly(op) && !op.name) issues.push({ field: 'column', message: 'nothing to change: give name, type, nullable, default, check, unique or references' });
    if (renameOnly(op)) return issues;
    if (t?.primaryKey.includes(op.column)) issues.push({ field: 'column', message: 'changing a primary key column is not supported: add a new column and switch keys in steps' });
    if (op.type !== undefined) {
      if (!op.up) issues.push({ field: 'up', message: 'a type change needs `up` (old value to new type)' });
      if (!op.down) issues.push({ field: 'down', message: 'a type change needs `down` (new value back to the old type)' });
    }
    const current = findColumn(t, op.column);
    if (op.nullable === false && !op.up && (current?.nullable ?? true)) {
      issues.push({ field: 'up', message: 'SET NOT NULL needs `up` to replace existing NULLs' });
    }
    if (op.nullable === true && current && !current.nullable && !op.down) {
      issues.push({ field: 'down', message: 'DROP NOT NULL needs `down`: the old column is still NOT NULL, so NULLs written by the new version need a value there' });
    }
    primaryKeyForBackfill(model, op.table, 'table', issues);
    return issues;
  },
  apply(op, model) {
    const c = findColumn(model.tables.get(op.table), op.column);
    if (!c) return;
    c.name = op.name ?? op.column;
    if (renameOnly(op)) return;
    c.physical = tempColumn(c.name);
    if (op.type) c.type = op.type;
    if (op.nullable !== undefined) c.nullable = op.nullable;
    if (op.default !== undefined) c.default = op.default;
  },
  start(op, ctx) {
    if (renameOnly(op)) return { steps: [] };
    const s = shadow(op, ctx);
    const old = findColumn(ctx.model.tables.get(op.table), op.column)?.physical ?? op.column;
    const self = ident(op.column);
    const selfNew = ident(op.name ?? op.column);
    return {
      steps: shadowStart(s),
      dualWrites: [
        { table: op.table, target: s.temp, expression: op.up ?? self, direction: 'up' },
        { table: op.table, target: old, expression: op.down ?? selfNew, direction: 'down' },
      ],
      backfill: [op.table],
    };
  },
  complete(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const old = findColumn(t, op.column)?.physical ?? op.column;
    if (renameOnly(op)) {
      return [{
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} RENAME COLUMN ${ident(old)} TO ${ident(op.name!)}`,
        lock: 'ACCESS EXCLUSIVE', table, effect: 'catalog only', why: 'instant',
      }];
    }
    const s = shadow(op, ctx);
    return [
      ...shadowValidate(s),
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} DROP COLUMN ${ident(old)}`,
        lock: 'ACCESS EXCLUSIVE', table, effect: 'catalog only', why: 'the old shape is retired; instant',
      },
      ...shadowPromote(s),
    ];
  },
  rollback: (op, ctx) => (renameOnly(op) ? [] : [shadowDrop(shadow(op, ctx))]),
});
