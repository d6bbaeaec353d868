// Field shapes shared by several operations, named and defaulted as pgroll names and
// defaults them: a pgroll migration file parses here unchanged.
import { z } from 'zod';

export const identifier = z.string().min(1).max(63);

const action = z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

/**
 * The target of a multi-column foreign key, as pgroll's `create_table.constraints` and
 * `create_constraint` both write it (its TableForeignKeyReference).
 */
export const tableReferencesField = z.strictObject({
  name: identifier.optional(),
  table: identifier,
  columns: z.array(identifier).min(1),
  on_delete: action.optional(),
  // PostgreSQL 15+: `ON DELETE SET NULL (col, ...)` clears only these columns.
  on_delete_set_columns: z.array(identifier).optional(),
  on_update: action.optional(),
  match_type: z.enum(['SIMPLE', 'FULL', 'PARTIAL']).optional(),
});

export const checkField = z.strictObject({
  name: identifier,
  constraint: z.string().min(1),
  no_inherit: z.boolean().optional(),
});

export const referencesField = z.strictObject({
  name: identifier,
  table: identifier,
  column: identifier,
  on_delete: action.optional(),
  on_update: action.optional(),
  match_type: z.enum(['SIMPLE', 'FULL']).optional(),
  deferrable: z.boolean().optional(),
  initially_deferred: z.boolean().optional(),
});

export const generatedField = z
  .strictObject({
    expression: z.string().min(1).optional(),
    identity: z
      .strictObject({
        user_specified_values: z.enum(['ALWAYS', 'BY DEFAULT']).optional(),
        sequence_options: z.string().optional(),
      })
      .optional(),
  })
  .refine((g) => (g.expression === undefined) !== (g.identity === undefined), 'give exactly one of `expression` and `identity`');

export const columnField = z.strictObject({
  name: identifier,
  type: z.string().min(1),
  // pgroll's default: a column is NOT NULL unless `nullable: true` is given.
  nullable: z.boolean().default(false),
  pk: z.boolean().optional(),
  unique: z.boolean().optional(),
  default: z.string().nullable().optional(),
  check: checkField.optional(),
  references: referencesField.optional(),
  generated: generatedField.optional(),
  comment: z.string().nullable().optional(),
});

/** Options of the index behind a unique, primary key or exclusion constraint. */
export const indexParametersField = z.strictObject({
  tablespace: z.string().optional(),
  storage_parameters: z.string().optional(),
  include_columns: z.array(identifier).optional(),
});

/** An exclusion constraint: `EXCLUDE USING <index_method> (<elements>) WHERE (<predicate>)`. */
export const excludeField = z.strictObject({
  index_method: z.string().min(1).optional(),
  elements: z.string().min(1),
  predicate: z.string().optional(),
});

/** Per-column SQL expressions, as create_constraint and drop_multicolumn_constraint take them. */
export const perColumn = z.record(z.string(), z.string());

export type ColumnField = z.infer<typeof columnField>;
export type ReferencesField = z.infer<typeof referencesField>;
export type GeneratedField = z.infer<typeof generatedField>;
export type IndexParametersField = z.infer<typeof indexParametersField>;
export type ExcludeField = z.infer<typeof excludeField>;
