// Finds SQL migrations under a path and says which tool wrote them: Prisma
// (prisma/migrations/*/migration.sql), Drizzle (drizzle/*.sql), Flyway (V<version>__<desc>.sql)
// or plain *.sql. The tools differ in one way that matters here: the first three apply
// each file inside a transaction.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';

export type Layout = 'prisma' | 'drizzle' | 'flyway' | 'plain';

export interface SqlFile {
  path: string;
  layout: Layout;
  implicitTransaction: boolean;
}

const SKIP = new Set(['node_modules', '.git', 'dist']);

export function layoutOf(path: string): Layout {
  const parts = path.split(sep);
  const name = basename(path);
  if (name === 'migration.sql' && parts.at(-3) === 'migrations') return 'prisma';
  if (/^V\d+(?:[._]\d+)*__.+\.sql$/.test(name)) return 'flyway';
  if (parts.slice(0, -1).includes('drizzle')) return 'drizzle';
  return 'plain';
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(entry.name)) await walk(p, out);
    else if (entry.isFile() && entry.name.endsWith('.sql')) out.push(p);
  }
}

export async function discoverSqlFiles(path: string): Promise<SqlFile[]> {
  const files: string[] = [];
  if ((await stat(path)).isDirectory()) await walk(path, files);
  else files.push(path);
  files.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return files.map((p) => {
    const layout = layoutOf(p);
    return { path: p, layout, implicitTransaction: layout !== 'plain' };
  });
}
