// Fingerprints of a database for tests: its schema objects, and a table's data.
import type pg from 'pg';

/** Everything user-visible about the schemas (columns, indexes, constraints, triggers, schemas), sorted. */
export async function schemaSnapshot(db: pg.ClientBase): Promise<string[]> {
  const r = await db.query(`
    SELECT x FROM (
      SELECT 'col ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS x
        FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'sundial_migrate')
      UNION ALL SELECT 'idx ' || schemaname || '.' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'sundial_migrate')
      UNION ALL SELECT 'con ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL SELECT 'trg ' || tgname FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL SELECT 'nsp ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname NOT IN ('information_schema', 'sundial_migrate')
    ) s ORDER BY x`);
  return r.rows.map((row) => row.x);
}

/** Row count and an order-independent checksum of a query's rows. */
export async function checksum(db: pg.ClientBase, query: string): Promise<{ count: number; md5: string }> {
  const r = await db.query(`SELECT count(*)::int AS count, coalesce(md5(string_agg(q::text, '|' ORDER BY q::text)), '') AS md5 FROM (${query}) q`);
  return { count: r.rows[0].count, md5: r.rows[0].md5 };
}

export async function columnsOf(db: pg.ClientBase, schema: string, table: string): Promise<string[]> {
  const r = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, [
    schema,
    table,
  ]);
  return r.rows.map((x) => x.column_name);
}
