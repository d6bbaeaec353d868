import { lastName } from '../ast.js';
import type { Rule } from '../rule.js';

export const requireEnumValueOrdering: Rule = {
  id: 'require-enum-value-ordering',
  severity: 'warning',
  style: true,
  problem: 'ALTER TYPE ... ADD VALUE without BEFORE or AFTER appends the value, so ORDER BY on the enum may sort it where nobody meant it',
  fix: "say where the value goes: ADD VALUE 'x' BEFORE 'y' (or AFTER)",
  check(stmt) {
    const e = stmt.AlterEnumStmt;
    if (!e?.newVal || e.newValNeighbor) return [];
    return [{ message: `value '${e.newVal}' is appended to enum "${lastName(e.typeName)}" without BEFORE or AFTER` }];
  },
};
