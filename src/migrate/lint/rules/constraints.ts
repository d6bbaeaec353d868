import { addedConstraints, alterCommands, inlineConstraints, lastName } from '../ast.js';
import type { Hit, Rule } from '../rule.js';
import { transactional } from '../state.js';

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'error',
  problem:
    'adding a CHECK constraint validates every existing row while holding an ACCESS EXCLUSIVE lock; validating it in the same transaction that added it NOT VALID holds that lock for the whole scan all the same',
  fix: "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction (it only takes SHARE UPDATE EXCLUSIVE); sundial's `create_constraint` does this",
  check(stmt, state) {
    const hits: Hit[] = addedConstraints(stmt, state, 'CONSTR_CHECK')
      .filter((a) => !a.constraint.skip_validation)
      .map((a) => ({
        location: a.constraint.location ?? a.location,
        message: `CHECK constraint ${a.constraint.conname ? `"${a.constraint.conname}" ` : ''}on "${a.table}" is added without NOT VALID`,
      }));
    for (const a of alterCommands(stmt)) {
      if (a.cmd.subtype === 'AT_ValidateConstraint' && transactional(state) && state.notValidInTransaction.has(a.cmd.name)) {
        hits.push({ location: a.location, message: `constraint "${a.cmd.name}" is validated in the same transaction that added it NOT VALID` });
      }
    }
    return hits;
  },
};

export const addingForeignKeyConstraint: Rule = {
  id: 'adding-foreign-key-constraint',
  severity: 'error',
  problem:
    'adding a FOREIGN KEY scans the table while holding SHARE ROW EXCLUSIVE locks on it and on the referenced table: writes to both stop until every row is checked',
  fix: "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction; sundial's `create_constraint` with `type: foreign_key` does this",
  check(stmt, state) {
    return addedConstraints(stmt, state, 'CONSTR_FOREIGN')
      .filter((a) => !a.constraint.skip_validation)
      .concat(inlineConstraints(stmt, state, 'CONSTR_FOREIGN'))
      .map((a) => ({
        location: a.constraint.location ?? a.location,
        message: `foreign key ${a.constraint.conname ? `"${a.constraint.conname}" ` : ''}on "${a.table}" is added without NOT VALID`,
      }));
  },
};

export const disallowedUniqueConstraint: Rule = {
  id: 'disallowed-unique-constraint',
  severity: 'error',
  problem: 'ADD CONSTRAINT ... UNIQUE builds its index while holding an ACCESS EXCLUSIVE lock: reads and writes stop for the whole build',
  fix: "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX; sundial's `create_constraint` with `type: unique` does this",
  check(stmt, state) {
    return addedConstraints(stmt, state, 'CONSTR_UNIQUE')
      .filter((a) => !a.constraint.indexname)
      .concat(inlineConstraints(stmt, state, 'CONSTR_UNIQUE'))
      .map((a) => ({ location: a.constraint.location ?? a.location, message: `a unique constraint on "${a.table}" builds its index under the lock` }));
  },
};

export const addingPrimaryKeyConstraint: Rule = {
  id: 'adding-primary-key-constraint',
  severity: 'error',
  problem: 'ADD PRIMARY KEY builds its index (and checks NOT NULL) while holding an ACCESS EXCLUSIVE lock: reads and writes stop for the whole build',
  fix: "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX; sundial's `create_index` then `create_constraint`",
  check(stmt, state) {
    return addedConstraints(stmt, state, 'CONSTR_PRIMARY')
      .filter((a) => !a.constraint.indexname)
      .map((a) => ({ location: a.constraint.location ?? a.location, message: `a primary key on "${a.table}" builds its index under the lock` }));
  },
};

export const banCreateDomainWithConstraint: Rule = {
  id: 'ban-create-domain-with-constraint',
  severity: 'error',
  problem:
    "a domain's constraint is checked on every table that uses the domain; changing it later scans all of them under lock, and it cannot be added NOT VALID in one step",
  fix: 'put the CHECK on the table columns instead (`create_constraint`), where it can be added NOT VALID and validated online',
  check(stmt) {
    const d = stmt.CreateDomainStmt;
    if (!d || !(d.constraints ?? []).some((c: any) => c.Constraint?.contype === 'CONSTR_CHECK')) return [];
    return [{ message: `domain "${lastName(d.domainname)}" is created with a CHECK constraint` }];
  },
};

export const banAlterDomainWithAddConstraint: Rule = {
  id: 'ban-alter-domain-with-add-constraint',
  severity: 'error',
  problem: 'ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain while holding locks on them',
  fix: "add the CHECK to the table columns NOT VALID and validate it later: sundial's `create_constraint`",
  check(stmt) {
    const d = stmt.AlterDomainStmt;
    if (d?.subtype !== 'C' || d.def?.Constraint?.skip_validation) return [];
    return [{ message: `a constraint is added to domain "${lastName(d.typeName)}"` }];
  },
};
