import { z } from 'zod';
import type { Issue, Operation, Step } from '../operation.js';
import { ident, qualified } from '../sql.js';
import { identifier } from './lib/fields.js';
import { tableMustExist } from './lib/checks.js';

const fields = z.strictObject({
  table: identifier,
  identity: z.strictObject({ type: z.enum(['full', 'default', 'nothing', 'index']), index: identifier.optional() }),
});
type SetReplicaIdentity = z.infer<typeof fields>;

function identitySql(type: string, index?: string | null): string {
  return type === 'index' ? `USING INDEX ${ident(index!)}` : type.toUpperCase();
}

const FROM_CATALOG: Record<string, string> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

export default {
  name: 'set_replica_identity',
  fields,
  describe: (op) => ({
    summary: `set replica identity of ${op.table} to ${op.identity.type}${op.identity.index ? ` (${op.identity.index})` : ''}`,
    strategy: 'applied to the table at start, for both versions (as pgroll does); put back on rollback',
  }),
  validate(op, model) {
    const issues: Issue[] = [];
    tableMustExist(model, op.table, 'table', issues);
    if (op.identity.type === 'index' && !op.identity.index) issues.push({ field: 'identity.index', message: 'type index needs `index`' });
    if (op.identity.type === 'index' && op.identity.index && model.known && !model.indexes.has(op.identity.index)) {
      issues.push({ field: 'identity.index', message: `index "${op.identity.index}" does not exist` });
    }
    return issues;
  },
  apply(op, model) {
    const t = model.tables.get(op.table);
    if (t) {
      t.replicaIdentity = op.identity.type[0];
      t.replicaIndex = op.identity.index ?? null;
    }
  },
  start(op, ctx) {
    const table = ctx.model.tables.get(op.table)?.physical ?? op.table;
    const steps: Step[] = [
      {
        sql: `ALTER TABLE ${qualified(ctx.schema, table)} REPLICA IDENTITY ${identitySql(op.identity.type, op.identity.index)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'instant; affects logical replication only',
      },
    ];
    return { steps };
  },
  complete: () => [],
  rollback(op, ctx) {
    const t = ctx.model.tables.get(op.table);
    const table = t?.physical ?? op.table;
    const before = FROM_CATALOG[t?.replicaIdentity ?? 'd'] ?? 'default';
    return [
      {
        sql: `ALTER TABLE IF EXISTS ${qualified(ctx.schema, table)} REPLICA IDENTITY ${identitySql(before, t?.replicaIndex)}`,
        lock: 'ACCESS EXCLUSIVE',
        table,
        effect: 'catalog only',
        why: 'puts the previous replica identity back',
      },
    ];
  },
} satisfies Operation<SetReplicaIdentity>;
