import { commandsOnExistingTables, constraintsOf, typeNameOf } from '../ast.js';
import type { Hit, Rule } from '../rule.js';

/** Defaults PostgreSQL evaluates once for ADD COLUMN (PG11+): constants and stable functions. */
const NON_VOLATILE_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'localtimestamp', 'current_setting']);

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

function isNonVolatile(expr: any): boolean {
  if (!expr) return true;
  if (expr.A_Const || expr.SQLValueFunction) return true;
  if (expr.TypeCast) return isNonVolatile(expr.TypeCast.arg);
  if (expr.FuncCall) {
    const names = expr.FuncCall.funcname.map((n: any) => n.String?.sval);
    return NON_VOLATILE_FUNCTIONS.has(names[names.length - 1]) && (expr.FuncCall.args ?? []).every(isNonVolatile);
  }
  if (expr.A_ArrayExpr) return (expr.A_ArrayExpr.elements ?? []).every(isNonVolatile);
  return false;
}

export const addingRequiredField: Rule = {
  id: 'adding-required-field',
  severity: 'error',
  problem: 'ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows, and old application versions that do not send the column start failing on INSERT',
  fix: 'add the column nullable or with a default, or use sundial\'s `add_column` with `up` (fills existing rows in batches, NOT NULL via a validated CHECK)',
  check(stmt, state) {
    const hits: Hit[] = [];
    for (const a of commandsOnExistingTables(stmt, state, 'AT_AddColumn')) {
      const cons = constraintsOf(a.cmd.def?.ColumnDef);
      const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      const filled = cons.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype));
      if (notNull && !filled) hits.push({ location: a.cmd.def?.ColumnDef?.location ?? a.location, message: `column "${a.cmd.def.ColumnDef.colname}" is added to "${a.table}" as NOT NULL without a default` });
    }
    return hits;
  },
};

export const addingFieldWithDefault: Rule = {
  id: 'adding-field-with-default',
  severity: 'error',
  problem: 'a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval() ...) makes ADD COLUMN rewrite the whole table under an ACCESS EXCLUSIVE lock: reads and writes stop until it finishes',
  fix: 'add the column without the default (or with a constant one), then fill it in batches: sundial\'s `add_column` with `up` does both',
  check(stmt, state) {
    const hits: Hit[] = [];
    for (const a of commandsOnExistingTables(stmt, state, 'AT_AddColumn')) {
      // serial types are a nextval() default in disguise.
      if (SERIAL_TYPES.has(typeNameOf(a.cmd.def?.ColumnDef))) {
        hits.push({ location: a.cmd.def.ColumnDef.location ?? a.location, message: `column "${a.cmd.def.ColumnDef.colname}" on "${a.table}" is ${typeNameOf(a.cmd.def.ColumnDef)} (a nextval() default)` });
      }
      for (const c of constraintsOf(a.cmd.def?.ColumnDef)) {
        if (c.contype === 'CONSTR_DEFAULT' && !isNonVolatile(c.raw_expr)) {
          hits.push({ location: c.location ?? a.location, message: `column "${a.cmd.def.ColumnDef.colname}" on "${a.table}" has a volatile (or unknown) default` });
        }
      }
    }
    return hits;
  },
};

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  severity: 'error',
  problem: 'ALTER COLUMN ... TYPE rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, and breaks application versions that expect the old type',
  fix: 'sundial\'s `alter_column` with `type`, `up` and `down`: a new column, dual writes, a batched backfill, and a swap at complete',
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_AlterColumnType')
      .map((a) => ({ location: a.cmd.def?.ColumnDef?.location ?? a.location, message: `the type of "${a.table}"."${a.cmd.name}" is changed in place` }));
  },
};

export const addingNotNullableField: Rule = {
  id: 'adding-not-nullable-field',
  severity: 'error',
  problem: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a validated CHECK (col IS NOT NULL) already proves it (PG12+)',
  fix: 'ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL; sundial\'s `alter_column` with `nullable: false` does this',
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_SetNotNull')
      .filter((a) => !state.validatedNotNull.has(`${a.table}.${a.cmd.name}`))
      .map((a) => ({ location: a.location, message: `SET NOT NULL on "${a.table}"."${a.cmd.name}" without a validated CHECK (${a.cmd.name} IS NOT NULL)` }));
  },
};
