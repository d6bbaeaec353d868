// Turns column and constraint definitions into DDL.
import type { ColumnField, ExcludeField, GeneratedField, IndexParametersField, ReferencesField } from './fields.js';
import { ident, literal, qualified } from '../../sql.js';

/** ON DELETE / ON UPDATE / MATCH / DEFERRABLE clauses of a foreign key, in PostgreSQL's order. */
export function referenceOptions(r: {
  on_delete?: string;
  on_update?: string;
  match_type?: string;
  deferrable?: boolean;
  initially_deferred?: boolean;
  on_delete_set_columns?: string[];
}): string {
  const parts: string[] = [];
  if (r.match_type) parts.push(`MATCH ${r.match_type}`);
  if (r.on_delete) parts.push(`ON DELETE ${r.on_delete}${r.on_delete_set_columns?.length ? ` (${r.on_delete_set_columns.map(ident).join(', ')})` : ''}`);
  if (r.on_update) parts.push(`ON UPDATE ${r.on_update}`);
  parts.push(...deferral(r));
  return parts.length ? ' ' + parts.join(' ') : '';
}

export function deferral(r: { deferrable?: boolean; initially_deferred?: boolean }): string[] {
  if (r.initially_deferred) return ['DEFERRABLE', 'INITIALLY DEFERRED'];
  return r.deferrable ? ['DEFERRABLE'] : [];
}

/** Column definition for CREATE TABLE or ADD COLUMN on an empty table, where every constraint is free. */
export function columnDefinition(c: ColumnField, schema: string, inlinePk = true): string {
  const parts = [ident(c.name), c.type];
  if (c.pk && inlinePk) parts.push('PRIMARY KEY');
  if (!c.nullable && !c.pk) parts.push('NOT NULL');
  if (c.unique) parts.push('UNIQUE');
  if (c.default != null) parts.push(`DEFAULT ${c.default}`);
  if (c.generated) parts.push(generatedClause(c.generated));
  if (c.check) parts.push(`CONSTRAINT ${ident(c.check.name)} CHECK (${c.check.constraint})${c.check.no_inherit ? ' NO INHERIT' : ''}`);
  if (c.references) {
    const r = c.references;
    parts.push(`CONSTRAINT ${ident(r.name)} REFERENCES ${qualified(schema, r.table)} (${ident(r.column)})${referenceOptions(r)}`);
  }
  return parts.join(' ');
}

/** `GENERATED ALWAYS AS (...) STORED` or `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (...)`. */
export function generatedClause(g: GeneratedField): string {
  if (g.expression) return `GENERATED ALWAYS AS (${g.expression}) STORED`;
  const id = g.identity ?? {};
  return `GENERATED ${id.user_specified_values ?? 'ALWAYS'} AS IDENTITY${id.sequence_options ? ` (${id.sequence_options})` : ''}`;
}

export function foreignKeyClause(column: string, r: ReferencesField, schema: string): string {
  return `FOREIGN KEY (${ident(column)}) REFERENCES ${qualified(schema, r.table)} (${ident(r.column)})${referenceOptions(r)}`;
}

export function commentSql(schema: string, table: string, column: string | undefined, comment: string | null): string {
  const target = column === undefined ? `TABLE ${qualified(schema, table)}` : `COLUMN ${qualified(schema, table)}.${ident(column)}`;
  return `COMMENT ON ${target} IS ${comment === null ? 'NULL' : literal(comment)}`;
}

/** INCLUDE, WITH and USING INDEX TABLESPACE of a constraint's index. */
export function indexParametersSql(p: IndexParametersField | undefined): string {
  if (!p) return '';
  return (
    (p.include_columns?.length ? ` INCLUDE (${p.include_columns.map(ident).join(', ')})` : '') +
    (p.storage_parameters ? ` WITH (${p.storage_parameters})` : '') +
    (p.tablespace ? ` USING INDEX TABLESPACE ${ident(p.tablespace)}` : '')
  );
}

/** `EXCLUDE USING ... (...) ... WHERE (...)` with its deferral; gist unless an index method is given, as in PostgreSQL. */
export function excludeSql(x: ExcludeField, p: IndexParametersField | undefined, defer: { deferrable?: boolean; initially_deferred?: boolean }): string {
  const tail = deferral(defer);
  return `EXCLUDE USING ${x.index_method ?? 'gist'} (${x.elements})${indexParametersSql(p)}${x.predicate ? ` WHERE (${x.predicate})` : ''}${tail.length ? ' ' + tail.join(' ') : ''}`;
}
