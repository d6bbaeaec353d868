// Checks every operation against the schema as it will be when the operation runs
// (earlier operations of the same migration applied), before anything is changed.
import { ERR_MIGRATE_INVALID } from '../errors.js';
import type { Migration } from './load.js';
import { type SchemaModel, cloneModel } from './model.js';

/** Returns the model after the whole migration: the shape the new version exposes. */
export function validateMigration(migration: Migration, before: SchemaModel): SchemaModel {
  const model = cloneModel(before);
  const problems: string[] = [];
  migration.ops.forEach((op, i) => {
    for (const issue of op.operation.validate(op.fields, model)) {
      problems.push(`${migration.source}: operations[${i}].${op.kind}.${issue.field}: ${issue.message}`);
    }
    op.operation.apply(op.fields, model);
  });
  if (problems.length) throw ERR_MIGRATE_INVALID(problems.join('\n'));
  return model;
}
