import { readFile } from 'node:fs/promises';
import { discoverSqlFiles } from './discover.js';
import { type Finding, lintSql } from './lint.js';

export type { Finding } from './lint.js';
export { lintSql } from './lint.js';
export { rules } from './rules/index.js';
export { discoverSqlFiles, layoutOf } from './discover.js';
export { formatJson, formatText } from './report.js';

export async function lintPath(path: string): Promise<{ files: number; findings: Finding[] }> {
  const files = await discoverSqlFiles(path);
  const findings: Finding[] = [];
  for (const f of files) findings.push(...(await lintSql(f.path, await readFile(f.path, 'utf8'), { implicitTransaction: f.implicitTransaction })));
  return { files: files.length, findings };
}
