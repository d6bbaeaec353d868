import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { columnMustExist, tableMustExist } from './lib/checks.js';
import { findColumn, type TableModel } from '../model.js';

const opclass = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), params: z.array(z.string()).optional() })]);
const keyOptions = {
  opclass: opclass.optional(),
  collate: z.string().min(1).optional(),
  sort: z.enum(['ASC', 'DESC']).optional(),
  nulls: z.enum(['FIRST', 'LAST']).optional(),
};
/** A key column: a name, or an object naming the column with its options. */
const keyColumn = z.union([identifier, z.strictObject({ column: identifier, ...keyOptions })]);
type Key = { column: string } & { [K in keyof typeof keyOptions]?: z.infer<(typeof keyOptions)[K]> };

const fields = z.strictObject({
  name: identifier,
  table: identifier,
  // A list of keys, or pgroll's map form `{ column_name: { sort: DESC } }` (in key order).
  columns: z.union([z.array(keyColumn).min(1), z.record(identifier, z.strictObject(keyOptions).nullable())]),
  unique: z.boolean().optional(),
  method: z.enum(['btree', 'hash', 'gist', 'spgist', 'gin', 'brin']).optional(),
  predicate: z.string().optional(),
  storage_parameters: z.string().optional(),
  // The index's tablespace (pgroll's `index_parameters.tablespace` on table constraints).
  tablespace: identifier.optional(),
});
type CreateIndex = z.infer<typeof fields>;

export function keys(op: CreateIndex): Key[] {
  if (Array.isArray(op.columns)) return op.columns.map((k) => (typeof k === 'string' ? { column: k } : k));
  return Object.entries(op.columns).map(([column, o]) => ({ column, ...(o ?? {}) }));
}

function keySql(k: Key, t: TableModel | undefined): string {
  const parts = [ident(findColumn(t, k.column)?.physical ?? k.column)];
  if (k.collate) parts.push(`COLLATE ${ident(k.collate)}`);
  if (k.opclass) {
    const o = typeof k.opclass === 'string' ? { name: k.opclass } : k.opclass;
    parts.push(o.name + (o.params?.length ? ` (${o.params.join(', ')})` : ''));
  }
  if (k.sort) parts.push(k.sort);
  if (k.nulls) parts.push(`NULLS ${k.nulls}`);
  return parts.join(' ');
}

export default {
  name: 'create_index',
  fields,
  describe: (op) => ({
    summary: `create ${op.unique ? 'unique ' : ''}index ${op.name} on ${op.table} (${keys(op)
      .map((k) => k.column)
      .join(', ')})`,
    strategy: 'CREATE INDEX CONCURRENTLY outside a transaction; an INVALID leftover is dropped on failure',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    keys(op).forEach((k, i) => columnMustExist(model, op.table, k.column, `columns[${i}]`, issues));
    if (model.indexes.has(op.name)) issues.push({ field: 'name', message: `index "${op.name}" already exists` });
    return issues;
  },
  apply(op, model) {
    model.indexes.add(op.name);
  },
  start(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const using = op.method ? ` USING ${op.method}` : '';
    const withParams = op.storage_parameters ? ` WITH (${op.storage_parameters})` : '';
    const space = op.tablespace ? ` TABLESPACE ${ident(op.tablespace)}` : '';
    const where = op.predicate ? ` WHERE ${op.predicate}` : '';
    return {
      steps: [
        {
          sql: `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${ident(op.name)} ON ${qualified(ctx.schema, table)}${using} (${keys(op)
            .map((k) => keySql(k, t))
            .join(', ')})${withParams}${space}${where}`,
          lock: 'SHARE UPDATE EXCLUSIVE',
          table,
          effect: 'scans table',
          stage: 'after',
          index: op.name,
          why: 'reads and writes go on while the index builds' + (op.tablespace ? ` (in tablespace ${op.tablespace})` : ''),
        },
      ],
    };
  },
  complete: () => [],
  rollback: (op, ctx) => [
    {
      sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`,
      lock: 'SHARE UPDATE EXCLUSIVE',
      table: op.table,
      effect: 'catalog only',
      stage: 'before',
      why: 'does not block reads or writes',
    },
  ],
} satisfies Operation<CreateIndex>;
