import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { qualified } from '../sql.js';
import { columnField, identifier } from './fields.js';
import { columnDefinition } from './column-sql.js';
import { nameIsNotReserved, tableMustNotExist } from './checks.js';

const fields = z.strictObject({ name: identifier, columns: z.array(columnField).min(1) });

export default defineOperation({
  name: 'create_table',
  fields,
  describe: (op) => ({ summary: `create table ${op.name}`, strategy: 'new table: no existing reader or writer, no lock contention' }),
  validate(op, model) {
    const issues: { field: string; message: string }[] = [];
    tableMustNotExist(model, op.name, 'name', issues);
    nameIsNotReserved(op.name, 'name', issues);
    const seen = new Set<string>();
    op.columns.forEach((c, i) => {
      if (seen.has(c.name)) issues.push({ field: `columns[${i}].name`, message: `column "${c.name}" is listed twice` });
      seen.add(c.name);
      nameIsNotReserved(c.name, `columns[${i}].name`, issues);
      if (c.references && model.known && !model.tables.has(c.references.table)) {
        issues.push({ field: `columns[${i}].references.table`, message: `table "${c.references.table}" does not exist` });
      }
    });
    return issues;
  },
  apply(op, model) {
    model.tables.set(op.name, {
      name: op.name,
      physical: op.name,
      columns: op.columns.map((c) => ({ name: c.name, physical: c.name, type: c.type, nullable: c.nullable && !c.pk, default: c.default ?? null })),
      primaryKey: op.columns.filter((c) => c.pk).map((c) => c.name),
      constraints: new Set(),
      indexes: [],
    });
  },
  start: (op, ctx) => ({
    steps: [{
      sql: `CREATE TABLE ${qualified(ctx.schema, op.name)} (${op.columns.map((c) => columnDefinition(c, ctx.schema)).join(', ')})`,
      lock: 'none', table: op.name, effect: 'catalog only', why: 'a new table is invisible to running clients',
    }],
  }),
  complete: () => [],
  rollback: (op, ctx) => [{
    sql: `DROP TABLE IF EXISTS ${qualified(ctx.schema, op.name)}`,
    lock: 'ACCESS EXCLUSIVE', table: op.name, effect: 'catalog only', why: 'only clients of the new version knew this table',
  }],
});
