// The user-visible catalogue of a schema as sorted lines: columns (type, nullability,
// default, identity, generated), constraints with pg_get_constraintdef, indexes with
// pg_get_indexdef (and a tablespace other than the default), table and column comments, replica identity, and the schemas.
import type pg from 'pg';

export async function catalogue(db: pg.ClientBase, schema = 'public'): Promise<string[]> {
  const r = await db.query(
    `
    SELECT x FROM (
      SELECT format('col %s.%s %s%s%s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
               CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
               coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''),
               CASE a.attidentity WHEN 'a' THEN ' IDENTITY ALWAYS' WHEN 'd' THEN ' IDENTITY BY DEFAULT' ELSE '' END,
               CASE a.attgenerated WHEN 's' THEN ' STORED' ELSE '' END) AS x
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
      SELECT format('con %s.%s %s%s', c.relname, k.conname, pg_get_constraintdef(k.oid), CASE WHEN k.convalidated THEN '' ELSE ' (not validated)' END)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = $1::text::regnamespace
      UNION ALL
      SELECT format('idx %s.%s %s%s', tablename, indexname, indexdef, coalesce(' TABLESPACE ' || tablespace, '')) FROM pg_indexes WHERE schemaname = $1
      UNION ALL
      SELECT format('comment %s %s', c.relname, obj_description(c.oid, 'pg_class'))
        FROM pg_class c WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NOT NULL
      UNION ALL
      SELECT format('comment %s.%s %s', c.relname, a.attname, col_description(c.oid, a.attnum))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL
      UNION ALL
      SELECT format('replica %s %s', c.relname, c.relreplident) FROM pg_class c WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND c.relreplident <> 'd'
      UNION ALL
      SELECT 'trigger ' || tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = $1::text::regnamespace AND NOT tgisinternal
      UNION ALL
      SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname NOT IN ('information_schema', 'sundial_migrate')
    ) s ORDER BY x`,
    [schema],
  );
  return r.rows.map((row) => row.x);
}
