// Liquibase changelogs: XML (read with saxes, which gives line numbers), YAML and JSON (read
// with the yaml package, which keeps source ranges), and formatted SQL. Facts relied on
// (Liquibase docs, "Change Types" and "changeset"): each changeset runs in its own
// transaction unless `runInTransaction="false"`; addColumn's columns are nullable unless
// `<constraints nullable="false"/>`; addForeignKeyConstraint validates existing rows unless
// `validate="false"`; createIndex and dropIndex are the plain, non-concurrent statements;
// `<include>` and `<includeAll>` are applied in order.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SaxesParser } from 'saxes';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { MigrationFile, SqlChunk } from '../source.js';
import { columnSql, ident, list, type ColumnSpec } from './sql-text.js';

/** One element of a changelog, whatever its syntax. */
interface LbNode {
  name: string;
  attrs: Record<string, string>;
  children: LbNode[];
  text: string;
  line: number;
}

function parseXml(text: string): LbNode {
  const root: LbNode = { name: '#root', attrs: {}, children: [], text: '', line: 1 };
  const stack: LbNode[] = [root];
  const p = new SaxesParser({ xmlns: false, position: true });
  let tagLine = 1;
  p.on('opentagstart', () => {
    tagLine = p.line;
  });
  p.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = String(v);
    const node: LbNode = { name: tag.name.replace(/^.*:/, ''), attrs, children: [], text: '', line: tagLine };
    stack[stack.length - 1].children.push(node);
    if (!tag.isSelfClosing) stack.push(node);
  });
  p.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  p.on('text', (t) => {
    stack[stack.length - 1].text += t;
  });
  p.on('cdata', (t) => {
    stack[stack.length - 1].text += t;
  });
  p.write(text).close();
  return root;
}

function yamlToNode(name: string, node: YamlNode | null | undefined, lines: LineCounter): LbNode {
  const out: LbNode = { name, attrs: {}, children: [], text: '', line: node?.range ? lines.linePos(node.range[0]).line : 1 };
  if (isScalar(node)) {
    out.text = String(node.value ?? '');
    return out;
  }
  if (isSeq(node)) {
    for (const item of node.items) {
      if (isMap(item))
        for (const pair of item.items)
          out.children.push(yamlToNode(String((pair.key as YamlNode & { value?: unknown })?.toString?.() ?? ''), pair.value as YamlNode, lines));
    }
    return out;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
      const v = pair.value as YamlNode;
      if (isScalar(v)) {
        if (key === 'sql' || key === 'comment') out.children.push(yamlToNode(key, v, lines));
        else out.attrs[key] = String(v.value);
      } else if (isSeq(v)) {
        // `changes:` and `columns:` lists hold the child elements.
        const holder = yamlToNode(key, v, lines);
        if (key === 'changes' || key === 'columns' || key === 'databaseChangeLog') out.children.push(...holder.children);
        else out.children.push(holder);
      } else if (isMap(v)) out.children.push(yamlToNode(key, v, lines));
    }
  }
  return out;
}

function parseYaml(text: string): LbNode {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  const root = doc.contents as YamlNode;
  const top: LbNode = { name: '#root', attrs: {}, children: [], text: '', line: 1 };
  if (isMap(root))
    for (const pair of root.items) top.children.push(yamlToNode(String((pair.key as { value?: unknown })?.value), pair.value as YamlNode, lines));
  return top;
}

function columnOf(c: LbNode): ColumnSpec {
  const cons = c.children.find((x) => x.name === 'constraints')?.attrs ?? {};
  const a = c.attrs;
  const def =
    a.defaultValueComputed ??
    a.defaultValueNumeric ??
    a.defaultValueBoolean ??
    (a.defaultValue !== undefined ? `'${a.defaultValue.replace(/'/g, "''")}'` : a.defaultValueDate !== undefined ? `'${a.defaultValueDate}'` : undefined);
  return {
    name: a.name,
    type: a.type ?? 'text',
    notNull: cons.nullable === 'false' || cons.primaryKey === 'true',
    default: def,
    unique: cons.unique === 'true',
    primaryKey: cons.primaryKey === 'true',
    references: cons.referencedTableName
      ? { table: cons.referencedTableName, column: cons.referencedColumnNames }
      : cons.references
        ? { table: cons.references.replace(/\(.*$/, '') }
        : undefined,
  };
}

function changeSql(ch: LbNode, baseDir: string): string[] {
  const a = ch.attrs;
  const t = () => ident(a.tableName ?? a.baseTableName ?? '');
  const cols = ch.children.filter((c) => c.name === 'column');
  const names = (s?: string) =>
    list(
      (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
  switch (ch.name) {
    case 'addColumn':
      return cols.map((c) => `ALTER TABLE ${t()} ADD COLUMN ${columnSql(columnOf(c))};`);
    case 'createTable':
      return [`CREATE TABLE ${t()} (${cols.map((c) => columnSql(columnOf(c))).join(', ')});`];
    case 'addNotNullConstraint':
      return [`ALTER TABLE ${t()} ALTER COLUMN ${ident(a.columnName)} SET NOT NULL;`];
    case 'dropNotNullConstraint':
      return [`ALTER TABLE ${t()} ALTER COLUMN ${ident(a.columnName)} DROP NOT NULL;`];
    case 'modifyDataType':
      return [`ALTER TABLE ${t()} ALTER COLUMN ${ident(a.columnName)} TYPE ${a.newDataType};`];
    case 'createIndex':
      return [
        `CREATE ${a.unique === 'true' ? 'UNIQUE ' : ''}INDEX ${a.indexName ? ident(a.indexName) : ''} ON ${t()} (${list(cols.map((c) => c.attrs.name))});`,
      ];
    case 'dropIndex':
      return [`DROP INDEX ${ident(a.indexName)};`];
    case 'renameColumn':
      return [`ALTER TABLE ${t()} RENAME COLUMN ${ident(a.oldColumnName)} TO ${ident(a.newColumnName)};`];
    case 'renameTable':
      return [`ALTER TABLE ${ident(a.oldTableName)} RENAME TO ${ident(a.newTableName)};`];
    case 'dropColumn':
      return (a.columnName ? [a.columnName] : cols.map((c) => c.attrs.name)).map((n) => `ALTER TABLE ${t()} DROP COLUMN ${ident(n)};`);
    case 'dropTable':
      return [`DROP TABLE ${t()};`];
    case 'addForeignKeyConstraint':
      return [
        `ALTER TABLE ${t()} ADD CONSTRAINT ${ident(a.constraintName ?? 'fk')} FOREIGN KEY (${names(a.baseColumnNames)}) REFERENCES ${ident(a.referencedTableName)} (${names(a.referencedColumnNames)})${a.validate === 'false' ? ' NOT VALID' : ''};`,
      ];
    case 'addUniqueConstraint':
      return [`ALTER TABLE ${t()} ADD CONSTRAINT ${ident(a.constraintName ?? 'uq')} UNIQUE (${names(a.columnNames)});`];
    case 'addPrimaryKey':
      return [`ALTER TABLE ${t()} ADD PRIMARY KEY (${names(a.columnNames)});`];
    case 'sql':
      return [ch.text || a.sql || ''];
    case 'sqlFile': {
      const p = a.relativeToChangelogFile === 'true' ? join(baseDir, a.path) : resolve(baseDir, a.path);
      return existsSync(p) ? [readFileSync(p, 'utf8')] : [];
    }
    default:
      return [];
  }
}

/** Reads a changelog and everything it includes, in order: one entry per changeset. */
export function readLiquibase(path: string, seen = new Set<string>()): MigrationFile[] {
  if (seen.has(resolve(path))) return [];
  seen.add(resolve(path));
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.sql')) return readFormattedSql(path, text);
  const root = path.endsWith('.xml') ? parseXml(text) : parseYaml(text);
  const log = root.children.find((c) => c.name === 'databaseChangeLog') ?? root;
  const out: MigrationFile[] = [];
  const dir = dirname(path);
  for (const item of log.children) {
    if (item.name === 'include' && item.attrs.file) {
      out.push(...readLiquibase(item.attrs.relativeToChangelogFile === 'true' ? join(dir, item.attrs.file) : resolve(dir, item.attrs.file), seen));
    } else if (item.name === 'includeAll' && item.attrs.path) {
      const d = item.attrs.relativeToChangelogFile === 'true' ? join(dir, item.attrs.path) : resolve(dir, item.attrs.path);
      if (existsSync(d)) for (const f of readdirSync(d).sort()) if (/\.(xml|ya?ml|json|sql)$/.test(f)) out.push(...readLiquibase(join(d, f), seen));
    } else if (item.name === 'changeSet') {
      const chunks: SqlChunk[] = [];
      for (const ch of item.children) {
        if (ch.name === 'rollback' || ch.name === 'preConditions' || ch.name === 'comment') continue;
        for (const sql of changeSql(ch, dir)) {
          // Raw SQL keeps its own lines; generated SQL points at the change element.
          if (ch.name === 'sql' && path.endsWith('.xml')) chunks.push({ sql, line: ch.line });
          else chunks.push({ sql, line: ch.line, pinned: ch.name !== 'sql' || !path.endsWith('.xml') });
        }
      }
      out.push({ path, transactional: item.attrs.runInTransaction !== 'false', chunks, text });
    }
  }
  return out;
}

/** `--liquibase formatted sql`: `--changeset author:id runInTransaction:false` starts each changeset. */
export function readFormattedSql(path: string, text: string): MigrationFile[] {
  const lines = text.split('\n');
  const out: MigrationFile[] = [];
  let current: { start: number; tx: boolean } | undefined;
  const flush = (end: number) => {
    if (!current) return;
    const body = lines.slice(current.start, end).join('\n');
    out.push({ path, transactional: current.tx, chunks: [{ sql: body.replace(/^--rollback.*$/gm, ''), line: current.start + 1 }], text });
  };
  lines.forEach((l, i) => {
    if (/^--\s*changeset\s/i.test(l)) {
      flush(i);
      current = { start: i + 1, tx: !/runInTransaction:false/i.test(l) };
    }
  });
  flush(lines.length);
  return out;
}

export function isLiquibaseChangelog(path: string, text: string): boolean {
  if (path.endsWith('.sql')) return /^--\s*liquibase formatted sql/im.test(text);
  return /databaseChangeLog/.test(text);
}
