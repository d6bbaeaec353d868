// The diff's reports: text for a terminal, JSON for tools, Markdown for a pull request
// comment, GitHub workflow annotations at the new document's lines, JUnit XML for CI test
// views, and a changelog for people, grouped by operation.
import { summarize, type Change, type ChangeClass } from './diff.js';
import { RULES } from './rules.js';
import type { LineOf } from './source-lines.js';

export type DiffFormat = 'text' | 'json' | 'markdown' | 'github' | 'junit';
export const DIFF_FORMATS: DiffFormat[] = ['text', 'json', 'markdown', 'github', 'junit'];

export interface ReportContext {
  labels: { old: string; new: string };
  /** The new document's file, as annotations name it, and its line finder. */
  newFile?: string;
  lineOf?: LineOf;
  ignored?: (Change & { reason: string })[];
  /** Violations the reader accepted, per document. */
  warnings?: string[];
}

const CLASSES: ChangeClass[] = ['breaking', 'warning', 'info'];
const where = (c: Change) => [c.method, c.path].filter(Boolean).join(' ') || '(document)';

function headline(changes: Change[], ignored = 0): string {
  const s = summarize(changes);
  const tail = ignored ? ` (${ignored} ignored)` : '';
  if (changes.length === 0) return `No changes.${tail}`;
  return `${s.breaking} breaking, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.info} info${tail}`;
}

export function formatDiff(changes: Change[], format: DiffFormat, ctx: ReportContext): string {
  const { labels } = ctx;
  const ignored = ctx.ignored ?? [];
  switch (format) {
    case 'json':
      return (
        JSON.stringify(
          {
            old: labels.old,
            new: labels.new,
            summary: summarize(changes),
            breaking: changes.some((c) => c.class === 'breaking'),
            changes: changes.map((c) => (ctx.lineOf ? { ...c, line: ctx.lineOf(c.pointer) } : c)),
            ignored,
            readerWarnings: ctx.warnings ?? [],
          },
          null,
          2,
        ) + '\n'
      );
    case 'markdown':
      return markdown(changes, ctx);
    case 'github':
      return github(changes, ctx);
    case 'junit':
      return junit(changes, ctx);
    default: {
      const lines = [`${labels.old} -> ${labels.new}: ${headline(changes, ignored.length)}`];
      for (const cls of CLASSES) {
        const list = changes.filter((c) => c.class === cls);
        if (!list.length) continue;
        lines.push('', `${cls.toUpperCase()} (${list.length})`);
        for (const c of list) lines.push(`  ${where(c)}  [${c.kind}]`, `    at ${c.pointer}`, `    ${c.message}. ${c.advice}`);
      }
      if (ignored.length) {
        lines.push('', `IGNORED (${ignored.length})`);
        for (const c of ignored) lines.push(`  ${where(c)}  [${c.kind}]  ${c.reason}`);
      }
      return lines.join('\n') + '\n';
    }
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(changes: Change[], ctx: ReportContext): string {
  const lines = [`### API changes: \`${ctx.labels.old}\` → \`${ctx.labels.new}\``, '', `**${headline(changes, ctx.ignored?.length)}**`];
  for (const cls of CLASSES) {
    const list = changes.filter((c) => c.class === cls);
    if (!list.length) continue;
    lines.push(
      '',
      `#### ${cls === 'breaking' ? '🔴 Breaking' : cls === 'warning' ? '🟡 Warnings' : '🔵 Info'} (${list.length})`,
      '',
      '| operation | rule | where | change |',
      '|---|---|---|---|',
    );
    for (const c of list) lines.push(`| \`${cell(where(c))}\` | \`${c.kind}\` | \`${cell(c.pointer)}\` | ${cell(c.message)}. ${cell(c.advice)} |`);
  }
  return lines.join('\n') + '\n';
}

// Workflow commands: the message escapes %, CR and LF; properties escape ':' and ',' too.
const escData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const COMMAND: Record<ChangeClass, string> = { breaking: 'error', warning: 'warning', info: 'notice' };

function github(changes: Change[], ctx: ReportContext): string {
  return changes
    .map((c) => {
      const props = [
        ctx.newFile ? `file=${escProp(ctx.newFile)}` : undefined,
        ctx.lineOf ? `line=${ctx.lineOf(c.pointer)}` : undefined,
        `title=${escProp(`${c.kind} (${where(c)})`)}`,
      ]
        .filter(Boolean)
        .join(',');
      return `::${COMMAND[c.class]} ${props}::${escData(`${c.message}. ${c.advice}`)}\n`;
    })
    .join('');
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Characters XML 1.0 cannot carry at all.
    // eslint-disable-next-line no-control-regex -- these are exactly the characters to remove
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

function junit(changes: Change[], ctx: ReportContext): string {
  const failures = changes.filter((c) => c.class === 'breaking').length;
  const name = `${ctx.labels.old} -> ${ctx.labels.new}`;
  const cases = changes.map((c) => {
    const at = `${c.pointer}${ctx.lineOf ? ` (${ctx.newFile ?? ctx.labels.new}:${ctx.lineOf(c.pointer)})` : ''}`;
    const body =
      c.class === 'breaking'
        ? `<failure type="${c.kind}" message="${xml(c.message)}">${xml(`${c.message}. ${c.advice}\nat ${at}`)}</failure>`
        : `<system-out>${xml(`${c.class}: ${c.message}\nat ${at}`)}</system-out>`;
    return `    <testcase classname="${xml(where(c))}" name="${xml(`${c.kind} ${c.pointer}`)}">${body}</testcase>`;
  });
  if (!cases.length) cases.push(`    <testcase classname="openapi" name="${xml('no changes')}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sundial openapi diff" tests="${Math.max(1, changes.length)}" failures="${failures}">`,
    `  <testsuite name="${xml(name)}" tests="${Math.max(1, changes.length)}" failures="${failures}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** A changelog for people: one section per operation, breaking changes first. */
export function formatChangelog(changes: Change[], labels: { old: string; new: string }): string {
  const groups = new Map<string, Change[]>();
  for (const c of changes) groups.set(where(c), [...(groups.get(where(c)) ?? []), c]);
  const rank = (c: Change) => CLASSES.indexOf(c.class);
  const lines = [`# Changes from ${labels.old} to ${labels.new}`, ''];
  if (!changes.length) lines.push('No changes.');
  const keys = [...groups.keys()].sort((a, b) => Math.min(...groups.get(a)!.map(rank)) - Math.min(...groups.get(b)!.map(rank)) || a.localeCompare(b));
  for (const k of keys) {
    lines.push(`## ${k}`, '');
    for (const c of groups.get(k)!.sort((a, b) => rank(a) - rank(b)))
      lines.push(`- ${c.class === 'breaking' ? '**Breaking:** ' : c.class === 'warning' ? '**Warning:** ' : ''}${c.message}.`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The rule catalogue: text columns, or the Markdown table docs/openapi.md carries. */
export function formatRules(format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(RULES, null, 2) + '\n';
  if (format === 'markdown') {
    return (
      [
        '| id | level | description | advice |',
        '|---|---|---|---|',
        ...RULES.map((r) => `| \`${r.id}\` | ${r.level} | ${cell(r.description)} | ${cell(r.advice)} |`),
      ].join('\n') + '\n'
    );
  }
  const w = Math.max(...RULES.map((r) => r.id.length));
  return RULES.map((r) => `${r.id.padEnd(w)}  ${r.level.padEnd(8)}  ${r.description}`).join('\n') + '\n';
}
