// Alembic migrations. Facts relied on (Alembic docs, "Operation Reference" and "Running
// migrations"): `sa.Column` is nullable unless `nullable=False` (or a primary key), and only
// `server_default` reaches the database; `create_index(..., postgresql_concurrently=True)` is
// CREATE INDEX CONCURRENTLY; the generated env.py runs migrations inside a transaction
// (`context.begin_transaction()`), and `with op.get_context().autocommit_block():` runs the
// statements inside it outside that transaction.
import type { SyntaxNode } from '@lezer/common';
import type { MigrationFile, SqlChunk } from '../source.js';
import { PyFile, children, isCall, isRef, type PyCall, type PyValue } from './py-ast.js';
import { columnSql, ident, list, literal, type ColumnSpec } from './sql-text.js';

function typeOf(v: PyValue): string {
  const name = isCall(v) ? v.call : isRef(v) ? v.ref : 'Text';
  const base = name.split('.').pop()!;
  const arg = isCall(v) ? v.args[0] : undefined;
  const map: Record<string, string> = {
    String: arg ? `varchar(${arg})` : 'varchar',
    Unicode: 'varchar',
    Text: 'text',
    UnicodeText: 'text',
    Integer: 'integer',
    BigInteger: 'bigint',
    SmallInteger: 'smallint',
    Boolean: 'boolean',
    DateTime: isCall(v) && v.kwargs.timezone === true ? 'timestamptz' : 'timestamp',
    Date: 'date',
    Time: 'time',
    Numeric: 'numeric',
    Float: 'double precision',
    JSON: 'json',
    JSONB: 'jsonb',
    UUID: 'uuid',
    Uuid: 'uuid',
    LargeBinary: 'bytea',
    Enum: 'text',
    ARRAY: 'text[]',
    Interval: 'interval',
    TIMESTAMP: isCall(v) && v.kwargs.timezone === true ? 'timestamptz' : 'timestamp',
  };
  return map[base] ?? 'text';
}

function serverDefault(v: PyValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isCall(v)) {
    if (/text$/.test(v.call) && typeof v.args[0] === 'string') return v.args[0];
    if (/func\./.test(v.call)) return `${v.call.split('.').pop()}()`;
    return 'sundial_expr()';
  }
  return literal(v);
}

function column(c: PyValue): ColumnSpec & { index?: boolean } {
  const call = isCall(c) ? c : ({ call: 'sa.Column', args: [], kwargs: {} } as unknown as PyCall);
  const fk = call.args.find((a) => isCall(a) && /ForeignKey$/.test(a.call)) as PyCall | undefined;
  const type = call.args.find((a, i) => i > 0 && !(isCall(a) && /ForeignKey$/.test(a.call)));
  const pk = call.kwargs.primary_key === true;
  const ref = fk && typeof fk.args[0] === 'string' ? fk.args[0].split('.') : undefined;
  return {
    name: String(call.args[0]),
    type: typeOf(type ?? null),
    notNull: call.kwargs.nullable === false || pk,
    default: serverDefault(call.kwargs.server_default),
    primaryKey: pk,
    unique: call.kwargs.unique === true,
    references: ref ? { table: ref[0], column: ref[1] } : undefined,
    index: call.kwargs.index === true,
  };
}

function sqlOf(v: PyValue): string | undefined {
  if (typeof v === 'string') return v;
  if (isCall(v) && /text$/.test(v.call) && typeof v.args[0] === 'string') return v.args[0];
  return undefined;
}

export function readAlembic(path: string, text: string): MigrationFile {
  const py = new PyFile(text);
  const chunks: SqlChunk[] = [];
  const findings = py.syntaxFindings(path, 'Alembic cannot import this revision, so `upgrade` fails');
  const file: MigrationFile = { path, transactional: true, chunks, text, findings };
  const body = py.functionBody('upgrade');
  if (!body) return file;
  // Ranges of `with op.get_context().autocommit_block():` bodies.
  const autocommit: [number, number][] = [];
  const findWith = (n: SyntaxNode) => {
    if (n.name === 'WithStatement' && /autocommit_block/.test(py.src(n).split('\n')[0])) autocommit.push([n.from, n.to]);
    for (const c of children(n)) findWith(c);
  };
  findWith(body);
  for (const call of py.calls(body)) {
    const m = /^op\.(\w+)$/.exec(call.call);
    if (!m) continue;
    const outside = autocommit.some(([a, b]) => call.node.from >= a && call.node.to <= b);
    const at = (sql: string) => chunks.push({ sql, line: call.line, pinned: true, outsideTransaction: outside });
    const a = call.args;
    const k = call.kwargs;
    switch (m[1]) {
      case 'add_column': {
        const c = column(a[1]);
        at(`ALTER TABLE ${ident(String(a[0]))} ADD COLUMN ${columnSql(c)};`);
        if (c.index) at(`CREATE INDEX ON ${ident(String(a[0]))} (${ident(c.name)});`);
        break;
      }
      case 'alter_column': {
        const t = ident(String(a[0]));
        const col = ident(String(a[1]));
        if (k.type_ !== undefined) at(`ALTER TABLE ${t} ALTER COLUMN ${col} TYPE ${typeOf(k.type_)};`);
        if (k.nullable === false) at(`ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL;`);
        if (k.nullable === true) at(`ALTER TABLE ${t} ALTER COLUMN ${col} DROP NOT NULL;`);
        if (k.server_default !== undefined)
          at(
            k.server_default === null
              ? `ALTER TABLE ${t} ALTER COLUMN ${col} DROP DEFAULT;`
              : `ALTER TABLE ${t} ALTER COLUMN ${col} SET DEFAULT ${serverDefault(k.server_default)};`,
          );
        if (typeof k.new_column_name === 'string') at(`ALTER TABLE ${t} RENAME COLUMN ${col} TO ${ident(k.new_column_name)};`);
        break;
      }
      case 'drop_column':
        at(`ALTER TABLE ${ident(String(a[0]))} DROP COLUMN ${ident(String(a[1]))};`);
        break;
      case 'create_index':
        at(
          `CREATE ${k.unique === true ? 'UNIQUE ' : ''}INDEX ${k.postgresql_concurrently === true ? 'CONCURRENTLY ' : ''}${k.if_not_exists === true ? 'IF NOT EXISTS ' : ''}${ident(String(a[0]))} ON ${ident(String(a[1] ?? k.table_name))} (${list(a[2] ?? k.columns ?? [])});`,
        );
        break;
      case 'drop_index':
        at(`DROP INDEX ${k.postgresql_concurrently === true ? 'CONCURRENTLY ' : ''}${ident(String(a[0] ?? k.index_name))};`);
        break;
      case 'create_unique_constraint':
        at(`ALTER TABLE ${ident(String(a[1] ?? k.table_name))} ADD CONSTRAINT ${ident(String(a[0]))} UNIQUE (${list(a[2] ?? k.columns ?? [])});`);
        break;
      case 'create_primary_key':
        at(`ALTER TABLE ${ident(String(a[1] ?? k.table_name))} ADD CONSTRAINT ${ident(String(a[0]))} PRIMARY KEY (${list(a[2] ?? k.columns ?? [])});`);
        break;
      case 'create_foreign_key':
        at(
          `ALTER TABLE ${ident(String(a[1] ?? k.source_table))} ADD CONSTRAINT ${ident(String(a[0]))} FOREIGN KEY (${list(a[3] ?? k.local_cols ?? [])}) REFERENCES ${ident(String(a[2] ?? k.referent_table))} (${list(a[4] ?? k.remote_cols ?? [])})${k.postgresql_not_valid === true ? ' NOT VALID' : ''};`,
        );
        break;
      case 'create_check_constraint':
        at(
          `ALTER TABLE ${ident(String(a[1] ?? k.table_name))} ADD CONSTRAINT ${ident(String(a[0]))} CHECK (${sqlOf(a[2] ?? k.condition) ?? 'sundial_expr IS NOT NULL'})${k.postgresql_not_valid === true ? ' NOT VALID' : ''};`,
        );
        break;
      case 'execute': {
        const sql = sqlOf(a[0] ?? k.sqltext);
        if (sql) chunks.push({ sql, line: call.line, pinned: true, outsideTransaction: outside });
        break;
      }
      case 'rename_table':
        at(`ALTER TABLE ${ident(String(a[0]))} RENAME TO ${ident(String(a[1]))};`);
        break;
      case 'drop_table':
        at(`DROP TABLE ${ident(String(a[0]))};`);
        break;
      case 'create_table':
        at(
          `CREATE TABLE ${ident(String(a[0]))} (${a
            .slice(1)
            .filter((c) => isCall(c) && /Column$/.test(c.call))
            .map((c) => columnSql(column(c)))
            .join(', ')});`,
        );
        break;
      default:
    }
  }
  return file;
}

/** Alembic's order: follow down_revision from the base. Unlinked files keep name order after. */
export function alembicOrder(files: { path: string; text: string }[]): { path: string; text: string }[] {
  const info = files.map((f) => {
    const rev = /^revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/m.exec(f.text)?.[1];
    const down = /^down_revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]/m.exec(f.text)?.[1];
    return { f, rev, down };
  });
  const out: typeof files = [];
  const used = new Set<number>();
  let current: string | undefined;
  for (;;) {
    const i = info.findIndex((x, j) => !used.has(j) && x.down === current);
    if (i < 0) break;
    used.add(i);
    out.push(info[i].f);
    current = info[i].rev;
  }
  info.forEach((x, j) => {
    if (!used.has(j)) out.push(x.f);
  });
  return out;
}
