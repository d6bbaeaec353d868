import { z } from 'zod';
import type { Issue, OpContext, Operation, Step } from '../operation.js';
import { ident, qualified, tempColumn } from '../sql.js';
import { checkField, identifier, referencesField } from './lib/fields.js';
import { columnMustExist, columnMustNotExist, columnNotChangedYet, nameIsNotReserved, primaryKeyForBackfill, tableMustExist } from './lib/checks.js';
import { type ShadowColumn, carried, shadowDrop, shadowPromote, shadowStart, shadowValidate } from './lib/shadow-column.js';
import { commentSql } from './lib/column-sql.js';
import { type ColumnModel, findColumn, referencingConstraints } from '../model.js';

const fields = z.strictObject({
  table: identifier,
  column: identifier,
  name: identifier.optional(),
  type: z.string().min(1).optional(),
  nullable: z.boolean().optional(),
  default: z.string().nullable().optional(),
  comment: z.string().nullable().optional(),
  check: checkField.optional(),
  unique: z.strictObject({ name: identifier }).optional(),
  references: referencesField.optional(),
  up: z.string().min(1).optional(),
  down: z.string().min(1).optional(),
});
type AlterColumn = z.infer<typeof fields>;

/**
 * A type change, SET NOT NULL or a new constraint needs a shadow column (the old shape must
 * keep working). A rename, a default, a comment or DROP NOT NULL does not: the cheap path.
 */
function needsShadow(op: AlterColumn, current: ColumnModel | undefined): boolean {
  return op.type !== undefined || (op.nullable === false && current?.nullable !== false) || Boolean(op.check || op.unique || op.references);
}

function nothingToDo(op: AlterColumn): boolean {
  return (
    op.name === undefined &&
    op.type === undefined &&
    op.nullable === undefined &&
    op.default === undefined &&
    op.comment === undefined &&
    !op.check &&
    !op.unique &&
    !op.references
  );
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
    comment: op.comment === undefined ? c?.comment : op.comment,
    check: op.check,
    unique: op.unique,
    references: op.references,
    backfilled: true,
    replaces: c && t ? { column: c.physical, table: t } : undefined,
  };
}

function current(op: AlterColumn, ctx: OpContext): { table: string; column: string; now: ColumnModel | undefined } {
  const t = ctx.model.tables.get(op.table);
  const now = findColumn(t, op.column);
  return { table: t?.physical ?? op.table, column: now?.physical ?? op.column, now };
}

/** The cheap path at start: defaults and comments are catalog changes both versions can share. */
function instantStart(op: AlterColumn, ctx: OpContext): Step[] {
  const { table, column } = current(op, ctx);
  const t = qualified(ctx.schema, table);
  const steps: Step[] = [];
  if (op.default !== undefined) {
    steps.push({
      sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(column)} ${op.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${op.default}`}`,
      lock: 'ACCESS EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'instant: no shadow column and no backfill (the default applies to new rows of both versions)',
    });
  }
  if (op.comment !== undefined) {
    steps.push({ sql: commentSql(ctx.schema, table, column, op.comment), lock: 'SHARE UPDATE EXCLUSIVE', table, effect: 'catalog only', why: 'instant' });
  }
  return steps;
}

function instantComplete(op: AlterColumn, ctx: OpContext): Step[] {
  const { table, column, now } = current(op, ctx);
  const t = qualified(ctx.schema, table);
  const steps: Step[] = [];
  if (op.nullable === true && now && !now.nullable) {
    steps.push({
      sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(column)} DROP NOT NULL`,
      lock: 'ACCESS EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'instant; done at complete so that the old version, which relies on NOT NULL, never reads a NULL',
    });
  }
  if (op.name) {
    steps.push({
      sql: `ALTER TABLE ${t} RENAME COLUMN ${ident(column)} TO ${ident(op.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'instant; only the new version reads the table by then',
    });
  }
  return steps;
}

function instantRollback(op: AlterColumn, ctx: OpContext): Step[] {
  const { table, column, now } = current(op, ctx);
  const t = qualified(ctx.schema, table);
  const steps: Step[] = [];
  if (op.default !== undefined) {
    steps.push({
      sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(column)} ${now?.default == null ? 'DROP DEFAULT' : `SET DEFAULT ${now.default}`}`,
      lock: 'ACCESS EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'puts the old default back',
    });
  }
  if (op.comment !== undefined) {
    steps.push({
      sql: commentSql(ctx.schema, table, column, now?.comment ?? null),
      lock: 'SHARE UPDATE EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'puts the old comment back',
    });
  }
  return steps;
}

export default {
  name: 'alter_column',
  fields,
  describe: (op) => {
    const changes = [
      op.name && `rename to ${op.name}`,
      op.type && `type ${op.type}`,
      op.nullable === false && 'SET NOT NULL',
      op.nullable === true && 'DROP NOT NULL',
      op.default !== undefined && (op.default === null ? 'drop default' : `default ${op.default}`),
      op.comment !== undefined && 'comment',
      op.check && `check ${op.check.name}`,
      op.unique && `unique ${op.unique.name}`,
      op.references && `references ${op.references.table}(${op.references.column})`,
    ].filter(Boolean);
    const cheap = op.type === undefined && op.nullable !== false && !op.check && !op.unique && !op.references;
    return {
      summary: `alter column ${op.table}.${op.column}: ${changes.join(', ')}`,
      strategy: cheap
        ? 'instant: no shadow column, no backfill; defaults and comments change at start, DROP NOT NULL and the rename at complete'
        : 'shadow column with the new definition, keeping every constraint, index and comment of the old one; dual-write trigger (`up`/`down`), batched backfill, swap at complete',
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
    if (nothingToDo(op))
      issues.push({ field: 'column', message: 'nothing to change: give name, type, nullable, default, comment, check, unique or references' });
    const now = findColumn(t, op.column);
    if (!needsShadow(op, now)) return issues;
    if (t?.primaryKey.includes(op.column))
      issues.push({ field: 'column', message: 'changing a primary key column is not supported: add a new column and switch keys in steps' });
    if (op.type !== undefined) {
      if (!op.up) issues.push({ field: 'up', message: 'a type change needs `up` (old value to new type)' });
      if (!op.down) issues.push({ field: 'down', message: 'a type change needs `down` (new value back to the old type)' });
    }
    if (op.nullable === false && !op.up && (now?.nullable ?? true)) {
      issues.push({ field: 'up', message: 'SET NOT NULL needs `up` to replace existing NULLs' });
    }
    if (t && now) {
      const refs = referencingConstraints(model, t.physical, now.physical);
      if (refs.length) {
        issues.push({
          field: 'column',
          message: `column "${op.column}" is referenced by foreign key ${refs.map((r) => `"${r.name}"`).join(', ')}: rebuilding it would drop them; drop them first (drop_constraint), then add them back`,
        });
      }
      const excl = [...t.constraints.values()].filter((k) => k.type === 'x' && k.columns.includes(now.physical));
      if (excl.length)
        issues.push({
          field: 'column',
          message: `column "${op.column}" is in exclusion constraint "${excl[0].name}", which sundial cannot rebuild on a copy: use an \`sql\` operation`,
        });
    }
    primaryKeyForBackfill(model, op.table, 'table', issues);
    return issues;
  },
  apply(op, model) {
    const c = findColumn(model.tables.get(op.table), op.column);
    if (!c) return;
    const shadowed = needsShadow(op, c);
    c.name = op.name ?? op.column;
    if (op.nullable !== undefined) c.nullable = op.nullable;
    if (op.default !== undefined) c.default = op.default;
    if (op.comment !== undefined) c.comment = op.comment;
    if (!shadowed) return;
    c.physical = tempColumn(c.name);
    if (op.type) c.type = op.type;
  },
  start(op, ctx) {
    const { column: old, now } = current(op, ctx);
    if (!needsShadow(op, now)) return { steps: instantStart(op, ctx) };
    const s = shadow(op, ctx);
    return {
      steps: shadowStart(s),
      dualWrites: [
        { table: op.table, target: s.temp, expression: op.up ?? ident(op.column), direction: 'up' },
        { table: op.table, target: old, expression: op.down ?? ident(op.name ?? op.column), direction: 'down' },
      ],
      backfill: [op.table],
    };
  },
  complete(op, ctx) {
    const { table, column: old, now } = current(op, ctx);
    if (!needsShadow(op, now)) return instantComplete(op, ctx);
    const s = shadow(op, ctx);
    const keep = carried(s);
    const kept = [...keep.uniques, ...keep.checks, ...keep.foreignKeys, ...keep.indexes].map((k) => k.name);
    return [
      ...shadowValidate(s),
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} DROP COLUMN ${ident(old)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why:
          'the old shape is retired; instant' + (kept.length ? ` (takes ${kept.join(', ')} with it; their copies on the new column take the names next)` : ''),
      },
      ...shadowPromote(s),
    ];
  },
  rollback: (op, ctx) => (needsShadow(op, current(op, ctx).now) ? [shadowDrop(shadow(op, ctx))] : instantRollback(op, ctx)),
} satisfies Operation<AlterColumn>;
