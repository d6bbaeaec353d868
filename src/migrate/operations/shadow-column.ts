// The shadow column: the new shape of a column lives in `_sundial_new_<col>` until
// complete. Every constraint is added in its non-blocking form at start (NOT VALID checks,
// a concurrently built unique index) and promoted at complete, after validation.
import type { Step } from '../operation.js';
import { TEMP_PREFIX, ident, notNullCheckName, qualified, shortName } from '../sql.js';
import type { IndexModel } from '../model.js';
import type { ReferencesField } from './fields.js';
import { foreignKeyClause } from './column-sql.js';
import { renameInExpression } from './rewrite-column.js';

export interface ShadowColumn {
  schema: string;
  /** Physical table. */
  table: string;
  /** Final column name (after complete). */
  column: string;
  temp: string;
  type: string;
  nullable: boolean;
  default?: string | null;
  check?: { name: string; constraint: string };
  unique?: { name: string };
  references?: ReferencesField;
  /** Existing rows get their value from the backfill, not from the default. */
  backfilled: boolean;
  /** The column this one replaces (alter_column), whose plain indexes are rebuilt on the copy. */
  replaces?: { column: string; indexes: IndexModel[] };
}

function indexCopyName(name: string): string {
  return shortName(`${TEMP_PREFIX}${name}`);
}

/** Plain indexes on the replaced column: dropping that column at complete would drop them. */
function copiedIndexes(c: ShadowColumn): IndexModel[] {
  const r = c.replaces;
  return r ? r.indexes.filter((i) => !i.expression && i.columns.includes(r.column)) : [];
}

export function shadowStart(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const steps: Step[] = [];
  // A backfilled column starts NULL and gets its default for new rows only: existing rows
  // must not all share it (a unique index would fail) and a volatile default must not rewrite.
  const inline = c.default != null && !c.backfilled ? ` DEFAULT ${c.default}` : '';
  steps.push({
    sql: `ALTER TABLE ${t} ADD COLUMN ${ident(c.temp)} ${c.type}${inline}`,
    lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only',
    why: 'nullable column' + (inline ? ' with a default (PG11+: no rewrite unless the default is volatile)' : ', no rewrite'),
  });
  if (c.default != null && c.backfilled) {
    steps.push({
      sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(c.temp)} SET DEFAULT ${c.default}`,
      lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'default for new rows only; existing rows come from the backfill',
    });
  }
  if (!c.nullable) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(notNullCheckName(c.table, c.column))} CHECK (${ident(c.temp)} IS NOT NULL) NOT VALID`,
      lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only',
      why: 'NOT NULL enforced on new writes at once; existing rows are checked later by VALIDATE',
    });
  }
  if (c.check) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.check.name)} CHECK (${renameInExpression(c.check.constraint, c.column, c.temp)}) NOT VALID`,
      lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'NOT VALID: no scan under the lock',
    });
  }
  if (c.references) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.references.name)} ${foreignKeyClause(c.temp, c.references, c.schema)} NOT VALID`,
      lock: 'SHARE ROW EXCLUSIVE', table: c.table, effect: 'catalog only',
      why: 'NOT VALID: no scan; also locks the referenced table briefly',
    });
  }
  for (const i of copiedIndexes(c)) {
    const cols = i.columns.map((col) => ident(col === c.replaces!.column ? c.temp : col)).join(', ');
    const where = i.predicate ? ` WHERE ${renameInExpression(i.predicate, c.replaces!.column, c.temp)}` : '';
    steps.push({
      sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${ident(indexCopyName(i.name))} ON ${t} USING ${i.method} (${cols})${where}`,
      lock: 'SHARE UPDATE EXCLUSIVE', table: c.table, effect: 'scans table', stage: 'after', index: indexCopyName(i.name),
      why: `copy of index ${i.name} for the new column; it takes the old name at complete`,
    });
  }
  if (c.unique) {
    steps.push({
      sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${ident(c.unique.name)} ON ${t} (${ident(c.temp)})`,
      lock: 'SHARE UPDATE EXCLUSIVE', table: c.table, effect: 'scans table', stage: 'after', index: c.unique.name,
      why: 'built without blocking writes; becomes the UNIQUE constraint at complete',
    });
  }
  return steps;
}

/** Validations run before the contract transaction, each under SHARE UPDATE EXCLUSIVE only. */
export function shadowValidate(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const names = [
    ...(c.nullable ? [] : [notNullCheckName(c.table, c.column)]),
    ...(c.check ? [c.check.name] : []),
    ...(c.references ? [c.references.name] : []),
  ];
  return names.map((name) => ({
    sql: `ALTER TABLE ${t} VALIDATE CONSTRAINT ${ident(name)}`,
    lock: 'SHARE UPDATE EXCLUSIVE', table: c.table, effect: 'scans table', stage: 'before',
    why: 'checks existing rows while reads and writes go on',
  }));
}

/** Promotes the shadow column to its final name and constraints (inside the contract transaction). */
export function shadowPromote(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const steps: Step[] = [{
    sql: `ALTER TABLE ${t} RENAME COLUMN ${ident(c.temp)} TO ${ident(c.column)}`,
    lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'instant rename',
  }];
  if (!c.nullable) {
    const check = notNullCheckName(c.table, c.column);
    steps.push(
      {
        sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(c.column)} SET NOT NULL`,
        lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only',
        why: 'PG12+ skips the scan because a validated CHECK (col IS NOT NULL) exists',
      },
      {
        sql: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(check)}`,
        lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'the NOT NULL attribute replaces the check',
      },
    );
  }
  for (const i of copiedIndexes(c)) {
    steps.push({
      sql: `ALTER INDEX ${qualified(c.schema, indexCopyName(i.name))} RENAME TO ${ident(i.name)}`,
      lock: 'SHARE UPDATE EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'the old index went with the old column',
    });
  }
  if (c.unique) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.unique.name)} UNIQUE USING INDEX ${ident(c.unique.name)}`,
      lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only', why: 'reuses the index built concurrently',
    });
  }
  return steps;
}

export function shadowDrop(c: Pick<ShadowColumn, 'schema' | 'table' | 'temp'>): Step {
  return {
    sql: `ALTER TABLE IF EXISTS ${qualified(c.schema, c.table)} DROP COLUMN IF EXISTS ${ident(c.temp)}`,
    lock: 'ACCESS EXCLUSIVE', table: c.table, effect: 'catalog only',
    why: 'removes the temporary column with its constraints and index; the old column was never touched',
  };
}
