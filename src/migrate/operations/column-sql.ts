// Turns a column definition into the pieces of DDL that are safe to run on a live table.
import type { ColumnField } from './fields.js';
import { ident, qualified } from '../sql.js';

/** Column definition for CREATE TABLE, where every constraint is free (the table is empty). */
export function columnDefinition(c: ColumnField, schema: string): string {
  const parts = [ident(c.name), c.type];
  if (c.pk) parts.push('PRIMARY KEY');
  if (!c.nullable && !c.pk) parts.push('NOT NULL');
  if (c.unique) parts.push('UNIQUE');
  if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
  if (c.check) parts.push(`CONSTRAINT ${ident(c.check.name)} CHECK (${c.check.constraint})`);
  if (c.references) {
    const r = c.references;
    parts.push(`CONSTRAINT ${ident(r.name)} REFERENCES ${qualified(schema, r.table)} (${ident(r.column)})`);
    if (r.on_delete) parts.push(`ON DELETE ${r.on_delete}`);
  }
  return parts.join(' ');
}

export function foreignKeyClause(column: string, r: { table: string; column: string; on_delete?: string }, schema: string): string {
  const del = r.on_delete ? ` ON DELETE ${r.on_delete}` : '';
  return `FOREIGN KEY (${ident(column)}) REFERENCES ${qualified(schema, r.table)} (${ident(r.column)})${del}`;
}
