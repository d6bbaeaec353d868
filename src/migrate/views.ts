// A version schema: one view per table, exposing each logical column under its logical
// name. The views are simple (one table, plain column references), so PostgreSQL makes them
// updatable and applies the base table's defaults: clients read and write through them.
import type { Step } from './operation.js';
import type { SchemaModel } from './model.js';
import { ident, qualified } from './sql.js';

export function viewSteps(version: string, model: SchemaModel): Step[] {
  const steps: Step[] = [
    {
      sql: `CREATE SCHEMA IF NOT EXISTS ${ident(version)}`,
      lock: 'none',
      effect: 'catalog only',
      why: `clients opt in with SET search_path TO ${version}`,
    },
  ];
  for (const t of model.tables.values()) {
    const cols = t.columns.map((c) => (c.physical === c.name ? ident(c.name) : `${ident(c.physical)} AS ${ident(c.name)}`));
    steps.push({
      sql: `CREATE VIEW ${qualified(version, t.name)} AS SELECT ${cols.join(', ')} FROM ${qualified(model.schema, t.physical)}`,
      lock: 'ACCESS SHARE',
      table: t.physical,
      effect: 'catalog only',
      why: 'an updatable view: the shape this version sees',
    });
  }
  return steps;
}

export function dropVersionSchema(version: string): Step {
  return {
    sql: `DROP SCHEMA IF EXISTS ${ident(version)} CASCADE`,
    lock: 'none',
    effect: 'catalog only',
    why: 'views only; no data lives there',
  };
}

/** After complete the physical tables have the new shape: the version's views become identity views. */
export function identityModel(model: SchemaModel): SchemaModel {
  const tables = new Map(
    [...model.tables].map(([name, t]) => [
      name,
      {
        ...t,
        physical: name,
        columns: t.columns.map((c) => ({ ...c, physical: c.name })),
      },
    ]),
  );
  return { ...model, tables };
}
