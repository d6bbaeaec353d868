// Reads the physical schema from pg_catalog into a SchemaModel (identity mapping).
import type pg from 'pg';
import { type ConstraintModel, type SchemaModel, emptyModel, emptyTable } from './model.js';
import { TEMP_PREFIX } from './sql.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function readModel(db: Queryable, schema: string): Promise<SchemaModel> {
  const model = emptyModel(schema, true);
  const cols = await db.query(
    `SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS dflt,
            col_description(c.oid, a.attnum) AS comment, obj_description(c.oid, 'pg_class') AS table_comment,
            c.relreplident AS replident
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  for (const r of cols.rows) {
    let t = model.tables.get(r.tbl);
    if (!t) {
      t = { ...emptyTable(r.tbl), comment: r.table_comment, replicaIdentity: r.replident, replicaIndex: null };
      model.tables.set(r.tbl, t);
    }
    // Temporary columns of an in-flight migration are not part of any logical shape.
    if (r.col.startsWith(TEMP_PREFIX)) continue;
    t.columns.push({ name: r.col, physical: r.col, type: r.type, nullable: r.nullable, default: r.dflt, comment: r.comment });
  }
  const pks = await db.query(
    `SELECT c.relname AS tbl, a.attname AS col
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND i.indisprimary
      ORDER BY c.relname, k.ord`,
    [schema],
  );
  for (const r of pks.rows) model.tables.get(r.tbl)?.primaryKey.push(r.col);
  const cons = await db.query(
    `SELECT c.relname AS tbl, k.conname, k.contype::text AS contype, pg_get_constraintdef(k.oid) AS def,
            CASE WHEN k.conindid <> 0 THEN pg_get_indexdef(k.conindid) END AS indexdef,
            (SELECT array_agg(a.attname::text ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS cols,
            rc.relname AS reftable,
            (SELECT array_agg(a.attname::text ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum) AS refcols
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class rc ON rc.oid = k.confrelid
      WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'c', 'f', 'x')`,
    [schema],
  );
  for (const r of cons.rows) {
    const con: ConstraintModel = { name: r.conname, type: r.contype, columns: r.cols ?? [], definition: r.def };
    if (r.indexdef) con.indexDefinition = r.indexdef;
    if (r.contype === 'f') {
      con.refTable = r.reftable;
      con.refColumns = r.refcols ?? [];
    }
    model.tables.get(r.tbl)?.constraints.set(r.conname, con);
  }
  const replica = await db.query(
    `SELECT c.relname AS tbl, i.relname AS idx FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND x.indisreplident`,
    [schema],
  );
  for (const r of replica.rows) {
    const t = model.tables.get(r.tbl);
    if (t) t.replicaIndex = r.idx;
  }
  const idx = await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [schema]);
  for (const r of idx.rows) model.indexes.add(r.indexname);
  const plain = await db.query(
    `SELECT c.relname AS tbl, i.relname AS idx, x.indisunique AS uniq, am.amname AS method,
            pg_get_expr(x.indpred, x.indrelid) AS predicate, pg_get_indexdef(x.indexrelid) AS def,
            array_agg(coalesce(a.attname::text, '') ORDER BY k.ord) AS cols, bool_or(k.attnum = 0) AS expr
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class c ON c.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = i.relam
       JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k2 WHERE k2.conindid = x.indexrelid AND k2.conrelid = x.indrelid AND k2.contype IN ('p', 'u', 'x'))
      GROUP BY c.relname, i.relname, x.indisunique, am.amname, x.indpred, x.indrelid, x.indexrelid`,
    [schema],
  );
  for (const r of plain.rows) {
    model.tables
      .get(r.tbl)
      ?.indexes.push({ name: r.idx, unique: r.uniq, method: r.method, columns: r.cols, predicate: r.predicate, expression: r.expr, definition: r.def });
  }
  return model;
}

/** pg_class.reltuples per table: the planner's row estimate, free to read (-1 = never analyzed). */
export async function rowEstimates(db: Queryable, schema: string): Promise<Map<string, number>> {
  const res = await db.query(
    `SELECT c.relname, c.reltuples::float8 AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  return new Map(res.rows.map((r) => [r.relname as string, Number(r.n)]));
}

export async function schemaExists(db: Queryable, schema: string): Promise<boolean> {
  const res = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return res.rowCount === 1;
}
