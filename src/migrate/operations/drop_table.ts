import { z } from 'zod';
import type { Operation } from '../operation.js';
import { qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { tableMustExist } from './lib/checks.js';

const fields = z.strictObject({ name: identifier });

type DropTable = z.infer<typeof fields>;

export default {
  name: 'drop_table',
  fields,
  describe: (op) => ({ summary: `drop table ${op.name}`, strategy: 'hidden from the new version at start, dropped at complete' }),
  validate(op, model) {
    const issues: { field: string; message: string }[] = [];
    tableMustExist(model, op.name, 'name', issues);
    return issues;
  },
  apply(op, model) {
    model.tables.delete(op.name);
  },
  start: () => ({ steps: [] }),
  complete: (op, ctx) => [
    {
      sql: `DROP TABLE IF EXISTS ${qualified(ctx.schema, ctx.model.tables.get(op.name)?.physical ?? op.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: op.name,
      effect: 'catalog only',
      why: 'old clients are gone once the old version is retired',
    },
  ],
  rollback: () => [],
} satisfies Operation<DropTable>;
