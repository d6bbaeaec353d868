import { z } from 'zod';
import type { Issue, Operation, Step } from '../operation.js';
import { ident, notNullCheckName, qualified } from '../sql.js';
import { excludeField, identifier, indexParametersField, perColumn, tableReferencesField } from './lib/fields.js';
import { deferral, excludeSql, referenceOptions } from './lib/column-sql.js';
import { columnMustExist, tableMustExist } from './lib/checks.js';
import { findColumn, type TableModel } from '../model.js';

const fields = z.strictObject({
  table: identifier,
  name: identifier,
  type: z.enum(['unique', 'check', 'foreign_key', 'primary_key', 'exclude']),
  // An exclusion constraint names its columns in `exclude.elements` (pgroll leaves `columns` empty).
  columns: z.array(identifier).default([]),
  check: z.string().min(1).optional(),
  references: tableReferencesField.optional(),
  deferrable: z.boolean().optional(),
  initially_deferred: z.boolean().optional(),
  nulls_not_distinct: z.boolean().optional(),
  no_inherit: z.boolean().optional(),
  exclude: excludeField.optional(),
  index_parameters: indexParametersField.optional(),
  // pgroll requires these, one expression per column; sundial accepts them (see docs/migrate.md).
  up: perColumn.optional(),
  down: perColumn.optional(),
});
type CreateConstraint = z.infer<typeof fields>;

/** Columns a primary key needs to make NOT NULL first (via a validated CHECK, so without a scan under the lock). */
function nullableKeys(op: CreateConstraint, t: TableModel | undefined): string[] {
  if (op.type !== 'primary_key') return [];
  return op.columns
    .map((c) => findColumn(t, c))
    .filter((c) => c?.nullable)
    .map((c) => c!.physical);
}

export default {
  name: 'create_constraint',
  fields,
  describe: (op) => ({
    summary: `create ${op.type} constraint ${op.name} on ${op.table} (${op.type === 'exclude' ? (op.exclude?.elements ?? '') : op.columns.join(', ')})`,
    strategy:
      op.type === 'unique' || op.type === 'primary_key'
        ? 'unique index built concurrently, attached as the constraint at complete'
        : op.type === 'exclude'
          ? 'added at start under ACCESS EXCLUSIVE while its index builds (PostgreSQL has no NOT VALID or USING INDEX for exclusion constraints): reads and writes of the table wait'
          : 'added NOT VALID (new writes checked at once), validated at complete without blocking writes',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    const t = tableMustExist(model, op.table, 'table', issues);
    op.columns.forEach((c, i) => columnMustExist(model, op.table, c, `columns[${i}]`, issues));
    if (t?.constraints.has(op.name)) issues.push({ field: 'name', message: `constraint "${op.name}" already exists on table "${op.table}"` });
    if (op.type === 'check' && !op.check) issues.push({ field: 'check', message: 'a check constraint needs `check` (the expression)' });
    if (op.type === 'exclude' && !op.exclude)
      issues.push({ field: 'exclude', message: 'an exclusion constraint needs `exclude: {index_method, elements, predicate}`' });
    if (op.type !== 'exclude' && op.exclude) issues.push({ field: 'exclude', message: '`exclude` goes only with `type: exclude`' });
    if (op.type !== 'exclude' && op.type !== 'check' && !op.columns.length)
      issues.push({ field: 'columns', message: `a ${op.type} constraint needs \`columns\`` });
    if (op.type === 'primary_key' && t && model.known && t.primaryKey.length)
      issues.push({ field: 'type', message: `table "${op.table}" already has a primary key` });
    for (const side of ['up', 'down'] as const) {
      for (const c of Object.keys(op[side] ?? {})) {
        if (!op.columns.includes(c)) issues.push({ field: `${side}.${c}`, message: `"${c}" is not one of the constraint's columns` });
      }
    }
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
    const t = model.tables.get(op.table);
    if (!t) return;
    const code = { unique: 'u', check: 'c', foreign_key: 'f', primary_key: 'p', exclude: 'x' } as const;
    t.constraints.set(op.name, { name: op.name, type: code[op.type], columns: op.columns, definition: '' });
    if (op.type === 'primary_key') {
      t.primaryKey = [...op.columns];
      for (const c of op.columns) {
        const col = findColumn(t, c);
        if (col) col.nullable = false;
      }
    }
  },
  start(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const cols = op.columns.map((c) => ident(findColumn(t, c)?.physical ?? c)).join(', ');
    const qt = qualified(ctx.schema, table);
    const steps: Step[] = [];
    if (op.type === 'unique' || op.type === 'primary_key') {
      steps.push({
        sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${ident(op.name)} ON ${qt} (${cols})${op.nulls_not_distinct ? ' NULLS NOT DISTINCT' : ''}`,
        lock: 'SHARE UPDATE EXCLUSIVE',
        table,
        effect: 'scans table',
        stage: 'after',
        index: op.name,
        why: 'the index is built without blocking writes, not under the ALTER TABLE lock',
      });
      for (const c of nullableKeys(op, t)) {
        steps.push({
          sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(notNullCheckName(table, c))} CHECK (${ident(c)} IS NOT NULL) NOT VALID`,
          lock: 'ACCESS EXCLUSIVE',
          table,
          effect: 'catalog only',
          why: 'a primary key column must be NOT NULL: enforced on new writes now, validated at complete',
        });
      }
    } else if (op.type === 'exclude') {
      steps.push({
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} ${excludeSql(op.exclude!, op.index_parameters, op)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'scans table',
        why: 'PostgreSQL has no NOT VALID or USING INDEX for exclusion constraints: its index is built under the lock, and reads and writes of the table wait until it is',
      });
    } else if (op.type === 'check') {
      steps.push({
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} CHECK (${op.check})${op.no_inherit ? ' NO INHERIT' : ''} NOT VALID`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'NOT VALID: no scan under the lock',
      });
    } else {
      const r = op.references!;
      const rt = ctx.model.tables.get(r.table);
      const rcols = r.columns.map((c) => ident(findColumn(rt, c)?.physical ?? c)).join(', ');
      steps.push({
        sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} FOREIGN KEY (${cols}) REFERENCES ${qualified(ctx.schema, rt?.physical ?? r.table)} (${rcols})${referenceOptions({ ...r, deferrable: op.deferrable, initially_deferred: op.initially_deferred })} NOT VALID`,
        lock: 'SHARE ROW EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'NOT VALID: no scan; briefly locks both tables',
      });
    }
    return { steps };
  },
  complete(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const qt = qualified(ctx.schema, table);
    if (op.type === 'unique' || op.type === 'primary_key') {
      const nullable = nullableKeys(op, t);
      const defer = deferral(op);
      return [
        ...nullable.map((c): Step => ({
          sql: `ALTER TABLE ${qt} VALIDATE CONSTRAINT ${ident(notNullCheckName(table, c))}`,
          lock: 'SHARE UPDATE EXCLUSIVE',
          table,
          effect: 'scans table',
          stage: 'before',
          why: 'checks existing rows while reads and writes go on',
        })),
        ...nullable.flatMap((c): Step[] => [
          {
            sql: `ALTER TABLE ${qt} ALTER COLUMN ${ident(c)} SET NOT NULL`,
            lock: 'ACCESS EXCLUSIVE',
            table,
            effect: 'catalog only',
            why: 'PG12+ skips the scan because a validated CHECK (col IS NOT NULL) exists',
          },
          {
            sql: `ALTER TABLE ${qt} DROP CONSTRAINT ${ident(notNullCheckName(table, c))}`,
            lock: 'ACCESS EXCLUSIVE',
            table,
            effect: 'catalog only',
            why: 'the NOT NULL attribute replaces the check',
          },
        ]),
        {
          sql: `ALTER TABLE ${qt} ADD CONSTRAINT ${ident(op.name)} ${op.type === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} USING INDEX ${ident(op.name)}${defer.length ? ' ' + defer.join(' ') : ''}`,
          lock: 'ACCESS EXCLUSIVE',
          table,
          effect: 'catalog only',
          why: 'reuses the index built concurrently',
        },
      ];
    }
    if (op.type === 'exclude') return [];
    return [
      {
        sql: `ALTER TABLE ${qt} VALIDATE CONSTRAINT ${ident(op.name)}`,
        lock: 'SHARE UPDATE EXCLUSIVE',
        table,
        effect: 'scans table',
        stage: 'before',
        why: 'checks existing rows while reads and writes go on',
      },
    ];
  },
  rollback(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    if (op.type === 'unique' || op.type === 'primary_key') {
      return [
        ...nullableKeys(op, t).map((c): Step => ({
          sql: `ALTER TABLE IF EXISTS ${qualified(ctx.schema, table)} DROP CONSTRAINT IF EXISTS ${ident(notNullCheckName(table, c))}`,
          lock: 'ACCESS EXCLUSIVE',
          table,
          effect: 'catalog only',
          why: 'instant',
        })),
        {
          sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`,
          lock: 'SHARE UPDATE EXCLUSIVE',
          table,
          effect: 'catalog only',
          stage: 'before',
          why: 'does not block reads or writes',
        },
      ];
    }
    return [
      {
        sql: `ALTER TABLE IF EXISTS ${qualified(ctx.schema, table)} DROP CONSTRAINT IF EXISTS ${ident(op.name)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'instant',
      },
    ];
  },
} satisfies Operation<CreateConstraint>;
