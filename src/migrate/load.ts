// Reads a migration file (YAML or JSON) and checks its shape with zod. Every problem is
// reported as `<file>: operations[i].<op>.<field>: <message>`, all at once.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { parseYamlText } from '../config/yaml-syntax.js';
import { ERR_MIGRATE_FILE, ERR_MIGRATE_INVALID } from '../errors.js';
import type { Operation } from './operation.js';
import { operations } from './registry.js';
import { formatPath } from '../config/errors.js';

export interface MigrationOp {
  kind: string;
  operation: Operation;
  fields: any;
}

export interface Migration {
  /** Where it came from, for messages. */
  source: string;
  name: string;
  /** pgroll's file-level `version_schema`: the new version's schema name, instead of `<schema>_<name>`. */
  versionSchema?: string;
  /** The operations as written (stored in the history). */
  raw: Record<string, unknown>[];
  ops: MigrationOp[];
}

const fileShape = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/, 'use letters, digits and _ (at most 40): it becomes part of a schema name')
    .optional(),
  version_schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a schema name: letters, digits and _ (at most 63)')
    .optional(),
  operations: z.array(z.record(z.string(), z.unknown())).min(1),
});

export function parseMigration(source: string, doc: unknown): Migration {
  const issues: string[] = [];
  const shape = fileShape.safeParse(doc);
  if (!shape.success) {
    for (const i of shape.error.issues) issues.push(`${source}: ${formatPath(i.path) || '(file)'}: ${i.message}`);
    throw ERR_MIGRATE_INVALID(issues.join('\n'));
  }
  const name =
    shape.data.name ??
    basename(source, extname(source))
      .replace(/[^A-Za-z0-9_]/g, '_')
      .slice(0, 40);
  const ops: MigrationOp[] = [];
  shape.data.operations.forEach((entry, i) => {
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      issues.push(`${source}: operations[${i}]: each operation is an object with exactly one key (its type), found ${keys.length ? keys.join(', ') : 'none'}`);
      return;
    }
    const kind = keys[0];
    const operation = operations.get(kind);
    if (!operation) {
      issues.push(`${source}: operations[${i}].${kind}: unknown operation (known: ${[...operations.keys()].join(', ')})`);
      return;
    }
    const fields = operation.fields.safeParse(entry[kind]);
    if (!fields.success) {
      for (const e of fields.error.issues) issues.push(`${source}: ${formatPath([`operations`, i, kind, ...e.path])}: ${e.message}`);
      return;
    }
    ops.push({ kind, operation, fields: fields.data });
  });
  if (issues.length) throw ERR_MIGRATE_INVALID(issues.join('\n'));
  return { source, name, versionSchema: shape.data.version_schema, raw: shape.data.operations, ops };
}

export async function loadMigration(file: string): Promise<Migration> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw ERR_MIGRATE_FILE(file, (err as Error).message);
  }
  let doc: unknown;
  if (extname(file) === '.json') {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw ERR_MIGRATE_FILE(file, (err as Error).message);
    }
  } else {
    const parsed = parseYamlText(text);
    if (!parsed.ok) throw ERR_MIGRATE_FILE(file, parsed.error);
    doc = parsed.value;
  }
  return parseMigration(file, doc);
}
