// The shadow column: the new shape of a column lives in `_sundial_new_<col>` until
// complete. Every constraint is added in its non-blocking form at start (NOT VALID checks
// and foreign keys, concurrently built unique indexes) and promoted at complete, after
// validation. A column that replaces another (alter_column) carries everything the old one
// had: NOT NULL, default, comment, UNIQUE, CHECK and FOREIGN KEY constraints with their
// options, and every index on it; each gets its old name back at complete.
import type { Step } from '../../operation.js';
import { TEMP_PREFIX, ident, notNullCheckName, qualified, shortName } from '../../sql.js';
import type { ConstraintModel, IndexModel, TableModel } from '../../model.js';
import type { GeneratedField, ReferencesField } from './fields.js';
import { commentSql, deferral, foreignKeyClause, generatedClause } from './column-sql.js';
import { checkOnColumn, expressionOnColumn, foreignKeyOnColumn, indexOnColumn } from './rewrite-column.js';

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
  comment?: string | null;
  check?: { name: string; constraint: string; no_inherit?: boolean };
  unique?: { name: string };
  references?: ReferencesField;
  /** add_column: a generated column (expression or identity), added with its definition; PostgreSQL fills every row. */
  generated?: GeneratedField;
  /** Existing rows get their value from the backfill, not from the default. */
  backfilled: boolean;
  /** The column this one replaces (alter_column): its constraints and indexes are rebuilt on the copy. */
  replaces?: { column: string; table: TableModel };
}

/** Temporary name of a rebuilt constraint or index; it takes the old name at complete. */
export function tempName(name: string): string {
  return shortName(`${TEMP_PREFIX}${name}`);
}

interface Carried {
  checks: ConstraintModel[];
  foreignKeys: ConstraintModel[];
  uniques: ConstraintModel[];
  indexes: IndexModel[];
}

/** What the replaced column has that dropping it at complete would take with it. */
export function carried(c: ShadowColumn): Carried {
  const r = c.replaces;
  if (!r) return { checks: [], foreignKeys: [], uniques: [], indexes: [] };
  const replacedByOp = new Set([c.check?.name, c.unique?.name, c.references?.name].filter(Boolean));
  const on = [...r.table.constraints.values()].filter((k) => k.columns.includes(r.column) && !replacedByOp.has(k.name));
  return {
    checks: on.filter((k) => k.type === 'c'),
    foreignKeys: on.filter((k) => k.type === 'f'),
    uniques: on.filter((k) => k.type === 'u' && k.indexDefinition),
    // Keys, INCLUDE columns, expressions and partial-index predicates all count.
    indexes: r.table.indexes.filter((i) => i.definition && (i.columns.includes(r.column) || mentions(i.definition, r.column))),
  };
}

function mentions(definition: string, column: string): boolean {
  return indexOnColumn(definition, 'x', 'x', column, `${TEMP_PREFIX}probe`).includes(`${TEMP_PREFIX}probe`);
}

export function shadowStart(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const steps: Step[] = [];
  const indexStage = c.backfilled ? 'backfilled' : 'after';
  const catalogOnly = (sql: string, lock: Step['lock'], why: string) => steps.push({ sql, lock, table: c.table, effect: 'catalog only', why });
  // Index builds run CONCURRENTLY, and after the backfill where there is one.
  const buildIndex = (sql: string, index: string, why: string) =>
    steps.push({ sql, lock: 'SHARE UPDATE EXCLUSIVE', table: c.table, effect: 'scans table', stage: indexStage, index, why });
  // A backfilled column starts NULL and gets its default for new rows only: existing rows
  // must not all share it (a unique index would fail) and a volatile default must not rewrite.
  const inline = c.default != null && !c.backfilled ? ` DEFAULT ${c.default}` : '';
  if (c.generated) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD COLUMN ${ident(c.temp)} ${c.type} ${generatedClause(c.generated)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: c.table,
      effect: 'rewrites table',
      why: c.generated.expression
        ? 'a stored generated column is computed for every row as it is added: the table is rewritten under the lock, and reads and writes wait'
        : 'an identity column takes a value from its sequence for every row as it is added: the table is rewritten under the lock, and reads and writes wait',
    });
  } else {
    catalogOnly(
      `ALTER TABLE ${t} ADD COLUMN ${ident(c.temp)} ${c.type}${inline}`,
      'ACCESS EXCLUSIVE',
      'nullable column' + (inline ? ' with a default (PG11+: no rewrite unless the default is volatile)' : ', no rewrite'),
    );
  }
  if (c.default != null && c.backfilled) {
    catalogOnly(
      `ALTER TABLE ${t} ALTER COLUMN ${ident(c.temp)} SET DEFAULT ${c.default}`,
      'ACCESS EXCLUSIVE',
      `default ${c.default} for new rows only; existing rows come from the backfill`,
    );
  }
  if (c.comment != null) {
    catalogOnly(commentSql(c.schema, c.table, c.temp, c.comment), 'SHARE UPDATE EXCLUSIVE', 'the column comment, kept through the rename at complete');
  }
  if (!c.nullable) {
    catalogOnly(
      `ALTER TABLE ${t} ADD CONSTRAINT ${ident(notNullCheckName(c.table, c.column))} CHECK (${ident(c.temp)} IS NOT NULL) NOT VALID`,
      'ACCESS EXCLUSIVE',
      'NOT NULL enforced on new writes at once; existing rows are checked later by VALIDATE',
    );
  }
  if (c.check) {
    catalogOnly(
      `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.check.name)} CHECK (${expressionOnColumn(c.check.constraint, c.column, c.temp)})${c.check.no_inherit ? ' NO INHERIT' : ''} NOT VALID`,
      'ACCESS EXCLUSIVE',
      'NOT VALID: no scan under the lock',
    );
  }
  if (c.references) {
    catalogOnly(
      `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.references.name)} ${foreignKeyClause(c.temp, c.references, c.schema)} NOT VALID`,
      'SHARE ROW EXCLUSIVE',
      'NOT VALID: no scan; also locks the referenced table briefly',
    );
  }
  const keep = carried(c);
  const from = c.replaces?.column ?? c.column;
  for (const k of keep.checks) {
    catalogOnly(
      `ALTER TABLE ${t} ADD CONSTRAINT ${ident(tempName(k.name))} ${checkOnColumn(k.definition, from, c.temp)} NOT VALID`,
      'ACCESS EXCLUSIVE',
      `keeps CHECK constraint ${k.name} (${k.definition}) on the new column: NOT VALID, no scan; it takes its name back at complete`,
    );
  }
  for (const k of keep.foreignKeys) {
    catalogOnly(
      `ALTER TABLE ${t} ADD CONSTRAINT ${ident(tempName(k.name))} ${foreignKeyOnColumn(k.definition, from, c.temp)} NOT VALID`,
      'SHARE ROW EXCLUSIVE',
      `keeps FOREIGN KEY ${k.name} (${k.definition}) with its actions: NOT VALID, no scan; also locks ${k.refTable} briefly`,
    );
  }
  for (const i of keep.indexes) {
    buildIndex(
      indexOnColumn(i.definition!, tempName(i.name), t, from, c.temp),
      tempName(i.name),
      `keeps index ${i.name} (${i.definition}) on the new column; it takes its name back at complete`,
    );
  }
  for (const k of keep.uniques) {
    buildIndex(
      indexOnColumn(k.indexDefinition!, tempName(k.name), t, from, c.temp),
      tempName(k.name),
      `keeps UNIQUE constraint ${k.name} (${k.definition}): its index is built without blocking writes and becomes the constraint at complete`,
    );
  }
  if (c.unique) {
    buildIndex(
      `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${ident(c.unique.name)} ON ${t} (${ident(c.temp)})`,
      c.unique.name,
      'built without blocking writes; becomes the UNIQUE constraint at complete',
    );
  }
  return steps;
}

/** Validations run before the contract transaction, each under SHARE UPDATE EXCLUSIVE only. */
export function shadowValidate(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const keep = carried(c);
  const names = [
    ...(c.nullable ? [] : [notNullCheckName(c.table, c.column)]),
    ...(c.check ? [c.check.name] : []),
    ...(c.references ? [c.references.name] : []),
    ...[...keep.checks, ...keep.foreignKeys].map((k) => tempName(k.name)),
  ];
  return names.map((name) => ({
    sql: `ALTER TABLE ${t} VALIDATE CONSTRAINT ${ident(name)}`,
    lock: 'SHARE UPDATE EXCLUSIVE',
    table: c.table,
    effect: 'scans table',
    stage: 'before',
    why: 'checks existing rows while reads and writes go on',
  }));
}

/** Promotes the shadow column to its final name and constraints (inside the contract transaction, after the old column is dropped). */
export function shadowPromote(c: ShadowColumn): Step[] {
  const t = qualified(c.schema, c.table);
  const steps: Step[] = [
    {
      sql: `ALTER TABLE ${t} RENAME COLUMN ${ident(c.temp)} TO ${ident(c.column)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: c.table,
      effect: 'catalog only',
      why: 'instant rename',
    },
  ];
  if (!c.nullable) {
    const check = notNullCheckName(c.table, c.column);
    steps.push(
      {
        sql: `ALTER TABLE ${t} ALTER COLUMN ${ident(c.column)} SET NOT NULL`,
        lock: 'ACCESS EXCLUSIVE',
        table: c.table,
        effect: 'catalog only',
        why: 'PG12+ skips the scan because a validated CHECK (col IS NOT NULL) exists',
      },
      {
        sql: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(check)}`,
        lock: 'ACCESS EXCLUSIVE',
        table: c.table,
        effect: 'catalog only',
        why: 'the NOT NULL attribute replaces the check',
      },
    );
  }
  const keep = carried(c);
  for (const k of [...keep.checks, ...keep.foreignKeys]) {
    steps.push({
      sql: `ALTER TABLE ${t} RENAME CONSTRAINT ${ident(tempName(k.name))} TO ${ident(k.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: c.table,
      effect: 'catalog only',
      why: `${k.name} gets its name back (the old one went with the old column)`,
    });
  }
  for (const i of keep.indexes) {
    steps.push({
      sql: `ALTER INDEX ${qualified(c.schema, tempName(i.name))} RENAME TO ${ident(i.name)}`,
      lock: 'SHARE UPDATE EXCLUSIVE',
      table: c.table,
      effect: 'catalog only',
      why: `index ${i.name} gets its name back (the old one went with the old column)`,
    });
  }
  for (const k of keep.uniques) {
    const defer = deferral({ deferrable: /\bDEFERRABLE\b/.test(k.definition), initially_deferred: /INITIALLY DEFERRED/.test(k.definition) });
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(k.name)} UNIQUE USING INDEX ${ident(tempName(k.name))}${defer.length ? ' ' + defer.join(' ') : ''}`,
      lock: 'ACCESS EXCLUSIVE',
      table: c.table,
      effect: 'catalog only',
      why: `UNIQUE constraint ${k.name} is back, on the index built concurrently (which takes its name)`,
    });
  }
  if (c.unique) {
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(c.unique.name)} UNIQUE USING INDEX ${ident(c.unique.name)}`,
      lock: 'ACCESS EXCLUSIVE',
      table: c.table,
      effect: 'catalog only',
      why: 'reuses the index built concurrently',
    });
  }
  return steps;
}

export function shadowDrop(c: Pick<ShadowColumn, 'schema' | 'table' | 'temp'>): Step {
  return {
    sql: `ALTER TABLE IF EXISTS ${qualified(c.schema, c.table)} DROP COLUMN IF EXISTS ${ident(c.temp)}`,
    lock: 'ACCESS EXCLUSIVE',
    table: c.table,
    effect: 'catalog only',
    why: 'removes the temporary column with its constraints and indexes; the old column was never touched',
  };
}
