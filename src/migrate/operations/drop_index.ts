import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { qualified } from '../sql.js';
import { identifier } from './lib/fields.js';

const fields = z.strictObject({ name: identifier });

type DropIndex = z.infer<typeof fields>;

export default {
  name: 'drop_index',
  fields,
  describe: (op) => ({ summary: `drop index ${op.name}`, strategy: 'kept while the old version runs; DROP INDEX CONCURRENTLY at complete' }),
  validate(op, model) {
    const issues: Issue[] = [];
    if (model.known && !model.indexes.has(op.name)) issues.push({ field: 'name', message: `index "${op.name}" does not exist` });
    return issues;
  },
  apply(op, model) {
    model.indexes.delete(op.name);
  },
  start: () => ({ steps: [] }),
  complete: (op, ctx) => [
    {
      sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`,
      lock: 'SHARE UPDATE EXCLUSIVE',
      effect: 'catalog only',
      stage: 'after',
      why: 'does not block reads or writes',
    },
  ],
  rollback: () => [],
} satisfies Operation<DropIndex>;
