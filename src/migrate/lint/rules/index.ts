// Every lint rule. Adding one is a function in a file here and a line in this list.
import type { Rule } from '../rule.js';
import {
  addingFieldWithDefault,
  addingNotNullableField,
  addingRequiredField,
  addingSerialPrimaryKeyField,
  banDropNotNull,
  changingColumnType,
} from './columns.js';
import {
  addingForeignKeyConstraint,
  addingPrimaryKeyConstraint,
  banAlterDomainWithAddConstraint,
  banCreateDomainWithConstraint,
  constraintMissingNotValid,
  disallowedUniqueConstraint,
} from './constraints.js';
import {
  banConcurrentIndexCreationInTransaction,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentReindex,
} from './indexes.js';
import { banDropColumn, banDropDatabase, banDropTable, banTruncateCascade, renamingColumn, renamingTable } from './breaking.js';
import { banCluster, banVacuumFull } from './maintenance.js';
import { banUncommittedTransaction, transactionNesting } from './transactions.js';
import { requireLockTimeout, requireStatementTimeout } from './timeouts.js';
import { banCharField, preferBigintOverInt, preferBigintOverSmallint, preferIdentity, preferRobustStmts, preferTextField, preferTimestamptz } from './types.js';
import { requireEnumValueOrdering } from './enums.js';

export const rules: readonly Rule[] = [
  addingRequiredField,
  addingFieldWithDefault,
  addingSerialPrimaryKeyField,
  changingColumnType,
  addingNotNullableField,
  banDropNotNull,
  constraintMissingNotValid,
  addingForeignKeyConstraint,
  disallowedUniqueConstraint,
  addingPrimaryKeyConstraint,
  banCreateDomainWithConstraint,
  banAlterDomainWithAddConstraint,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentReindex,
  banConcurrentIndexCreationInTransaction,
  renamingColumn,
  renamingTable,
  banDropColumn,
  banDropTable,
  banDropDatabase,
  banTruncateCascade,
  banVacuumFull,
  banCluster,
  transactionNesting,
  banUncommittedTransaction,
  requireLockTimeout,
  requireStatementTimeout,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferTextField,
  banCharField,
  preferTimestamptz,
  preferRobustStmts,
  requireEnumValueOrdering,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
