// Turns a validated migration into every statement of start, complete and rollback. Pure:
// the engine runs exactly this, and `plan` prints exactly this.
import type { Migration } from './load.js';
import type { SchemaModel } from './model.js';
import { cloneModel, findColumn } from './model.js';
import type { DualWrite, OpContext, Step } from './operation.js';
import { ERR_MIGRATE_INVALID } from '../errors.js';
import { dropDualWriteSteps, dualWriteSteps, groupByTable } from './triggers.js';
import { dropVersionSchema, identityModel, viewSteps } from './views.js';
import { versionSchema } from './sql.js';

export interface BackfillTarget {
  /** Physical table. */
  table: string;
  keys: { name: string; type: string }[];
  /** The `up` columns the batch UPDATE fills itself (physical target, expression over the old shape). */
  sets?: { column: string; expression: string }[];
}

export interface Staged {
  before: Step[];
  main: Step[];
  after: Step[];
  /** start only: after the backfill. */
  backfilled: Step[];
}

/** One operation's share of the steps, for the plan's overview. */
export interface OperationSteps {
  kind: string;
  summary: string;
  strategy: string;
  start: Step[];
  complete: Step[];
  rollback: Step[];
  backfill: string[];
}

export interface MigrationSteps {
  version: string;
  oldVersion: string;
  start: Staged;
  backfill: BackfillTarget[];
  complete: Staged;
  /** Views of the version once complete, over the contracted tables (plan only: the engine reads the catalog). */
  completeViews: Step[];
  rollback: Staged;
  /** The shape the new version exposes. */
  after: SchemaModel;
  perOperation: OperationSteps[];
}

function stage(steps: Step[]): Staged {
  return {
    before: steps.filter((s) => s.stage === 'before'),
    main: steps.filter((s) => !s.stage),
    after: steps.filter((s) => s.stage === 'after'),
    backfilled: steps.filter((s) => s.stage === 'backfilled'),
  };
}

/**
 * Checks every operation against the schema as it will be when the operation runs (earlier
 * operations of the migration applied) and builds its steps, in one pass over the model:
 * the model it ends with is the shape the new version exposes. Every problem of the file is
 * reported at once, before anything is changed.
 * @param before the schema before the migration (from the catalog, or an unknown empty model)
 * @param oldVersion the schema old clients use: the previous version schema, or the schema itself
 */
export function buildSteps(migration: Migration, schema: string, before: SchemaModel, oldVersion: string): MigrationSteps {
  const version = migration.versionSchema ?? versionSchema(schema, migration.name);
  const startSteps: Step[] = [];
  const completeSteps: Step[][] = [];
  const rollbackSteps: Step[][] = [];
  const writes: DualWrite[] = [];
  const backfillTables = new Set<string>();
  const perOperation: OperationSteps[] = [];
  const model = cloneModel(before);
  const problems: string[] = [];
  for (const [i, op] of migration.ops.entries()) {
    const issues = op.operation.validate(op.fields, model);
    for (const issue of issues) problems.push(`${migration.source}: operations[${i}].${op.kind}.${issue.field}: ${issue.message}`);
    if (problems.length) {
      // Keep checking the operations after a bad one, against the shape it would have made.
      op.operation.apply(op.fields, model);
      continue;
    }
    const ctx: OpContext = { schema, migration: migration.name, model };
    const s = op.operation.start(op.fields, ctx);
    const complete = op.operation.complete(op.fields, ctx);
    const rollback = op.operation.rollback(op.fields, ctx);
    startSteps.push(...s.steps);
    writes.push(...(s.dualWrites ?? []));
    for (const t of s.backfill ?? []) backfillTables.add(t);
    completeSteps.push(complete);
    rollbackSteps.push(rollback);
    perOperation.push({ kind: op.kind, ...op.operation.describe(op.fields), start: s.steps, complete, rollback, backfill: s.backfill ?? [] });
    op.operation.apply(op.fields, model);
  }
  if (problems.length) throw ERR_MIGRATE_INVALID(problems.join('\n'));
  const after = model;
  const physicalOf = (t: string) => before.tables.get(t)?.physical ?? t;
  const triggerTables = [...groupByTable(writes).keys()].map(physicalOf);
  const contract = [
    ...(oldVersion !== schema ? [dropVersionSchema(oldVersion)] : []),
    dropVersionSchema(version),
    ...dropDualWriteSteps(schema, migration.name, triggerTables),
  ];
  const undo = [dropVersionSchema(version), ...dropDualWriteSteps(schema, migration.name, triggerTables)];
  const backfill = [...backfillTables].map((t) => {
    const table = before.tables.get(t);
    return {
      table: physicalOf(t),
      keys: (table?.primaryKey ?? []).map((k) => {
        const c = findColumn(table, k);
        return { name: c?.physical ?? k, type: c?.type ?? 'text' };
      }),
      sets: writes.filter((w) => w.table === t && w.direction === 'up').map((w) => ({ column: w.target, expression: w.expression })),
    };
  });
  const start = stage(startSteps);
  start.main.push(...dualWriteSteps(schema, version, migration.name, writes, before, after), ...viewSteps(version, after));
  const complete = stage(completeSteps.reverse().flat());
  complete.main.unshift(...contract);
  const rollback = stage(rollbackSteps.reverse().flat());
  rollback.main.unshift(...undo);
  return { version, oldVersion, start, backfill, complete, completeViews: viewSteps(version, identityModel(after)), rollback, after, perOperation };
}
