// Inline disable comments: `-- sundial-lint-disable-next-line <rule>[,<rule>] -- <why>` (or
// with `//` or `#` in JavaScript and Python files) silences those rules for the next
// statement. A disable without a reason is itself reported, so every silence is explained.
import type { Finding } from './finding.js';
import type { MigrationFile } from './source.js';

const DIRECTIVE = /(?:--|\/\/|#)\s*sundial-lint-disable-next-line\s+([\w,\s-]*?)\s*(?:--\s*(.*?))?\s*(?:\*\/|-->)?$/;

interface Directive {
  line: number;
  rules: string[];
  reason: string;
}

export function directivesOf(text: string): Directive[] {
  const out: Directive[] = [];
  text.split('\n').forEach((l, i) => {
    const m = DIRECTIVE.exec(l);
    if (m) out.push({ line: i + 1, rules: m[1].split(/[\s,]+/).filter(Boolean), reason: (m[2] ?? '').trim() });
  });
  return out;
}

export function applyDirectives(file: MigrationFile, findings: Finding[], statementLines: number[]): Finding[] {
  if (!file.text || !file.text.includes('sundial-lint-disable-next-line')) return findings;
  const sorted = [...new Set(statementLines)].sort((a, b) => a - b);
  const silenced = new Map<number, Set<string>>();
  const extra: Finding[] = [];
  for (const d of directivesOf(file.text)) {
    const target = sorted.find((l) => l > d.line);
    if (target === undefined) continue;
    const set = silenced.get(target) ?? new Set<string>();
    for (const r of d.rules) set.add(r);
    silenced.set(target, set);
    if (!d.reason) {
      extra.push({
        file: file.path,
        line: d.line,
        rule: 'disable-without-reason',
        severity: 'warning',
        message: `sundial-lint-disable-next-line ${d.rules.join(',')} gives no reason`,
        problem: 'a silenced rule with no reason cannot be reviewed later',
        fix: 'add the reason after ` -- `: `-- sundial-lint-disable-next-line <rule> -- <why>`',
      });
    }
  }
  // A finding belongs to the statement that starts at or before its line.
  const statementOf = (line: number) => {
    let s: number | undefined;
    for (const l of sorted) {
      if (l <= line) s = l;
      else break;
    }
    return s;
  };
  return findings
    .filter((f) => {
      const s = statementOf(f.line);
      const set = s === undefined ? undefined : silenced.get(s);
      return !(set && (set.has(f.rule) || set.has('all')));
    })
    .concat(extra);
}
