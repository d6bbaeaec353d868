// Every operation, by the name used in migration files. Adding an operation is adding
// its file and one line here.
import type { Operation } from './operation.js';
import create_table from './operations/create_table.js';
import drop_table from './operations/drop_table.js';
import rename_table from './operations/rename_table.js';
import add_column from './operations/add_column.js';
import drop_column from './operations/drop_column.js';
import rename_column from './operations/rename_column.js';
import alter_column from './operations/alter_column.js';
import create_index from './operations/create_index.js';
import drop_index from './operations/drop_index.js';
import create_constraint from './operations/create_constraint.js';
import drop_constraint from './operations/drop_constraint.js';
import drop_multicolumn_constraint from './operations/drop_multicolumn_constraint.js';
import rename_constraint from './operations/rename_constraint.js';
import set_replica_identity from './operations/set_replica_identity.js';
import sql from './operations/raw_sql.js';

export const operations: ReadonlyMap<string, Operation> = new Map(
  [
    create_table,
    drop_table,
    rename_table,
    add_column,
    drop_column,
    rename_column,
    alter_column,
    create_index,
    drop_index,
    create_constraint,
    drop_constraint,
    drop_multicolumn_constraint,
    rename_constraint,
    set_replica_identity,
    sql,
  ].map((op) => [op.name, op as Operation]),
);
