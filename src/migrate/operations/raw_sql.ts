import { z } from 'zod';
import type { Issue, Operation, Step } from '../operation.js';

const fields = z.strictObject({
  up: z.string().min(1),
  down: z.string().min(1).optional(),
  // pgroll's flag: run `up` at complete instead of start (there is no rollback after complete).
  onComplete: z.boolean().optional(),
});
type RawSql = z.infer<typeof fields>;

const unknown = (sql: string): Step => ({ sql, lock: 'ACCESS EXCLUSIVE', effect: 'writes rows', why: 'unknown to sundial: assume the strongest lock' });

export default {
  name: 'sql',
  fields,
  describe: (op) => ({
    summary: `raw SQL${op.onComplete ? ' at complete' : ''}: ${op.up.replace(/\s+/g, ' ').slice(0, 60)}${op.up.length > 60 ? '…' : ''}`,
    strategy: op.onComplete
      ? 'runs `up` at complete, in the contract transaction, as written: sundial cannot make it safe'
      : 'runs `up` at start and `down` on rollback, as written: sundial cannot make it safe',
  }),
  validate(op) {
    const issues: Issue[] = [];
    if (op.onComplete && op.down)
      issues.push({ field: 'down', message: '`down` cannot go with `onComplete: true`: nothing can be rolled back after complete' });
    return issues;
  },
  apply: () => {},
  start: (op) => ({ steps: op.onComplete ? [] : [unknown(op.up)] }),
  complete: (op) => (op.onComplete ? [unknown(op.up)] : []),
  rollback: (op) => (op.down && !op.onComplete ? [unknown(op.down)] : []),
} satisfies Operation<RawSql>;
