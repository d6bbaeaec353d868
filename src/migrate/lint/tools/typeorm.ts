// TypeORM migrations: `queryRunner.query(...)` SQL and the QueryRunner API. Facts relied on
// (TypeORM docs, "Migrations" and the QueryRunner API): TableColumn's `isNullable` defaults
// to false, so a column is NOT NULL unless it says otherwise; `default` is a SQL expression;
// on PostgreSQL `changeColumn` drops and re-adds a column whose type or length changes; every
// migration runs in a transaction (migrationsTransactionMode "all") unless its class sets
// `transaction = false`.
import type { MigrationFile, SqlChunk } from '../source.js';
import { calls, findAssignment, isRef, lineOfNode, nameOf, parseJs, upFunctions, valueOf, type JsValue } from './js-ast.js';
import { columnSql, ident, list, literal, type ColumnSpec } from './sql-text.js';

type Obj = { [k: string]: JsValue };

function optionsOf(v: JsValue): Obj {
  if (isRef(v) && v.isNew) return (v.args?.[0] as Obj) ?? {};
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function tableName(v: JsValue): string {
  if (typeof v === 'string') return v;
  const o = optionsOf(v);
  return typeof o.name === 'string' ? o.name : 'sundial_expr';
}

function column(o: Obj): ColumnSpec {
  const length = o.length !== undefined ? `(${o.length})` : '';
  let type = String(o.type ?? 'text');
  if (type === 'varchar' || type === 'character varying') type = `varchar${length}`;
  const def = o.default === undefined ? undefined : typeof o.default === 'string' ? o.default : literal(o.default);
  const generated = o.isGenerated && o.generationStrategy === 'increment' ? 'serial' : undefined;
  return {
    name: String(o.name),
    type: generated ?? (o.generatedType === 'STORED' && o.asExpression ? `${type} GENERATED ALWAYS AS (${o.asExpression}) STORED` : type),
    notNull: o.isNullable !== true && !o.isPrimary,
    default: generated ? undefined : def,
    unique: o.isUnique === true,
    primaryKey: o.isPrimary === true,
  };
}

export function readTypeorm(path: string, text: string): MigrationFile {
  const sf = parseJs(path, text);
  const chunks: SqlChunk[] = [];
  for (const up of upFunctions(sf)) {
    for (const call of calls(up)) {
      const callee = nameOf(call.expression);
      const method = callee.split('.').pop()!;
      if (!/queryRunner|query_runner|runner/i.test(callee) && !callee.startsWith('this.')) continue;
      const args = call.arguments.map((a) => valueOf(a));
      const line = lineOfNode(sf, call);
      const at = (sql: string) => chunks.push({ sql, line, pinned: true });
      const t = () => ident(tableName(args[0]));
      switch (method) {
        case 'query':
          if (typeof args[0] === 'string') chunks.push({ sql: args[0], line: lineOfNode(sf, call.arguments[0]) });
          break;
        case 'addColumn':
          at(`ALTER TABLE ${t()} ADD COLUMN ${columnSql(column(optionsOf(args[1])))};`);
          break;
        case 'addColumns':
          for (const c of (args[1] as JsValue[]) ?? []) at(`ALTER TABLE ${t()} ADD COLUMN ${columnSql(column(optionsOf(c)))};`);
          break;
        case 'changeColumn': {
          const next = column(optionsOf(args[2]));
          const old = typeof args[1] === 'string' ? undefined : column(optionsOf(args[1]));
          const oldName = typeof args[1] === 'string' ? args[1] : old!.name;
          if (old && old.type !== next.type) {
            at(`ALTER TABLE ${t()} DROP COLUMN ${ident(oldName)};`);
            at(`ALTER TABLE ${t()} ADD COLUMN ${columnSql(next)};`);
            break;
          }
          if (oldName !== next.name) at(`ALTER TABLE ${t()} RENAME COLUMN ${ident(oldName)} TO ${ident(next.name)};`);
          if (next.notNull && (!old || !old.notNull)) at(`ALTER TABLE ${t()} ALTER COLUMN ${ident(next.name)} SET NOT NULL;`);
          if (!next.notNull && old?.notNull) at(`ALTER TABLE ${t()} ALTER COLUMN ${ident(next.name)} DROP NOT NULL;`);
          if (next.unique && !old?.unique) at(`ALTER TABLE ${t()} ADD UNIQUE (${ident(next.name)});`);
          break;
        }
        case 'renameColumn':
          at(`ALTER TABLE ${t()} RENAME COLUMN ${ident(tableName(args[1]))} TO ${ident(String(args[2]))};`);
          break;
        case 'renameTable':
          at(`ALTER TABLE ${t()} RENAME TO ${ident(String(args[1]))};`);
          break;
        case 'dropColumn':
          at(`ALTER TABLE ${t()} DROP COLUMN ${ident(tableName(args[1]))};`);
          break;
        case 'dropColumns':
          for (const c of (args[1] as JsValue[]) ?? []) at(`ALTER TABLE ${t()} DROP COLUMN ${ident(tableName(c))};`);
          break;
        case 'dropTable':
          at(`DROP TABLE ${t()};`);
          break;
        case 'createTable': {
          const o = optionsOf(args[0]);
          const cols = ((o.columns as JsValue[]) ?? []).map((c) => columnSql(column(optionsOf(c))));
          at(`CREATE TABLE ${ident(tableName(args[0]))} (${cols.join(', ')});`);
          break;
        }
        case 'createIndex': {
          const o = optionsOf(args[1]);
          at(
            `CREATE ${o.isUnique ? 'UNIQUE ' : ''}INDEX ${o.isConcurrent ? 'CONCURRENTLY ' : ''}${o.name ? ident(String(o.name)) : ''} ON ${t()} (${list(o.columnNames)});`,
          );
          break;
        }
        case 'dropIndex':
          at(`DROP INDEX ${ident(tableName(args[1]))};`);
          break;
        case 'createForeignKey': {
          const o = optionsOf(args[1]);
          at(
            `ALTER TABLE ${t()} ADD ${o.name ? `CONSTRAINT ${ident(String(o.name))} ` : ''}FOREIGN KEY (${list(o.columnNames)}) REFERENCES ${ident(String(o.referencedTableName))} (${list(o.referencedColumnNames)});`,
          );
          break;
        }
        case 'createUniqueConstraint': {
          const o = optionsOf(args[1]);
          at(`ALTER TABLE ${t()} ADD ${o.name ? `CONSTRAINT ${ident(String(o.name))} ` : ''}UNIQUE (${list(o.columnNames)});`);
          break;
        }
        case 'createCheckConstraint': {
          const o = optionsOf(args[1]);
          at(`ALTER TABLE ${t()} ADD ${o.name ? `CONSTRAINT ${ident(String(o.name))} ` : ''}CHECK (${o.expression});`);
          break;
        }
        case 'createPrimaryKey':
          at(`ALTER TABLE ${t()} ADD PRIMARY KEY (${list(args[1])});`);
          break;
        default:
      }
    }
  }
  return { path, transactional: findAssignment(sf, 'transaction') !== false, chunks, text };
}
