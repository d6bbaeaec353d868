import { alterCommands } from '../ast.js';
import type { Rule } from '../rule.js';

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'error',
  problem: 'adding a CHECK or FOREIGN KEY constraint validates every existing row while holding a lock that blocks writes (and, for a foreign key, writes to the referenced table)',
  fix: 'ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement (it only takes SHARE UPDATE EXCLUSIVE); sundial\'s `create_constraint` does this',
  check(stmt, state) {
    return alterCommands(stmt)
      .filter((a) => a.cmd.subtype === 'AT_AddConstraint' && !state.createdTables.has(a.table))
      .filter((a) => ['CONSTR_CHECK', 'CONSTR_FOREIGN'].includes(a.cmd.def?.Constraint?.contype) && !a.cmd.def.Constraint.skip_validation)
      .map((a) => ({ location: a.cmd.def.Constraint.location ?? a.location, message: `constraint ${a.cmd.def.Constraint.conname ? `"${a.cmd.def.Constraint.conname}" ` : ''}on "${a.table}" is added without NOT VALID` }));
  },
};

export const disallowedUniqueConstraint: Rule = {
  id: 'disallowed-unique-constraint',
  severity: 'error',
  problem: 'ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) builds its index while holding an ACCESS EXCLUSIVE lock: reads and writes stop for the whole build',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX; sundial\'s `create_constraint` with `type: unique` does this',
  check(stmt, state) {
    return alterCommands(stmt)
      .filter((a) => a.cmd.subtype === 'AT_AddConstraint' && !state.createdTables.has(a.table))
      .filter((a) => ['CONSTR_UNIQUE', 'CONSTR_PRIMARY'].includes(a.cmd.def?.Constraint?.contype) && !a.cmd.def.Constraint.indexname)
      .map((a) => ({ location: a.cmd.def.Constraint.location ?? a.location, message: `a unique constraint on "${a.table}" builds its index under the lock` }));
  },
};
