// drop_constraint and drop_multicolumn_constraint: the constraint stays while the old
// version runs (its clients rely on it) and is dropped at complete, which is instant. The
// new version is therefore held to it until complete, so pgroll's `up`/`down` expressions,
// which exist to repair values across two copies of each column, are accepted and not needed.
import type { Issue, OpContext, Step } from '../../operation.js';
import type { SchemaModel } from '../../model.js';
import { ident, qualified } from '../../sql.js';
import { tableMustExist } from './checks.js';

export function validateDrop(op: { table: string; name: string }, model: SchemaModel): Issue[] {
  const issues: Issue[] = [];
  const t = tableMustExist(model, op.table, 'table', issues);
  const k = t?.constraints.get(op.name);
  if (t && model.known && !k) issues.push({ field: 'name', message: `constraint "${op.name}" does not exist on table "${op.table}"` });
  if (k?.type === 'p')
    issues.push({ field: 'name', message: `"${op.name}" is the primary key: dropping it is not supported (the backfill and the views rely on it)` });
  return issues;
}

export function dropAtComplete(op: { table: string; name: string }, ctx: OpContext): Step[] {
  const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
  return [
    {
      sql: `ALTER TABLE ${qualified(ctx.schema, table)} DROP CONSTRAINT IF EXISTS ${ident(op.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table,
      effect: 'catalog only',
      why: 'instant; kept until now because the old version relies on it',
    },
  ];
}

export function describeDrop(op: { table: string; name: string }) {
  return { summary: `drop constraint ${op.name} on ${op.table}`, strategy: 'kept while the old version runs; dropped at complete (instant)' };
}
