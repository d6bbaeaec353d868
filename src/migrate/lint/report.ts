// Lint output: compiler-style lines for people, JSON for scripts, GitHub workflow
// annotations, and SARIF 2.1.0 for code scanning.
import { relative } from 'node:path';
import type { Finding } from './finding.js';
import { rules } from './rules/index.js';

export interface LintSummary {
  findings: Finding[];
  /** One entry per migration set: the tool, why it was detected, its files and statements. */
  sets: { tool: string; detectedBy?: string; files: number; statements: number }[];
}

function counts(findings: Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(s: LintSummary): string {
  const { errors, warnings } = counts(s.findings);
  const tools = s.sets
    .map((x) => `${x.tool}${x.detectedBy ? ` (from ${x.detectedBy})` : ''}: ${plural(x.files, 'file')}, ${plural(x.statements, 'statement')}`)
    .join('; ');
  return `${tools}. ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function formatText(s: LintSummary): string {
  const lines: string[] = [];
  for (const f of s.findings) {
    lines.push(`${f.file}:${f.line}: ${f.severity} ${f.rule}: ${f.message}`);
    lines.push(`  in production: ${f.problem}`);
    lines.push(`  instead: ${f.fix}`);
  }
  lines.push(summaryLine(s));
  return lines.join('\n');
}

export function formatJson(s: LintSummary): string {
  const { errors, warnings } = counts(s.findings);
  const files = s.sets.reduce((n, x) => n + x.files, 0);
  const statements = s.sets.reduce((n, x) => n + x.statements, 0);
  return JSON.stringify({ tools: s.sets, files, statements, errors, warnings, findings: s.findings }, null, 2);
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(s: LintSummary): string {
  const esc = (v: string) => v.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (v: string) => esc(v).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = s.findings.map(
    (f) =>
      `::${f.severity === 'error' ? 'error' : 'warning'} file=${prop(f.file)},line=${f.line},title=${prop(f.rule)}::${esc(`${f.message}. In production: ${f.problem}. Instead: ${f.fix}`)}`,
  );
  lines.push(summaryLine(s));
  return lines.join('\n');
}

/** SARIF 2.1.0: one run, the rules that fired as reportingDescriptors, paths relative to `root`. */
export function formatSarif(s: LintSummary, root = process.cwd()): string {
  const used = [...new Set(s.findings.map((f) => f.rule))];
  const descriptor = (id: string) => {
    const r = rules.find((x) => x.id === id);
    const f = s.findings.find((x) => x.rule === id)!;
    return {
      id,
      shortDescription: { text: r?.problem ?? f.problem },
      fullDescription: { text: `${r?.problem ?? f.problem}. Instead: ${r?.fix ?? f.fix}` },
      help: { text: r?.fix ?? f.fix },
      defaultConfiguration: { level: (r?.severity ?? f.severity) === 'error' ? 'error' : 'warning' },
    };
  };
  const uri = (file: string) => (file === '<stdin>' ? 'stdin' : relative(root, file).split('\\').join('/') || file);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sundial migrate lint',
            informationUri: 'https://github.com/sundial/sundial/blob/main/docs/migrate.md#lint-rules',
            rules: used.map(descriptor),
          },
        },
        results: s.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: used.indexOf(f.rule),
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: `${f.message}. In production: ${f.problem}. Instead: ${f.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file) }, region: { startLine: f.line } } }],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
