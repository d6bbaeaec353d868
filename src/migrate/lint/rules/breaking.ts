import { commandsOnExistingTables, dropNames, relationName } from '../ast.js';
import type { Rule } from '../rule.js';

export const renamingColumn: Rule = {
  id: 'renaming-column',
  severity: 'error',
  problem: 'the running application version still uses the old name: its queries fail from the moment the rename commits',
  fix: "sundial's `rename_column`: the new version sees the new name through its version schema while the old version keeps the old one",
  check(stmt, state) {
    const r = stmt.RenameStmt;
    if (r?.renameType !== 'OBJECT_COLUMN' || state.createdTables.has(relationName(r.relation))) return [];
    return [{ location: r.relation?.location, message: `column "${relationName(r.relation)}"."${r.subname}" is renamed to "${r.newname}"` }];
  },
};

export const renamingTable: Rule = {
  id: 'renaming-table',
  severity: 'error',
  problem: 'the running application version still uses the old table name: its queries fail from the moment the rename commits',
  fix: "sundial's `rename_table`: each version sees its own name until complete",
  check(stmt, state) {
    const r = stmt.RenameStmt;
    if (r?.renameType !== 'OBJECT_TABLE' || state.createdTables.has(relationName(r.relation))) return [];
    return [{ location: r.relation?.location, message: `table "${relationName(r.relation)}" is renamed to "${r.newname}"` }];
  },
};

export const banDropColumn: Rule = {
  id: 'ban-drop-column',
  severity: 'error',
  problem: 'the running application version may still read or write the column: its queries fail, and the data is gone with no way back',
  fix: "sundial's `drop_column` (with `down`): hidden from the new version first, dropped only at complete, reversible until then",
  check(stmt, state) {
    return commandsOnExistingTables(stmt, state, 'AT_DropColumn').map((a) => ({
      location: a.location,
      message: `column "${a.table}"."${a.cmd.name}" is dropped`,
    }));
  },
};

export const banDropTable: Rule = {
  id: 'ban-drop-table',
  severity: 'error',
  problem: 'the running application version may still use the table: its queries fail, and the data is gone with no way back',
  fix: "sundial's `drop_table`: hidden from the new version first, dropped only at complete",
  check(stmt, state) {
    const d = stmt.DropStmt;
    if (d?.removeType !== 'OBJECT_TABLE') return [];
    const names = dropNames(d).filter((n) => !state.createdTables.has(n));
    return names.length ? [{ message: `table${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')} dropped` }] : [];
  },
};

export const banDropDatabase: Rule = {
  id: 'ban-drop-database',
  severity: 'error',
  problem: 'DROP DATABASE deletes every table and every row in it, for every application that uses it: there is no undo',
  fix: 'never drop a database from a migration; retire it by hand after a backup, once nothing connects to it',
  check(stmt) {
    const d = stmt.DropdbStmt;
    return d ? [{ message: `database "${d.dbname}" is dropped` }] : [];
  },
};

export const banTruncateCascade: Rule = {
  id: 'ban-truncate-cascade',
  severity: 'error',
  problem:
    'TRUNCATE ... CASCADE also empties every table that references this one, recursively, which may be far more data than intended, under ACCESS EXCLUSIVE locks',
  fix: 'TRUNCATE the tables you mean by name (without CASCADE), or DELETE in batches; sundial has no operation that deletes data on purpose',
  check(stmt) {
    const t = stmt.TruncateStmt;
    if (t?.behavior !== 'DROP_CASCADE') return [];
    return [
      {
        location: t.relations?.[0]?.RangeVar?.location,
        message: `TRUNCATE ${(t.relations ?? []).map((r: any) => `"${relationName(r.RangeVar)}"`).join(', ')} CASCADE`,
      },
    ];
  },
};
