import { addedConstraints, inlineConstraints } from '../ast.js';
import type { Rule } from '../rule.js';

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'error',
  problem: 'adding a CHECK or FOREIGN KEY constraint validates every existing row while holding a lock that blocks writes (and, for a foreign key, writes to the referenced table)',
  fix: 'ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement (it only takes SHARE UPDATE EXCLUSIVE); sundial\'s `create_constraint` does this',
  check(stmt, state) {
    return addedConstraints(stmt, state, 'CONSTR_CHECK', 'CONSTR_FOREIGN')
      .filter((a) => !a.constraint.skip_validation)
      .concat(inlineConstraints(stmt, state, 'CONSTR_FOREIGN'))
      .map((a) => ({ location: a.constraint.location ?? a.location, message: `constraint ${a.constraint.conname ? `"${a.constraint.conname}" ` : ''}on "${a.table}" is added without NOT VALID` }));
  },
};

export const disallowedUniqueConstraint: Rule = {
  id: 'disallowed-unique-constraint',
  severity: 'error',
  problem: 'ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) builds its index while holding an ACCESS EXCLUSIVE lock: reads and writes stop for the whole build',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX; sundial\'s `create_constraint` with `type: unique` does this',
  check(stmt, state) {
    return addedConstraints(stmt, state, 'CONSTR_UNIQUE', 'CONSTR_PRIMARY')
      .filter((a) => !a.constraint.indexname)
      .concat(inlineConstraints(stmt, state, 'CONSTR_UNIQUE', 'CONSTR_PRIMARY'))
      .map((a) => ({ location: a.constraint.location ?? a.location, message: `a unique constraint on "${a.table}" builds its index under the lock` }));
  },
};
