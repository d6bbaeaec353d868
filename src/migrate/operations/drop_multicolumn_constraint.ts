import { z } from 'zod';
import type { Issue, Operation } from '../operation.js';
import { identifier, perColumn } from './lib/fields.js';
import { describeDrop, dropAtComplete, validateDrop } from './lib/drop-constraint.js';

const fields = z.strictObject({
  table: identifier,
  name: identifier,
  up: perColumn.optional(),
  down: perColumn.optional(),
});
type DropMulticolumnConstraint = z.infer<typeof fields>;

export default {
  name: 'drop_multicolumn_constraint',
  fields,
  describe: describeDrop,
  validate(op, model) {
    const issues: Issue[] = validateDrop(op, model);
    const k = model.tables.get(op.table)?.constraints.get(op.name);
    const columns = new Set(
      model.tables
        .get(op.table)
        ?.columns.filter((c) => k?.columns.includes(c.physical))
        .map((c) => c.name),
    );
    for (const side of ['up', 'down'] as const) {
      for (const c of Object.keys(op[side] ?? {})) {
        if (k && model.known && !columns.has(c)) issues.push({ field: `${side}.${c}`, message: `"${c}" is not a column of constraint "${op.name}"` });
      }
    }
    return issues;
  },
  apply(op, model) {
    model.tables.get(op.table)?.constraints.delete(op.name);
  },
  start: () => ({ steps: [] }),
  complete: dropAtComplete,
  rollback: () => [],
} satisfies Operation<DropMulticolumnConstraint>;
