// Gathers what renderPlan needs: with a database, the real schema (so the migration is
// validated and the row estimates are real); without one, an unknown schema.
import type pg from 'pg';
import { readModel, rowEstimates, schemaExists } from './catalog.js';
import type { Migration } from './load.js';
import { emptyModel } from './model.js';
import type { PlanInput } from './plan.js';
import { lastCompleted, stateExists } from './state.js';
import { buildSteps } from './steps.js';
import { validateMigration } from './validate.js';

export async function planInput(
  db: pg.ClientBase | undefined, migration: Migration, schema: string, batchSize: number, lockTimeoutMs: number,
): Promise<PlanInput> {
  const before = db ? await readModel(db, schema) : emptyModel(schema, false);
  const after = validateMigration(migration, before);
  let oldVersion = schema;
  if (db && (await stateExists(db))) {
    const parent = await lastCompleted(db, schema);
    if (parent && (await schemaExists(db, parent.version_schema))) oldVersion = parent.version_schema;
  }
  const steps = buildSteps(migration, schema, before, after, oldVersion);
  return { migration, schema, steps, estimates: db ? await rowEstimates(db, schema) : undefined, batchSize, lockTimeoutMs };
}
