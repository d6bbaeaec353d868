// Gathers what renderPlan needs: with a database, the real schema (so the migration is
// validated and the row estimates are real); without one, an unknown schema.
import type pg from 'pg';
import { readModel, rowEstimates } from './catalog.js';
import type { Migration } from './load.js';
import { emptyModel } from './model.js';
import type { PlanInput } from './plan.js';
import { oldVersionSchema } from './state.js';
import { buildSteps } from './steps.js';

export async function planInput(
  db: pg.ClientBase | undefined,
  migration: Migration,
  schema: string,
  batchSize: number,
  lockTimeoutMs: number,
): Promise<PlanInput> {
  const before = db ? await readModel(db, schema) : emptyModel(schema, false);
  const { oldVersion } = db ? await oldVersionSchema(db, schema) : { oldVersion: schema };
  const steps = buildSteps(migration, schema, before, oldVersion);
  return { migration, schema, steps, estimates: db ? await rowEstimates(db, schema) : undefined, batchSize, lockTimeoutMs };
}
