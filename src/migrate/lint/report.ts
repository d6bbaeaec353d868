// Lint output: compiler-style lines for people, or JSON for scripts.
import type { Finding } from './lint.js';

export function formatText(findings: Finding[], files: number): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.file}:${f.line}: ${f.severity} ${f.rule}: ${f.message}`);
    lines.push(`  in production: ${f.problem}`);
    lines.push(`  instead: ${f.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`);
  return lines.join('\n');
}

export function formatJson(findings: Finding[], files: number): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return JSON.stringify({ files, errors, warnings: findings.length - errors, findings }, null, 2);
}
