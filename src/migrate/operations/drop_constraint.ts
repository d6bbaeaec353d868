import { z } from 'zod';
import type { Operation } from '../operation.js';
import { identifier } from './lib/fields.js';
import { describeDrop, dropAtComplete, validateDrop } from './lib/drop-constraint.js';

// pgroll's single-column form (deprecated there in favour of drop_multicolumn_constraint).
const fields = z.strictObject({
  table: identifier,
  name: identifier,
  column: identifier.optional(),
  up: z.string().min(1).optional(),
  down: z.string().min(1).optional(),
});
type DropConstraint = z.infer<typeof fields>;

export default {
  name: 'drop_constraint',
  fields,
  describe: describeDrop,
  validate: validateDrop,
  apply(op, model) {
    model.tables.get(op.table)?.constraints.delete(op.name);
  },
  start: () => ({ steps: [] }),
  complete: dropAtComplete,
  rollback: () => [],
} satisfies Operation<DropConstraint>;
