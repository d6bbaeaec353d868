// Validation helpers over the model. Each returns issues instead of throwing, so that one
// run reports every problem of a migration file at once.
import { type SchemaModel, type TableModel, findColumn } from '../../model.js';
import type { Issue } from '../../operation.js';
import { TEMP_PREFIX } from '../../sql.js';

export function tableMustExist(model: SchemaModel, table: string, field: string, issues: Issue[]): TableModel | undefined {
  const t = model.tables.get(table);
  if (!t && model.known) issues.push({ field, message: `table "${table}" does not exist` });
  return t;
}

export function tableMustNotExist(model: SchemaModel, table: string, field: string, issues: Issue[]): void {
  if (model.tables.has(table)) issues.push({ field, message: `table "${table}" already exists` });
}

export function columnMustExist(model: SchemaModel, table: string, column: string, field: string, issues: Issue[]): void {
  const t = model.tables.get(table);
  if (t && !findColumn(t, column)) issues.push({ field, message: `column "${column}" does not exist on table "${table}"` });
}

export function columnMustNotExist(model: SchemaModel, table: string, column: string, field: string, issues: Issue[]): void {
  const t = model.tables.get(table);
  if (t && findColumn(t, column)) issues.push({ field, message: `column "${column}" already exists on table "${table}"` });
}

export function nameIsNotReserved(name: string, field: string, issues: Issue[]): void {
  if (name.startsWith(TEMP_PREFIX)) issues.push({ field, message: `names starting with "${TEMP_PREFIX}" are reserved for sundial` });
}

export function primaryKeyForBackfill(model: SchemaModel, table: string, field: string, issues: Issue[]): void {
  const t = model.tables.get(table);
  if (t && model.known && t.primaryKey.length === 0) {
    issues.push({ field, message: `table "${table}" has no primary key, so existing rows cannot be backfilled in batches` });
  }
}

/** Two operations on one column in one migration would contract in conflicting ways. */
export function columnNotChangedYet(model: SchemaModel, table: string, column: string, field: string, issues: Issue[]): void {
  const c = findColumn(model.tables.get(table), column);
  if (c && c.physical !== c.name) {
    issues.push({
      field,
      message: `column "${column}" of table "${table}" is already changed by an earlier operation of this migration: split it into two migrations`,
    });
  }
}
