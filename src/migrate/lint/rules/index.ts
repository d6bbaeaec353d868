// Every lint rule. Adding one is a function in a file here and a line in this list.
import type { Rule } from '../rule.js';
import { addingFieldWithDefault, addingNotNullableField, addingRequiredField, changingColumnType } from './columns.js';
import { constraintMissingNotValid, disallowedUniqueConstraint } from './constraints.js';
import { banConcurrentIndexCreationInTransaction, requireConcurrentIndexCreation } from './indexes.js';
import { banDropColumn, banDropTable, renamingColumn, renamingTable } from './breaking.js';
import { requireLockTimeout } from './lock-timeout.js';
import { preferBigintOverInt, preferTimestamptz } from './types.js';

export const rules: readonly Rule[] = [
  addingRequiredField,
  addingFieldWithDefault,
  changingColumnType,
  addingNotNullableField,
  constraintMissingNotValid,
  disallowedUniqueConstraint,
  requireConcurrentIndexCreation,
  banConcurrentIndexCreationInTransaction,
  renamingColumn,
  renamingTable,
  banDropColumn,
  banDropTable,
  requireLockTimeout,
  preferBigintOverInt,
  preferTimestamptz,
];
