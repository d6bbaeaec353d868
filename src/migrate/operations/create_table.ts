import { z } from 'zod';
import type { Issue, Operation, Step } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { columnField, excludeField, identifier, indexParametersField, tableReferencesField } from './lib/fields.js';
import { columnDefinition, commentSql, deferral, excludeSql, indexParametersSql, referenceOptions } from './lib/column-sql.js';
import { nameIsNotReserved, tableMustNotExist } from './lib/checks.js';
import { type ConstraintModel, emptyTable } from '../model.js';

/** A table-level constraint, as pgroll writes it in `create_table.constraints`. */
const tableConstraint = z.strictObject({
  name: identifier,
  type: z.enum(['unique', 'check', 'primary_key', 'foreign_key', 'exclude']),
  columns: z.array(identifier).optional(),
  check: z.string().min(1).optional(),
  nulls_not_distinct: z.boolean().optional(),
  deferrable: z.boolean().optional(),
  initially_deferred: z.boolean().optional(),
  no_inherit: z.boolean().optional(),
  references: tableReferencesField.optional(),
  index_parameters: indexParametersField.optional(),
  exclude: excludeField.optional(),
});
type TableConstraint = z.infer<typeof tableConstraint>;

const fields = z.strictObject({
  name: identifier,
  columns: z.array(columnField).min(1),
  constraints: z.array(tableConstraint).optional(),
  comment: z.string().nullable().optional(),
});
type CreateTable = z.infer<typeof fields>;

const cols = (names: string[] = []) => names.map(ident).join(', ');

const indexParameters = (c: TableConstraint) => indexParametersSql(c.index_parameters);

function constraintSql(c: TableConstraint, schema: string): string {
  const defer = deferral(c);
  const tail = defer.length ? ' ' + defer.join(' ') : '';
  const head = `CONSTRAINT ${ident(c.name)} `;
  switch (c.type) {
    case 'unique':
      return `${head}UNIQUE${c.nulls_not_distinct ? ' NULLS NOT DISTINCT' : ''} (${cols(c.columns)})${indexParameters(c)}${tail}`;
    case 'primary_key':
      return `${head}PRIMARY KEY (${cols(c.columns)})${indexParameters(c)}${tail}`;
    case 'check':
      return `${head}CHECK (${c.check})${c.no_inherit ? ' NO INHERIT' : ''}`;
    case 'foreign_key': {
      const r = c.references!;
      return `${head}FOREIGN KEY (${cols(c.columns)}) REFERENCES ${qualified(schema, r.table)} (${cols(r.columns)})${referenceOptions({ ...r, ...c })}`;
    }
    case 'exclude':
      return `${head}${excludeSql(c.exclude!, c.index_parameters, c)}`;
  }
}

function primaryKey(op: CreateTable): string[] {
  const fromTable = op.constraints?.find((c) => c.type === 'primary_key');
  return fromTable ? (fromTable.columns ?? []) : op.columns.filter((c) => c.pk).map((c) => c.name);
}

export default {
  name: 'create_table',
  fields,
  describe: (op) => ({ summary: `create table ${op.name}`, strategy: 'new table: no existing reader or writer, no lock contention' }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustNotExist(model, op.name, 'name', issues);
    nameIsNotReserved(op.name, 'name', issues);
    const seen = new Set<string>();
    op.columns.forEach((c, i) => {
      if (seen.has(c.name)) issues.push({ field: `columns[${i}].name`, message: `column "${c.name}" is listed twice` });
      seen.add(c.name);
      nameIsNotReserved(c.name, `columns[${i}].name`, issues);
      if (c.references && model.known && !model.tables.has(c.references.table) && c.references.table !== op.name) {
        issues.push({ field: `columns[${i}].references.table`, message: `table "${c.references.table}" does not exist` });
      }
    });
    const tablePk = (op.constraints ?? []).filter((c) => c.type === 'primary_key');
    if (tablePk.length > 1) issues.push({ field: 'constraints', message: 'only one primary_key constraint per table' });
    if (tablePk.length && op.columns.some((c) => c.pk)) {
      issues.push({ field: 'constraints', message: 'a primary key is given both by `pk: true` columns and by a primary_key constraint: use one place' });
    }
    (op.constraints ?? []).forEach((c, i) => {
      const needsColumns = c.type !== 'check' && c.type !== 'exclude';
      if (needsColumns && !c.columns?.length) issues.push({ field: `constraints[${i}].columns`, message: `a ${c.type} constraint needs \`columns\`` });
      (c.columns ?? []).forEach((name, j) => {
        if (!seen.has(name)) issues.push({ field: `constraints[${i}].columns[${j}]`, message: `column "${name}" is not a column of this table` });
      });
      if (c.type === 'check' && !c.check) issues.push({ field: `constraints[${i}].check`, message: 'a check constraint needs `check`' });
      if (c.type === 'foreign_key' && !c.references)
        issues.push({ field: `constraints[${i}].references`, message: 'a foreign_key constraint needs `references`' });
      if (c.type === 'foreign_key' && c.references && c.references.columns.length !== (c.columns ?? []).length) {
        issues.push({ field: `constraints[${i}].references.columns`, message: 'needs as many columns as `columns`' });
      }
      if (c.type === 'exclude' && !c.exclude) issues.push({ field: `constraints[${i}].exclude`, message: 'an exclude constraint needs `exclude`' });
    });
    return issues;
  },
  apply(op, model) {
    const pk = primaryKey(op);
    const t = emptyTable(op.name);
    t.columns = op.columns.map((c) => ({
      name: c.name,
      physical: c.name,
      type: c.type,
      nullable: c.nullable && !pk.includes(c.name),
      default: c.default ?? null,
      comment: c.comment ?? null,
    }));
    t.primaryKey = pk;
    t.comment = op.comment ?? null;
    const typeCode = { unique: 'u', check: 'c', primary_key: 'p', foreign_key: 'f', exclude: 'x' } as const;
    for (const c of op.constraints ?? []) {
      t.constraints.set(c.name, { name: c.name, type: typeCode[c.type], columns: c.columns ?? [], definition: '' } satisfies ConstraintModel);
    }
    model.tables.set(op.name, t);
  },
  start(op, ctx) {
    const pk = primaryKey(op);
    // One column may carry PRIMARY KEY inline; several `pk: true` columns make one composite key.
    const inlinePk = pk.length === 1 && !op.constraints?.some((c) => c.type === 'primary_key');
    const parts = op.columns.map((c) => columnDefinition(c, ctx.schema, inlinePk));
    if (!inlinePk && pk.length && !op.constraints?.some((c) => c.type === 'primary_key')) parts.push(`PRIMARY KEY (${cols(pk)})`);
    for (const c of op.constraints ?? []) parts.push(constraintSql(c, ctx.schema));
    const steps: Step[] = [
      {
        sql: `CREATE TABLE ${qualified(ctx.schema, op.name)} (${parts.join(', ')})`,
        lock: 'none',
        table: op.name,
        effect: 'catalog only',
        why: 'a new table is invisible to running clients',
      },
    ];
    if (op.comment != null) {
      steps.push({
        sql: commentSql(ctx.schema, op.name, undefined, op.comment),
        lock: 'none',
        table: op.name,
        effect: 'catalog only',
        why: 'table comment; the table is new',
      });
    }
    for (const c of op.columns) {
      if (c.comment != null)
        steps.push({
          sql: commentSql(ctx.schema, op.name, c.name, c.comment),
          lock: 'none',
          table: op.name,
          effect: 'catalog only',
          why: 'column comment; the table is new',
        });
    }
    return { steps };
  },
  complete: () => [],
  rollback: (op, ctx) => [
    {
      sql: `DROP TABLE IF EXISTS ${qualified(ctx.schema, op.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: op.name,
      effect: 'catalog only',
      why: 'only clients of the new version knew this table',
    },
  ],
} satisfies Operation<CreateTable>;
