// Small accessors over libpg-query's JSON AST, so rules read like the SQL they match.
import type { LintState, Statement } from './rule.js';

export interface AlterCommand {
  table: string;
  location?: number;
  cmd: Record<string, any>;
}

export function relationName(rel: { relname: string; schemaname?: string } | undefined): string {
  return rel?.relname ?? '';
}

export function alterCommands(stmt: Statement): AlterCommand[] {
  const a = stmt.AlterTableStmt;
  if (!a || a.objtype !== 'OBJECT_TABLE') return [];
  return (a.cmds ?? []).map((c: any) => ({ table: relationName(a.relation), location: a.relation?.location, cmd: c.AlterTableCmd }));
}

/** ALTER TABLE commands of the given kinds on tables that existed before this file (new tables are safe). */
export function commandsOnExistingTables(stmt: Statement, state: LintState, ...subtypes: string[]): AlterCommand[] {
  return alterCommands(stmt).filter((a) => subtypes.includes(a.cmd.subtype) && !state.createdTables.has(a.table));
}

/** ADD CONSTRAINT commands of the given kinds on existing tables. */
export function addedConstraints(stmt: Statement, state: LintState, ...contypes: string[]): (AlterCommand & { constraint: any })[] {
  return commandsOnExistingTables(stmt, state, 'AT_AddConstraint')
    .filter((a) => contypes.includes(a.cmd.def?.Constraint?.contype))
    .map((a) => ({ ...a, constraint: a.cmd.def.Constraint }));
}

/** Constraints declared inline on columns added to existing tables (`ADD COLUMN x int UNIQUE`). */
export function inlineConstraints(stmt: Statement, state: LintState, ...contypes: string[]): (AlterCommand & { constraint: any })[] {
  return commandsOnExistingTables(stmt, state, 'AT_AddColumn').flatMap((a) =>
    constraintsOf(a.cmd.def?.ColumnDef)
      .filter((c) => contypes.includes(c.contype))
      .map((constraint) => ({ ...a, constraint })),
  );
}

export function constraintsOf(columnDef: any): any[] {
  return (columnDef?.constraints ?? []).map((c: any) => c.Constraint);
}

export function typeNameOf(columnDef: any): string {
  const names: string[] = (columnDef?.typeName?.names ?? []).map((n: any) => n.String?.sval);
  return names[names.length - 1] ?? '';
}

/** Column definitions a statement introduces: CREATE TABLE columns and ADD COLUMN. */
export function columnDefinitions(stmt: Statement): { table: string; def: any }[] {
  const out: { table: string; def: any }[] = [];
  if (stmt.CreateStmt) {
    for (const e of stmt.CreateStmt.tableElts ?? []) if (e.ColumnDef) out.push({ table: relationName(stmt.CreateStmt.relation), def: e.ColumnDef });
  }
  for (const a of alterCommands(stmt)) {
    if (a.cmd.subtype === 'AT_AddColumn' && a.cmd.def?.ColumnDef) out.push({ table: a.table, def: a.cmd.def.ColumnDef });
  }
  return out;
}

/** The column a `col IS NOT NULL` check covers, if that is all the check says. */
export function notNullColumn(expr: any): string | undefined {
  const t = expr?.NullTest;
  if (t?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = t.arg?.ColumnRef?.fields ?? [];
  return fields[fields.length - 1]?.String?.sval;
}

/** The last part of a qualified name list (`[{String: {sval: 'public'}}, {String: {sval: 't'}}]`). */
export function lastName(names: any[] | undefined): string {
  const parts = (names ?? []).map((n: any) => n.String?.sval).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

/** The object names of a DROP statement. */
export function dropNames(d: any): string[] {
  return (d?.objects ?? []).map((o: any) => (o.List ? lastName(o.List.items) : (o.String?.sval ?? ''))).filter(Boolean);
}

/** Tables a CREATE TABLE refers to with REFERENCES or FOREIGN KEY (they get a SHARE ROW EXCLUSIVE lock). */
export function referencedTables(create: any): string[] {
  const out: string[] = [];
  for (const e of create?.tableElts ?? []) {
    const cons = e.ColumnDef ? constraintsOf(e.ColumnDef) : e.Constraint ? [e.Constraint] : [];
    for (const c of cons) if (c.contype === 'CONSTR_FOREIGN') out.push(relationName(c.pktable));
  }
  return out;
}

export function hasDefElem(list: any[] | undefined, name: string): boolean {
  return (list ?? []).some((o: any) => o.DefElem?.defname === name);
}
