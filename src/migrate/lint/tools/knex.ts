// Knex migrations. Facts relied on (Knex docs, "Schema Builder" and "Migrations"): columns are
// nullable unless `.notNullable()`; `.alter()` on PostgreSQL re-states the column, so it
// changes the type and sets or drops NOT NULL and the default; `.unique()` adds a unique
// constraint, `.index()` a plain CREATE INDEX, `.references()` a foreign key; `increments()`
// is a serial primary key; `timestamp()` is timestamptz on PostgreSQL; each migration runs in
// a transaction unless it exports `config = { transaction: false }`.
import type { MigrationFile, SqlChunk } from '../source.js';
import { calls, findAssignment, isRef, lineOfNode, nameOf, parseJs, ts, upFunctions, valueOf, type JsValue } from './js-ast.js';
import { columnSql, ident, list, literal, type ColumnSpec } from './sql-text.js';

const TYPES: Record<string, (args: JsValue[]) => string> = {
  string: (a) => `varchar(${typeof a[1] === 'number' ? a[1] : 255})`,
  text: () => 'text',
  integer: () => 'integer',
  bigInteger: () => 'bigint',
  bigint: () => 'bigint',
  tinyint: () => 'smallint',
  smallint: () => 'smallint',
  boolean: () => 'boolean',
  timestamp: () => 'timestamptz',
  datetime: () => 'timestamptz',
  timestamps: () => 'timestamptz',
  date: () => 'date',
  time: () => 'time',
  uuid: () => 'uuid',
  json: () => 'json',
  jsonb: () => 'jsonb',
  decimal: () => 'numeric',
  float: () => 'real',
  double: () => 'double precision',
  binary: () => 'bytea',
  enum: () => 'text',
  enu: () => 'text',
  increments: () => 'serial',
  bigIncrements: () => 'bigserial',
  specificType: (a) => String(a[1] ?? 'text'),
};

function defaultSql(v: JsValue): string {
  if (isRef(v)) {
    if (/fn\.now$/.test(v.ref)) return 'CURRENT_TIMESTAMP';
    if (/raw$/.test(v.ref) && typeof v.args?.[0] === 'string') return v.args[0];
    if (/fn\.uuid$/.test(v.ref)) return 'gen_random_uuid()';
    return 'sundial_expr()';
  }
  return literal(v);
}

/** `table.string('email').notNullable().unique()` as its base call and modifiers, innermost first. */
function chain(expr: ts.Expression): { method: string; args: JsValue[]; node: ts.CallExpression }[] {
  const out: { method: string; args: JsValue[]; node: ts.CallExpression }[] = [];
  let e: ts.Expression = expr;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    out.unshift({ method: e.expression.name.text, args: e.arguments.map((a) => valueOf(a)), node: e });
    e = e.expression.expression;
  }
  return out;
}

function builderStatements(table: string, creating: boolean, body: ts.Node, sf: ts.SourceFile, at: (sql: string, line: number) => void): string[] {
  const cols: string[] = [];
  const t = ident(table);
  const visit = (n: ts.Node) => {
    if (ts.isExpressionStatement(n) || (ts.isArrowFunction(n.parent) && n === (n.parent as ts.ArrowFunction).body && ts.isCallExpression(n))) {
      const expr = ts.isExpressionStatement(n) ? n.expression : (n as ts.Expression);
      const parts = chain(expr);
      if (!parts.length) return;
      const line = lineOfNode(sf, expr);
      const [base, ...mods] = parts;
      const has = (m: string) => mods.find((x) => x.method === m);
      const name = String(base.args[0] ?? '');
      if (TYPES[base.method]) {
        if (base.method === 'timestamps') {
          for (const c of ['created_at', 'updated_at']) {
            if (creating) cols.push(`${ident(c)} timestamptz`);
            else at(`ALTER TABLE ${t} ADD COLUMN ${ident(c)} timestamptz;`, line);
          }
          return;
        }
        const spec: ColumnSpec = {
          name,
          type: TYPES[base.method](base.args),
          notNull: !!has('notNullable') && !has('nullable'),
          default: has('defaultTo') ? defaultSql(has('defaultTo')!.args[0]) : undefined,
          primaryKey: !!has('primary') || base.method === 'increments' || base.method === 'bigIncrements',
        };
        const ref = has('references');
        const refTable = has('inTable')?.args[0];
        if (creating) {
          cols.push(columnSql({ ...spec, unique: !!has('unique'), references: ref ? refOf(ref.args[0], refTable) : undefined }));
        } else if (has('alter')) {
          at(`ALTER TABLE ${t} ALTER COLUMN ${ident(name)} TYPE ${spec.type};`, line);
          at(`ALTER TABLE ${t} ALTER COLUMN ${ident(name)} ${spec.notNull ? 'SET' : 'DROP'} NOT NULL;`, line);
          at(
            spec.default
              ? `ALTER TABLE ${t} ALTER COLUMN ${ident(name)} SET DEFAULT ${spec.default};`
              : `ALTER TABLE ${t} ALTER COLUMN ${ident(name)} DROP DEFAULT;`,
            line,
          );
        } else {
          at(`ALTER TABLE ${t} ADD COLUMN ${columnSql(spec)};`, line);
          if (has('unique')) at(`ALTER TABLE ${t} ADD CONSTRAINT ${ident(`${table}_${name}_unique`)} UNIQUE (${ident(name)});`, line);
          if (ref) {
            const r = refOf(ref.args[0], refTable);
            at(
              `ALTER TABLE ${t} ADD CONSTRAINT ${ident(`${table}_${name}_foreign`)} FOREIGN KEY (${ident(name)}) REFERENCES ${ident(r.table)} (${ident(r.column ?? 'id')});`,
              line,
            );
          }
        }
        if (has('index')) at(`CREATE INDEX ${ident(`${table}_${name}_index`)} ON ${t} (${ident(name)});`, line);
        return;
      }
      const cols0 = Array.isArray(base.args[0]) ? base.args[0] : [base.args[0]];
      switch (base.method) {
        case 'dropColumn':
        case 'dropColumns':
          for (const c of base.args) at(`ALTER TABLE ${t} DROP COLUMN ${ident(String(c))};`, line);
          break;
        case 'renameColumn':
          at(`ALTER TABLE ${t} RENAME COLUMN ${ident(name)} TO ${ident(String(base.args[1]))};`, line);
          break;
        case 'index':
          if (!creating) at(`CREATE INDEX ON ${t} (${list(cols0)});`, line);
          break;
        case 'unique':
          if (!creating) at(`ALTER TABLE ${t} ADD UNIQUE (${list(cols0)});`, line);
          break;
        case 'primary':
          if (!creating) at(`ALTER TABLE ${t} ADD PRIMARY KEY (${list(cols0)});`, line);
          break;
        case 'foreign':
          if (!creating) {
            const r = refOf(has('references')?.args[0], has('inTable')?.args[0]);
            at(`ALTER TABLE ${t} ADD FOREIGN KEY (${list(cols0)}) REFERENCES ${ident(r.table)} (${ident(r.column ?? 'id')});`, line);
          }
          break;
        case 'dropIndex':
          at(`DROP INDEX ${ident(typeof base.args[1] === 'string' ? base.args[1] : `${table}_${cols0.join('_')}_index`)};`, line);
          break;
        case 'dropNullable':
          at(`ALTER TABLE ${t} ALTER COLUMN ${ident(name)} SET NOT NULL;`, line);
          break;
        case 'setNullable':
          at(`ALTER TABLE ${t} ALTER COLUMN ${ident(name)} DROP NOT NULL;`, line);
          break;
        default:
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return cols;
}

function refOf(ref: JsValue, inTable: JsValue): { table: string; column?: string } {
  const r = String(ref ?? 'id');
  if (typeof inTable === 'string') return { table: inTable, column: r };
  const [table, column] = r.includes('.') ? r.split('.') : [r, 'id'];
  return { table, column };
}

export function readKnex(path: string, text: string): MigrationFile {
  const sf = parseJs(path, text);
  const chunks: SqlChunk[] = [];
  const at = (sql: string, line: number) => chunks.push({ sql, line, pinned: true });
  for (const up of upFunctions(sf)) {
    for (const call of calls(up)) {
      const callee = nameOf(call.expression);
      const method = callee.split('.').pop()!;
      const line = lineOfNode(sf, call);
      const first = valueOf(call.arguments[0]);
      if (!/schema|knex|trx/.test(callee)) continue;
      if (method === 'raw' && typeof first === 'string' && !ts.isPropertyAccessExpression(call.parent)) {
        chunks.push({ sql: first, line: lineOfNode(sf, call.arguments[0]) });
      } else if (['createTable', 'createTableIfNotExists', 'alterTable', 'table'].includes(method) && typeof first === 'string' && /schema/.test(callee)) {
        const creating = method.startsWith('createTable');
        const cb = call.arguments[1];
        if (!cb) continue;
        const cols = builderStatements(first, creating, cb, sf, at);
        if (creating) chunks.push({ sql: `CREATE TABLE ${ident(first)} (${cols.join(', ')});`, line, pinned: true });
      } else if (method === 'renameTable' && /schema/.test(callee))
        at(`ALTER TABLE ${ident(String(first))} RENAME TO ${ident(String(valueOf(call.arguments[1])))};`, line);
      else if ((method === 'dropTable' || method === 'dropTableIfExists') && /schema/.test(callee))
        at(`DROP TABLE ${method === 'dropTableIfExists' ? 'IF EXISTS ' : ''}${ident(String(first))};`, line);
    }
  }
  // Builder calls were collected in visit order per table; keep the file's order.
  chunks.sort((a, b) => a.line - b.line);
  const config = findAssignment(sf, 'config');
  const transactional = !(
    typeof config === 'object' &&
    config !== null &&
    !Array.isArray(config) &&
    (config as { transaction?: JsValue }).transaction === false
  );
  return { path, transactional, chunks, text };
}
