// `sundial migrate convert`: a plain SQL migration (Prisma, Drizzle, Flyway output) as a
// sundial migration file with zero-downtime operations, in the operation format documented
// in docs/migrate.md. Every generator lives in this file, so a change of format is one edit.
// Each converted operation names the lint rule it answers; what cannot be converted stays
// as an `sql` operation with a comment that says why.
import * as pgParser from 'libpg-query';
import { stringify } from 'yaml';
import { constraintsOf, dropNames, lastName, relationName } from './ast.js';

type Op = Record<string, unknown>;
interface Converted {
  op: Op;
  note: string;
}

const TYPE_NAMES: Record<string, string> = {
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  bpchar: 'char',
  varchar: 'varchar',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  numeric: 'numeric',
};

function typeText(typeName: any): string {
  const name = lastName(typeName?.names);
  const mods = (typeName?.typmods ?? []).map((m: any) => m.A_Const?.ival?.ival ?? 0);
  const arr = typeName?.arrayBounds ? '[]'.repeat(typeName.arrayBounds.length) : '';
  return `${TYPE_NAMES[name] ?? name}${mods.length ? `(${mods.join(',')})` : ''}${arr}`;
}

/** The SQL text of an expression that starts at byte `start`: up to a top-level comma, `)` or keyword. */
function exprText(sql: Buffer, start: number): string {
  const s = sql.toString('latin1');
  let depth = 0;
  let i = start;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      i = s.indexOf("'", i + 1);
      if (i < 0) break;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if ((c === ',' || c === ';') && depth === 0) break;
    else if (depth === 0 && /\s/.test(c) && /^\s+(NOT\s+NULL|NULL|CONSTRAINT|UNIQUE|PRIMARY|REFERENCES|CHECK|COLLATE|GENERATED)\b/i.test(s.slice(i))) break;
  }
  return Buffer.from(s.slice(start, i < 0 ? s.length : i), 'latin1')
    .toString('utf8')
    .trim();
}

function column(def: any, sql: Buffer): { column: Op; needsUp: boolean } {
  const out: Op = { name: def.colname, type: typeText(def.typeName) };
  let hasDefault = false;
  for (const c of constraintsOf(def)) {
    if (c.contype === 'CONSTR_NOTNULL') out.nullable = false;
    if (c.contype === 'CONSTR_PRIMARY') out.pk = true;
    if (c.contype === 'CONSTR_UNIQUE') out.unique = true;
    if (c.contype === 'CONSTR_DEFAULT') {
      out.default = exprText(sql, c.raw_expr ? firstLocation(c.raw_expr) : c.location);
      hasDefault = true;
    }
    if (c.contype === 'CONSTR_FOREIGN')
      out.references = { name: c.conname ?? `${def.colname}_fk`, table: relationName(c.pktable), column: c.pk_attrs?.[0]?.String?.sval ?? 'id' };
  }
  return { column: out, needsUp: out.nullable === false && !hasDefault };
}

function firstLocation(node: any): number {
  let best = Number.MAX_SAFE_INTEGER;
  const visit = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (typeof n.location === 'number' && n.location >= 0) best = Math.min(best, n.location);
    for (const v of Object.values(n)) visit(v);
  };
  visit(node);
  return best === Number.MAX_SAFE_INTEGER ? 0 : best;
}

function colNames(list: any[] | undefined): string[] {
  return (list ?? []).map((x: any) => x.String?.sval).filter(Boolean);
}

function convertStatement(stmt: any, sql: Buffer, text: string): Converted[] {
  const raw = (reason: string): Converted[] => [{ op: { sql: { up: text } }, note: `not converted: ${reason}` }];
  if (stmt.CreateStmt) {
    const c = stmt.CreateStmt;
    const cols = (c.tableElts ?? []).filter((e: any) => e.ColumnDef).map((e: any) => column(e.ColumnDef, sql).column);
    if ((c.tableElts ?? []).some((e: any) => e.Constraint))
      return raw('table constraints are not column options; review and use create_table plus create_constraint');
    return [
      { op: { create_table: { name: relationName(c.relation), columns: cols } }, note: 'create_table: only the new version sees the table until complete' },
    ];
  }
  if (stmt.IndexStmt) {
    const i = stmt.IndexStmt;
    const cols = (i.indexParams ?? []).map((p: any) => p.IndexElem?.name);
    if (cols.some((x: string | undefined) => !x) || i.whereClause) return raw('expression or partial indexes are not converted; write create_index by hand');
    const op: Op = { name: i.idxname ?? `${relationName(i.relation)}_${cols.join('_')}_idx`, table: relationName(i.relation), columns: cols };
    if (i.unique) op.unique = true;
    if (i.accessMethod && i.accessMethod !== 'btree') op.method = i.accessMethod;
    return [{ op: { create_index: op }, note: 'answers require-concurrent-index-creation: built CONCURRENTLY, outside a transaction' }];
  }
  if (stmt.DropStmt?.removeType === 'OBJECT_INDEX')
    return dropNames(stmt.DropStmt).map((n) => ({
      op: { drop_index: { name: n } },
      note: 'answers require-concurrent-index-deletion: dropped CONCURRENTLY at complete',
    }));
  if (stmt.DropStmt?.removeType === 'OBJECT_TABLE')
    return dropNames(stmt.DropStmt).map((n) => ({
      op: { drop_table: { name: n } },
      note: 'answers ban-drop-table: hidden from the new version, dropped at complete',
    }));
  const r = stmt.RenameStmt;
  if (r?.renameType === 'OBJECT_COLUMN')
    return [
      {
        op: { rename_column: { table: relationName(r.relation), from: r.subname, to: r.newname } },
        note: 'answers renaming-column: each version sees its own name',
      },
    ];
  if (r?.renameType === 'OBJECT_TABLE')
    return [{ op: { rename_table: { from: relationName(r.relation), to: r.newname } }, note: 'answers renaming-table: each version sees its own name' }];
  const a = stmt.AlterTableStmt;
  if (a?.objtype === 'OBJECT_TABLE') {
    const table = relationName(a.relation);
    const out: Converted[] = [];
    for (const { AlterTableCmd: cmd } of a.cmds ?? []) {
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const { column: col, needsUp } = column(cmd.def.ColumnDef, sql);
          out.push({
            op: { add_column: { table, column: col } },
            note: needsUp
              ? 'answers adding-required-field: add `up:` (the value for existing rows) before running it'
              : 'answers adding-field-with-default / adding-required-field: no rewrite, NOT NULL via a validated CHECK',
          });
          break;
        }
        case 'AT_DropColumn':
          out.push({
            op: { drop_column: { table, column: cmd.name } },
            note: 'answers ban-drop-column: hidden from the new version, dropped at complete; add `down:` if the column is NOT NULL without a default',
          });
          break;
        case 'AT_AlterColumnType':
          out.push({
            op: { alter_column: { table, column: cmd.name, type: typeText(cmd.def.ColumnDef.typeName) } },
            note: 'answers changing-column-type: a shadow column, dual writes and a batched backfill; check that `up`/`down` (the value itself by default) convert your data',
          });
          break;
        case 'AT_SetNotNull':
          out.push({
            op: { alter_column: { table, column: cmd.name, nullable: false } },
            note: 'answers adding-not-nullable-field: CHECK NOT VALID, validated at complete; add `up:` to fill existing NULLs',
          });
          break;
        case 'AT_DropNotNull':
          out.push({
            op: { alter_column: { table, column: cmd.name, nullable: true } },
            note: 'answers ban-drop-not-null: add `down:` so the old version never reads a NULL',
          });
          break;
        case 'AT_ColumnDefault':
          if (cmd.def) {
            out.push({
              op: { alter_column: { table, column: cmd.name, default: exprText(sql, firstLocation(cmd.def)) } },
              note: 'a new default for the new version',
            });
            break;
          }
          return raw('DROP DEFAULT is not converted');
        case 'AT_AddConstraint': {
          const c = cmd.def.Constraint;
          const name = c.conname ?? `${table}_${c.contype.toLowerCase()}`;
          if (c.contype === 'CONSTR_UNIQUE' && !c.indexname)
            out.push({
              op: { create_constraint: { table, name, type: 'unique', columns: colNames(c.keys) } },
              note: 'answers disallowed-unique-constraint: a concurrent unique index, attached at complete',
            });
          else if (c.contype === 'CONSTR_CHECK')
            out.push({
              op: { create_constraint: { table, name, type: 'check', columns: [], check: exprText(sql, firstLocation(c.raw_expr)) } },
              note: 'answers constraint-missing-not-valid: NOT VALID at start, validated at complete',
            });
          else if (c.contype === 'CONSTR_FOREIGN')
            out.push({
              op: {
                create_constraint: {
                  table,
                  name,
                  type: 'foreign_key',
                  columns: colNames(c.fk_attrs),
                  references: { table: relationName(c.pktable), columns: colNames(c.pk_attrs) },
                },
              },
              note: 'answers adding-foreign-key-constraint: NOT VALID at start, validated at complete',
            });
          else return raw(`${c.contype.replace('CONSTR_', '').toLowerCase()} constraints are not converted`);
          break;
        }
        case 'AT_ValidateConstraint':
          out.push({
            op: { sql: { up: text } },
            note: 'kept as sql: create_constraint already validates at complete, so this statement can usually be dropped',
          });
          break;
        default:
          return raw(`ALTER TABLE ${cmd.subtype.replace('AT_', '')} has no zero-downtime operation`);
      }
    }
    return out;
  }
  if (stmt.VariableSetStmt || stmt.TransactionStmt) return [];
  return raw('no sundial operation does this; it runs as written');
}

let loaded: Promise<void> | undefined;

export async function convertSql(sqlText: string, name: string): Promise<string> {
  const load = (pgParser as { loadModule?: () => Promise<void> }).loadModule;
  if (load) loaded ??= load();
  await loaded;
  const sql = Buffer.from(sqlText, 'utf8');
  const lines: string[] = [`# Converted by \`sundial migrate convert\`. Review every operation before running it.`, `name: ${name}`, 'operations:'];
  let tree: any;
  try {
    tree = pgParser.parseSync(sqlText);
  } catch (err) {
    lines.push(`  # not converted: the SQL does not parse (${(err as Error).message})`, `  - sql: ${JSON.stringify({ up: sqlText.trim() })}`);
    return `${lines.join('\n')}\n`;
  }
  let count = 0;
  for (const s of tree.stmts ?? []) {
    const start = s.stmt_location ?? 0;
    const text = sql
      .subarray(start, s.stmt_len ? start + s.stmt_len : sql.length)
      .toString('utf8')
      .replace(/^(\s|--[^\n]*\n)+/, '')
      .trim();
    for (const c of convertStatement(s.stmt, sql, text)) {
      lines.push(`  # ${c.note}`);
      const y = stringify([c.op], { lineWidth: 0 }).trimEnd().split('\n');
      lines.push(...y.map((l) => `  ${l}`));
      count++;
    }
  }
  if (!count) lines[lines.length - 1] = 'operations: []';
  return `${lines.join('\n')}\n`;
}
