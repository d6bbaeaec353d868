// Quoting helpers. Every name that reaches SQL goes through ident(), every value through
// literal(): migration files are user input and names like "order" are legal.
import { createHash } from 'node:crypto';

export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}

/** PostgreSQL truncates identifiers to 63 bytes; keep generated names unique when it would. */
export function shortName(name: string): string {
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return name.slice(0, 50) + '_' + hash;
}

/** Prefix of every object sundial creates inside user tables, so they are never mistaken for user columns. */
export const TEMP_PREFIX = '_sundial_';

export function tempColumn(column: string): string {
  return shortName(`${TEMP_PREFIX}new_${column}`);
}

export function notNullCheckName(table: string, column: string): string {
  return shortName(`${TEMP_PREFIX}${table}_${column}_not_null`);
}

/** The schema that holds one migration's views: `<schema>_<migration name>`. */
export function versionSchema(schema: string, migration: string): string {
  return shortName(`${schema}_${migration}`);
}

export const STATE_SCHEMA = 'sundial_migrate';
