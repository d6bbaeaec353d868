import { commandsOnExistingTables, constraintsOf, typeNameOf } from '../ast.js';
import type { Hit, Rule } from '../rule.js';
import { isNonVolatile } from '../volatility.js';

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export const addingRequiredField: Rule = {
  id: 'adding-required-field',
  severity: 'error',
  problem:
    'ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows, and old application versions that do not send the column start failing on INSERT',
  fix: "add the column nullable or with a default, or use sundial's `add_column` with `up` (fills existing rows in batches, NOT NULL via a validated CHECK)",
  check(stmt, state) {
    const hits: Hit[] = [];
    for (const a of commandsOnExistingTables(stmt, state, 'AT_AddColumn')) {
      const cons = constraintsOf(a.cmd.def?.ColumnDef);
      const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      const filled =
        cons.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype)) || SERIAL_TYPES.has(typeNameOf(a.cmd.def?.ColumnDef));
      if (notNull && !filled)
        hits.push({
          location: a.cmd.def?.ColumnDef?.location ?? a.location,
          message: `column "${a.cmd.def.ColumnDef.colname}" is added to "${a.table}" as NOT NULL without a default`,
        });
    }
    return hits;
  },
};

export const addingFieldWithDefault: Rule = {
  id: 'adding-field-with-default',
  severity: 'error',
  problem:
    'a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval() ...), a STORED generated column, or any default before PostgreSQL 11 makes ADD COLUMN rewrite the whole table under an ACCESS EXCLUSIVE lock: reads and writes stop until it finishes',
  fix: "add the column without the default (or with a constant one on PostgreSQL 11+), then fill it in batches: sundial's `add_column` with `up` does both",
  check(stmt, state) {
    const hits: Hit[] = [];
    for (const a of commandsOnExistingTables(stmt, state, 'AT_AddColumn')) {
      const def = a.cmd.def?.ColumnDef;
      if (!def) continue;
      // serial types are a nextval() default in disguise.
      if (SERIAL_TYPES.has(typeNameOf(def))) {
        hits.push({ location: def.location ?? a.location, message: `column "${def.colname}" on "${a.table}" is ${typeNameOf(def)} (a nextval() default)` });
      }
      for (const c of constraintsOf(def)) {
        if (c.contype === 'CONSTR_DEFAULT' && state.pgVersion < 11) {
          hits.push({
            location: c.location ?? a.location,
            message: `column "${def.colname}" on "${a.table}" has a default: before PostgreSQL 11 every default rewrites the table`,
          });
        } else if (c.contype === 'CONSTR_DEFAULT' && !isNonVolatile(c.raw_expr)) {
          hits.push({ location: c.location ?? a.location, message: `column "${def.colname}" on "${a.table}" has a volatile (or unknown) default` });
        }
        if (c.contype === 'CONSTR_GENERATED') {
          hits.push({
            location: c.location ?? a.location,
            message: `column "${def.colname}" on "${a.table}" is GENERATED ... STORED: every row is computed and written`,
          });
        }
      }
    }
    return hits;
  },
};

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  severity: 'error',
  problem:
    'ALTER COLUMN ... TYPE rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, and breaks application versions that expect the old type',
  fix: "sundial's `alter_column` with `type`, `up` and `down`: a new column, dual writes, a batched backfill, and a swap at complete",
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_AlterColumnType').map((a) => ({
      location: a.cmd.def?.ColumnDef?.location ?? a.location,
      message: `the type of "${a.table}"."${a.cmd.name}" is changed in place`,
    }));
  },
};

export const addingNotNullableField: Rule = {
  id: 'adding-not-nullable-field',
  severity: 'error',
  problem: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a validated CHECK (col IS NOT NULL) already proves it (PostgreSQL 12+)',
  fix: "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL (12+); sundial's `alter_column` with `nullable: false` does this",
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_SetNotNull')
      .filter((a) => state.pgVersion < 12 || !state.validatedNotNull.has(`${a.table}.${a.cmd.name}`))
      .map((a) => ({
        location: a.location,
        message:
          state.pgVersion < 12
            ? `SET NOT NULL on "${a.table}"."${a.cmd.name}" scans the table: before PostgreSQL 12 a CHECK constraint cannot spare the scan`
            : `SET NOT NULL on "${a.table}"."${a.cmd.name}" without a validated CHECK (${a.cmd.name} IS NOT NULL)`,
      }));
  },
};

export const banDropNotNull: Rule = {
  id: 'ban-drop-not-null',
  severity: 'warning',
  problem: 'dropping NOT NULL lets the new version write NULLs that the running old version does not expect: it may crash reading them',
  fix: "make the column nullable in a versioned way: sundial's `alter_column` with `nullable: true` keeps the old version's view of the column",
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_DropNotNull').map((a) => ({
      location: a.location,
      message: `NOT NULL is dropped from "${a.table}"."${a.cmd.name}"`,
    }));
  },
};

export const addingSerialPrimaryKeyField: Rule = {
  id: 'adding-serial-primary-key-field',
  severity: 'error',
  problem: 'ADD COLUMN ... PRIMARY KEY rewrites the table to fill the column and builds the primary key index under an ACCESS EXCLUSIVE lock',
  fix: "add the column, fill it in batches, CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX: sundial's `add_column` with `up`, then `create_index` and `create_constraint`",
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_AddColumn')
      .filter((a) => constraintsOf(a.cmd.def?.ColumnDef).some((c) => c.contype === 'CONSTR_PRIMARY'))
      .map((a) => ({
        location: a.cmd.def.ColumnDef.location ?? a.location,
        message: `column "${a.cmd.def.ColumnDef.colname}" is added to "${a.table}" as its primary key`,
      }));
  },
};
