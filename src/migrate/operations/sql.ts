import { z } from 'zod';
import { defineOperation } from '../operation.js';

const fields = z.strictObject({ up: z.string().min(1), down: z.string().min(1).optional() });

export default defineOperation({
  name: 'sql',
  fields,
  describe: (op) => ({
    summary: `raw SQL: ${op.up.replace(/\s+/g, ' ').slice(0, 60)}${op.up.length > 60 ? '…' : ''}`,
    strategy: 'runs `up` at start and `down` on rollback, as written: sundial cannot make it safe',
  }),
  validate: () => [],
  apply: () => {},
  start: (op) => ({
    steps: [{ sql: op.up, lock: 'ACCESS EXCLUSIVE', effect: 'writes rows', why: 'unknown to sundial: assume the strongest lock' }],
  }),
  complete: () => [],
  rollback: (op) => (op.down
    ? [{ sql: op.down, lock: 'ACCESS EXCLUSIVE', effect: 'writes rows', why: 'unknown to sundial: assume the strongest lock' }]
    : []),
});
