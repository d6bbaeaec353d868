import { alterCommands, columnDefinitions, typeNameOf } from '../ast.js';
import type { Hit, Rule, Statement } from '../rule.js';

function typedColumns(stmt: Statement): { table: string; column: string; type: string; location?: number }[] {
  const out = columnDefinitions(stmt).map(({ table, def }) => ({ table, column: def.colname, type: typeNameOf(def), location: def.location }));
  for (const a of alterCommands(stmt)) {
    if (a.cmd.subtype === 'AT_AlterColumnType') out.push({ table: a.table, column: a.cmd.name, type: typeNameOf(a.cmd.def?.ColumnDef), location: a.cmd.def?.ColumnDef?.location });
  }
  return out;
}

function byType(types: Set<string>, say: (c: { table: string; column: string; type: string }) => string) {
  return (stmt: Statement): Hit[] => typedColumns(stmt).filter((c) => types.has(c.type)).map((c) => ({ location: c.location, message: say(c) }));
}

export const preferBigintOverInt: Rule = {
  id: 'prefer-bigint-over-int',
  severity: 'warning',
  problem: 'int and smallint ids run out (2^31 rows or sequence values); widening later is a table rewrite',
  fix: 'use bigint (bigserial / GENERATED ... AS IDENTITY on bigint) from the start; changing it later is sundial\'s `alter_column` with `type`',
  check: byType(new Set(['int4', 'int2', 'serial', 'serial4', 'smallserial', 'serial2']), (c) => `"${c.table}"."${c.column}" is ${c.type}`),
};

export const preferTimestamptz: Rule = {
  id: 'prefer-timestamptz',
  severity: 'warning',
  problem: 'timestamp without time zone stores wall-clock times: values shift meaning when a server or client time zone changes',
  fix: 'use timestamptz; changing it later is sundial\'s `alter_column` with `type: timestamptz`',
  check: byType(new Set(['timestamp']), (c) => `"${c.table}"."${c.column}" is timestamp without time zone`),
};
