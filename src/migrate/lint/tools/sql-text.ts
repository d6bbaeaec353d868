// Small SQL writers for the structured operations of migration tools.
export function ident(name: string): string {
  return `"${String(name).replace(/"/g, '""')}"`;
}

export function literal(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'NULL';
  return `'${String(v).replace(/'/g, "''")}'`;
}

export interface ColumnSpec {
  name: string;
  type: string;
  notNull?: boolean;
  /** A SQL expression. */
  default?: string;
  unique?: boolean;
  primaryKey?: boolean;
  references?: { table: string; column?: string };
}

export function columnSql(c: ColumnSpec): string {
  let s = `${ident(c.name)} ${c.type}`;
  if (c.default !== undefined) s += ` DEFAULT ${c.default}`;
  if (c.notNull) s += ' NOT NULL';
  if (c.primaryKey) s += ' PRIMARY KEY';
  if (c.unique) s += ' UNIQUE';
  if (c.references) s += ` REFERENCES ${ident(c.references.table)}${c.references.column ? ` (${ident(c.references.column)})` : ''}`;
  return s;
}

export function list(names: unknown): string {
  const arr = Array.isArray(names) ? names : [names];
  return arr.map((n) => ident(String(n))).join(', ');
}
