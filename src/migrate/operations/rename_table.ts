import { z } from 'zod';
import type { Operation } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { emptyTable } from '../model.js';
import { nameIsNotReserved, tableMustExist, tableMustNotExist } from './lib/checks.js';

const fields = z.strictObject({ from: identifier, to: identifier });

type RenameTable = z.infer<typeof fields>;

export default {
  name: 'rename_table',
  fields,
  describe: (op) => ({ summary: `rename table ${op.from} to ${op.to}`, strategy: 'the new version view uses the new name; the table is renamed at complete' }),
  validate(op, model) {
    const issues: { field: string; message: string }[] = [];
    tableMustExist(model, op.from, 'from', issues);
    tableMustNotExist(model, op.to, 'to', issues);
    nameIsNotReserved(op.to, 'to', issues);
    return issues;
  },
  apply(op, model) {
    const t = model.tables.get(op.from);
    model.tables.delete(op.from);
    model.tables.set(op.to, { ...(t ?? emptyTable(op.from)), name: op.to });
  },
  start: () => ({ steps: [] }),
  complete: (op, ctx) => {
    const physical = ctx.model.tables.get(op.from)?.physical ?? op.from;
    return [
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, physical)} RENAME TO ${ident(op.to)}`,
        lock: 'ACCESS EXCLUSIVE',
        table: physical,
        effect: 'catalog only',
        why: 'instant; old clients are gone by now',
      },
    ];
  },
  rollback: () => [],
} satisfies Operation<RenameTable>;
