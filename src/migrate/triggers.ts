// Dual-write triggers. One BEFORE INSERT OR UPDATE trigger per table computes the columns
// of the other shape: `down` expressions when the writer's search_path starts with the new
// version schema, `up` expressions for every other writer (old version, raw table, backfill).
// Inside each branch the writer's shape is exposed as variables named like its columns, so
// `up: price_cents / 100.0` reads like SQL over the old table.
import type { DualWrite, Step } from './operation.js';
import type { SchemaModel, TableModel } from './model.js';
import { STATE_SCHEMA, ident, literal, qualified, shortName } from './sql.js';

/** Set (transaction-local) by the backfill's batches. */
export const BACKFILL_SETTING = 'sundial.backfill';

export function triggerName(migration: string): string {
  return shortName(`_sundial_dual_write_${migration}`);
}

export function functionName(schema: string, table: string, migration: string): string {
  return shortName(`${schema}_${table}_${migration}_dual_write`);
}

function declarations(schema: string, t: TableModel | undefined, row: 'NEW' | 'OLD'): string {
  if (!t) return '';
  return t.columns.map((c) => `      ${ident(c.name)} ${qualified(schema, t.physical)}.${ident(c.physical)}%TYPE := ${row}.${ident(c.physical)};`).join('\n');
}

/**
 * On INSERT the expression always runs. On UPDATE it runs only when its result over the
 * new row differs from its result over the old row: an update that does not touch the
 * expression's inputs must not overwrite what the other version wrote into its own column.
 * `up` also runs while its target is still NULL, which is how the backfill's no-op update
 * fills existing rows (and skips rows the new version already wrote).
 */
function assignment(schema: string, t: TableModel | undefined, w: DualWrite, i: number): string {
  const target = `NEW.${ident(w.target)}`;
  const fresh = w.direction === 'up' ? `TG_OP = 'INSERT' OR ${target} IS NULL` : `TG_OP = 'INSERT'`;
  return [
    `      IF ${fresh} THEN`,
    `        ${target} := (${w.expression});`,
    '      ELSE',
    `        _sundial_${i} := (${w.expression});`,
    '        DECLARE',
    declarations(schema, t, 'OLD').replace(/^ {6}/gm, '          '),
    '        BEGIN',
    `          IF _sundial_${i} IS DISTINCT FROM (${w.expression}) THEN ${target} := _sundial_${i}; END IF;`,
    '        END;',
    '      END IF;',
  ].join('\n');
}

function branch(schema: string, physical: string, t: TableModel | undefined, writes: DualWrite[]): string {
  if (writes.length === 0) return '    NULL;';
  const results = writes.map((w, i) => `      _sundial_${i} ${qualified(schema, physical)}.${ident(w.target)}%TYPE;`).join('\n');
  const assigns = writes.map((w, i) => assignment(schema, t, w, i)).join('\n');
  return `    DECLARE\n${declarations(schema, t, 'NEW')}\n${results}\n    BEGIN\n${assigns}\n    END;`;
}

/** Physical tables keyed by the old logical names used in DualWrite.table. */
export function groupByTable(writes: DualWrite[]): Map<string, DualWrite[]> {
  const byTable = new Map<string, DualWrite[]>();
  for (const w of writes) byTable.set(w.table, [...(byTable.get(w.table) ?? []), w]);
  return byTable;
}

export function dualWriteSteps(schema: string, version: string, migration: string, writes: DualWrite[], before: SchemaModel, after: SchemaModel): Step[] {
  const steps: Step[] = [];
  for (const [table, group] of groupByTable(writes)) {
    const oldTable = before.tables.get(table);
    const physical = oldTable?.physical ?? table;
    const newTable = [...after.tables.values()].find((t) => t.physical === physical);
    const fn = qualified(STATE_SCHEMA, functionName(schema, physical, migration));
    const body = [
      'BEGIN',
      // The backfill computes `up` in its own UPDATE: the trigger would only compute it again.
      `  IF current_setting('${BACKFILL_SETTING}', true) = 'on' THEN RETURN NEW; END IF;`,
      `  IF btrim(split_part(current_setting('search_path'), ',', 1), ' "') = ${literal(version)} THEN`,
      branch(
        schema,
        physical,
        newTable,
        group.filter((w) => w.direction === 'down'),
      ),
      '  ELSE',
      branch(
        schema,
        physical,
        oldTable,
        group.filter((w) => w.direction === 'up'),
      ),
      '  END IF;',
      '  RETURN NEW;',
      'END',
    ].join('\n');
    steps.push(
      {
        sql: `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sundial$\n${body}\n$sundial$`,
        lock: 'none',
        effect: 'catalog only',
        why: 'carries writes of either version into both shapes',
      },
      {
        sql: `CREATE TRIGGER ${ident(triggerName(migration))} BEFORE INSERT OR UPDATE ON ${qualified(schema, physical)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
        lock: 'SHARE ROW EXCLUSIVE',
        table: physical,
        effect: 'catalog only',
        why: 'blocks writes only for the instant of the catalog change',
      },
    );
  }
  return steps;
}

export function dropDualWriteSteps(schema: string, migration: string, physicalTables: string[]): Step[] {
  return physicalTables.flatMap((physical) => [
    {
      sql: `DROP TRIGGER IF EXISTS ${ident(triggerName(migration))} ON ${qualified(schema, physical)}`,
      lock: 'ACCESS EXCLUSIVE' as const,
      table: physical,
      effect: 'catalog only' as const,
      why: 'instant',
    },
    {
      sql: `DROP FUNCTION IF EXISTS ${qualified(STATE_SCHEMA, functionName(schema, physical, migration))}()`,
      lock: 'none' as const,
      effect: 'catalog only' as const,
      why: 'instant',
    },
  ]);
}
