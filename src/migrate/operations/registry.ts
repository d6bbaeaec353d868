// Every operation, by the name used in migration files. Adding an operation is adding
// its file and one line here.
import type { Operation } from '../operation.js';
import create_table from './create_table.js';
import drop_table from './drop_table.js';
import rename_table from './rename_table.js';
import add_column from './add_column.js';
import drop_column from './drop_column.js';
import rename_column from './rename_column.js';
import alter_column from './alter_column.js';
import create_index from './create_index.js';
import drop_index from './drop_index.js';
import create_constraint from './create_constraint.js';
import sql from './sql.js';

export const operations: ReadonlyMap<string, Operation> = new Map(
  [create_table, drop_table, rename_table, add_column, drop_column, rename_column, alter_column, create_index, drop_index, create_constraint, sql]
    .map((op) => [op.name, op as Operation]),
);
