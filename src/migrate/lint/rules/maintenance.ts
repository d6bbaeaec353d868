import { relationName } from '../ast.js';
import type { Rule } from '../rule.js';

export const banVacuumFull: Rule = {
  id: 'ban-vacuum-full',
  severity: 'error',
  problem: 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until it ends, and it needs room for a second copy',
  fix: 'plain VACUUM, or an online repack tool (pg_repack, pg_squeeze) outside the migration',
  check(stmt) {
    const v = stmt.VacuumStmt;
    if (!v?.is_vacuumcmd || !(v.options ?? []).some((o: any) => o.DefElem?.defname === 'full')) return [];
    const rels = (v.rels ?? []).map((r: any) => `"${relationName(r.VacuumRelation?.relation)}"`);
    return [{ location: v.rels?.[0]?.VacuumRelation?.relation?.location, message: `VACUUM FULL ${rels.join(', ') || 'of every table'}` }];
  },
};

export const banCluster: Rule = {
  id: 'ban-cluster',
  severity: 'error',
  problem: 'CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock: no reads or writes until it ends',
  fix: 'an online repack tool (pg_repack with --order-by) outside the migration, or leave the physical order alone',
  check(stmt) {
    const c = stmt.ClusterStmt;
    if (!c) return [];
    return [{ location: c.relation?.location, message: `CLUSTER ${c.relation ? `"${relationName(c.relation)}"` : 'of every clustered table'}` }];
  },
};
