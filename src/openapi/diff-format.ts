// The diff's reports: text for a terminal, JSON for tools, Markdown for a pull request comment.
import { summarize, type Change, type ChangeClass } from './diff.js';

export type DiffFormat = 'text' | 'json' | 'markdown';

const CLASSES: ChangeClass[] = ['breaking', 'warning', 'info'];
const where = (c: Change) => [c.method, c.path].filter(Boolean).join(' ') || '(document)';

function headline(changes: Change[]): string {
  const s = summarize(changes);
  if (changes.length === 0) return 'No changes.';
  return `${s.breaking} breaking, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.info} info`;
}

export function formatDiff(changes: Change[], format: DiffFormat, labels: { old: string; new: string }): string {
  if (format === 'json') {
    return JSON.stringify({ old: labels.old, new: labels.new, summary: summarize(changes), breaking: changes.some((c) => c.class === 'breaking'), changes }, null, 2) + '\n';
  }
  if (format === 'markdown') {
    const lines = [`### API changes: \`${labels.old}\` → \`${labels.new}\``, '', `**${headline(changes)}**`];
    for (const cls of CLASSES) {
      const list = changes.filter((c) => c.class === cls);
      if (!list.length) continue;
      lines.push('', `#### ${cls === 'breaking' ? '🔴 Breaking' : cls === 'warning' ? '🟡 Warnings' : '🔵 Info'} (${list.length})`, '',
        '| operation | where | change |', '|---|---|---|');
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      for (const c of list) lines.push(`| \`${cell(where(c))}\` | \`${cell(c.pointer)}\` | ${cell(c.message)} |`);
    }
    return lines.join('\n') + '\n';
  }
  const lines = [`${labels.old} -> ${labels.new}: ${headline(changes)}`];
  for (const cls of CLASSES) {
    const list = changes.filter((c) => c.class === cls);
    if (!list.length) continue;
    lines.push('', `${cls.toUpperCase()} (${list.length})`);
    for (const c of list) {
      lines.push(`  ${where(c)}  [${c.kind}]`, `    at ${c.pointer}`, `    ${c.message}`);
    }
  }
  return lines.join('\n') + '\n';
}
