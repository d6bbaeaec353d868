// Field shapes shared by several operations, named as pgroll names them.
import { z } from 'zod';

export const identifier = z.string().min(1).max(63);

export const checkField = z.strictObject({ name: identifier, constraint: z.string().min(1) });

export const referencesField = z.strictObject({
  name: identifier,
  table: identifier,
  column: identifier,
  on_delete: z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']).optional(),
});

export const columnField = z.strictObject({
  name: identifier,
  type: z.string().min(1),
  nullable: z.boolean().default(true),
  pk: z.boolean().optional(),
  unique: z.boolean().optional(),
  default: z.string().optional(),
  check: checkField.optional(),
  references: referencesField.optional(),
  comment: z.string().optional(),
});
export type ColumnField = z.infer<typeof columnField>;
export type ReferencesField = z.infer<typeof referencesField>;
