// `sundial migrate plan`: a Markdown runbook rendered from the very steps the engine
// would run. Pure: the caller gathers the inputs (steps, row estimates) and prints the text.
import type { Migration } from './load.js';
import { type Effect, LOCK_LEVELS, type LockLevel, type Step } from './operation.js';
import type { MigrationSteps, OperationSteps } from './steps.js';
import { batchSql, boundSql } from './backfill.js';

export interface PlanInput {
  migration: Migration;
  schema: string;
  steps: MigrationSteps;
  /** Row estimates (pg_class.reltuples) by physical table; undefined when no database was given. */
  estimates?: Map<string, number>;
  batchSize: number;
  lockTimeoutMs: number;
}

/** What each lock level blocks, in the words an on-call engineer needs. */
const LOCK_BLOCKS: Record<LockLevel, string> = {
  none: 'nothing',
  'ACCESS SHARE': 'only ACCESS EXCLUSIVE (DDL)',
  'ROW EXCLUSIVE': 'other DDL; reads and writes go on',
  'SHARE UPDATE EXCLUSIVE': 'other DDL and VACUUM; reads and writes go on',
  SHARE: 'writes (reads go on)',
  'SHARE ROW EXCLUSIVE': 'writes (reads go on), briefly',
  'ACCESS EXCLUSIVE': 'reads and writes, for as long as it is held',
};

function strongest(steps: Step[]): LockLevel {
  return steps.reduce<LockLevel>((max, s) => (LOCK_LEVELS.indexOf(s.lock) > LOCK_LEVELS.indexOf(max) ? s.lock : max), 'none');
}

function has(steps: Step[], effect: Effect): boolean {
  return steps.some((s) => s.effect === effect);
}

function rowsText(table: string, input: PlanInput): string {
  const n = input.estimates?.get(table);
  if (n === undefined) return 'unknown';
  if (n < 0) return 'unknown (table never analyzed)';
  return `~${Math.round(n).toLocaleString('en-US')}`;
}

function impact(op: OperationSteps, input: PlanInput): string {
  const steps = [...op.start, ...op.complete];
  if (steps.length === 0 && op.backfill.length === 0) return 'none (view change only)';
  const lock = strongest(steps);
  const parts: string[] = [];
  if (lock !== 'none') parts.push(`${lock}${lock === 'ACCESS EXCLUSIVE' || lock === 'SHARE ROW EXCLUSIVE' ? ' (brief)' : ''}`);
  if (has(steps, 'rewrites table')) parts.push('rewrites table');
  if (has(steps, 'scans table')) parts.push('scans table without blocking writes');
  if (has(steps, 'writes rows')) parts.push('unknown: raw SQL');
  for (const t of op.backfill) parts.push(`backfill of ${rowsText(t, input)} rows`);
  return parts.join('; ') || 'catalog only';
}

function rollbackTime(op: OperationSteps): string {
  if (op.rollback.length === 0) return 'instant (nothing to undo)';
  if (has(op.rollback, 'writes rows')) return 'depends on `down`';
  if (op.rollback.some((s) => s.stage)) return 'seconds (DROP INDEX CONCURRENTLY)';
  return 'instant (catalog only)';
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replace(/\s+/g, ' ');
}

function checklist(steps: Step[], phase: string): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const where =
      s.stage === 'before'
        ? ' (alone, before the transaction)'
        : s.stage === 'after'
          ? ' (alone, outside any transaction)'
          : s.stage === 'backfilled'
            ? ' (alone, once the backfill is done)'
            : '';
    out.push(
      `- [ ] ${phase}${where}: ${s.why}`,
      '  ```sql',
      ...s.sql.split('\n').map((l) => `  ${l}`),
      '  ```',
      `  Lock: **${s.lock}**${s.table ? ` on \`${s.table}\`` : ''}, blocks ${LOCK_BLOCKS[s.lock]}. ` +
        `Rewrites table: ${s.effect === 'rewrites table' ? 'yes' : 'no'}. Scans table: ${s.effect === 'scans table' ? 'yes' : 'no'}.`,
    );
  }
  return out;
}

function ordered(stage: { before: Step[]; main: Step[]; after: Step[] }, extra: Step[] = []): Step[] {
  // `backfilled` steps are shown in the Migrate phase, after the backfill they wait for.
  return [...stage.before, ...stage.main, ...extra, ...stage.after];
}

/** The backfill's batch statement, as a step: it runs once per batch, still part of `start`. */
function backfillSteps(input: PlanInput): Step[] {
  return input.steps.backfill.map((b) => ({
    // Without a database the key is unknown; show where it goes.
    sql: [boundSql, batchSql].map((f) => f(input.schema, b.keys.length ? b : { ...b, keys: [{ name: 'primary key', type: 'bigint' }] }, true)).join(';\n'),
    lock: 'ROW EXCLUSIVE',
    table: b.table,
    effect: 'writes rows',
    why:
      `backfill of \`${b.table}\` (${rowsText(b.table, input)} rows), starting at ${input.batchSize} rows per transaction, keyed by (${b.keys.map((k) => k.name).join(', ') || 'primary key'}): ` +
      "computes `up` in the UPDATE and locks only the batch's rows; batches are resized to take about 200ms; progress is recorded in the same transaction, so `start` resumes after an interruption",
  }));
}

/** The steps of each phase, in the order they run: the checklists and the lock table share them. */
interface PhaseSteps {
  expand: Step[];
  migrate: Step[];
  contract: Step[];
  rollback: Step[];
}

function phaseSteps(input: PlanInput): PhaseSteps {
  const { steps } = input;
  return {
    expand: ordered(steps.start),
    migrate: [...backfillSteps(input), ...(steps.start.backfilled ?? [])],
    contract: ordered(steps.complete, steps.completeViews),
    rollback: ordered(steps.rollback),
  };
}

function header(input: PlanInput): string[] {
  const { migration, schema, steps } = input;
  return [
    `# Migration plan: ${migration.name}`,
    '',
    `- Source: \`${migration.source}\``,
    `- Schema: \`${schema}\``,
    `- New version: \`SET search_path TO ${steps.version}\``,
    `- Old version: \`SET search_path TO ${steps.oldVersion}\``,
    `- Every DDL statement runs with \`lock_timeout = ${input.lockTimeoutMs}ms\` and is retried with backoff when the lock is not granted (SQLSTATE 55P03).`,
    '',
  ];
}

function overview(input: PlanInput): string[] {
  const L = ['## Overview', '', '| # | Operation | Type | Strategy | Estimated impact | Rollback time |', '|---|---|---|---|---|---|'];
  input.steps.perOperation.forEach((op, i) => {
    L.push(`| ${i + 1} | ${cell(op.summary)} | \`${op.kind}\` | ${cell(op.strategy)} | ${cell(impact(op, input))} | ${rollbackTime(op)} |`);
  });
  L.push('');
  return L;
}

function batchesText(table: string, input: PlanInput): string {
  const n = input.estimates?.get(table);
  return n === undefined || n < 0 ? 'unknown' : String(Math.max(1, Math.ceil(n / input.batchSize)));
}

function backfillEstimate(input: PlanInput): string[] {
  const L = ['## Backfill estimate', ''];
  if (input.steps.backfill.length === 0) L.push('No backfill: no existing row needs new values.');
  else {
    L.push(
      `Rows come from \`pg_class.reltuples\`${input.estimates ? '' : ' (unknown: no database was given)'}. Batches of ${input.batchSize}, keyed by primary key, one transaction each.`,
      '',
      '| Table | Rows (estimate) | Batches |',
      '|---|---|---|',
    );
    for (const b of input.steps.backfill) L.push(`| \`${b.table}\` | ${rowsText(b.table, input)} | ${batchesText(b.table, input)} |`);
  }
  L.push('');
  return L;
}

function expandPhase(input: PlanInput, phases: PhaseSteps): string[] {
  return [
    '## Phase 1: Expand',
    '',
    `Run \`sundial migrate start ${input.migration.source}\`. One transaction, then the statements that cannot run in one:`,
    '',
    ...checklist(phases.expand, 'Expand'),
    '',
  ];
}

function migratePhase(input: PlanInput, phases: PhaseSteps): string[] {
  const { steps } = input;
  return [
    '## Phase 2: Migrate',
    '',
    ...checklist(phases.migrate, 'Migrate'),
    `- [ ] Deploy the new application version with \`search_path = ${steps.version}\`.`,
    `- [ ] Keep the old version running with \`search_path = ${steps.oldVersion}\` until its traffic reaches zero.`,
    '- [ ] Watch error rates of both versions; `sundial migrate status` shows the state.',
    '',
  ];
}

function contractPhase(phases: PhaseSteps): string[] {
  return [
    '## Phase 3: Contract',
    '',
    'Run `sundial migrate complete` once no client uses the old version any more:',
    '',
    ...checklist(phases.contract, 'Contract'),
    '',
  ];
}

function lockRow(phase: string, s: Step): string {
  const stmt = s.sql.split('\n')[0];
  return `| ${phase} | \`${cell(stmt.length > 90 ? stmt.slice(0, 89) + '…' : stmt)}\` | ${s.lock} | ${s.table ? `\`${s.table}\`` : '-'} | ${s.effect === 'rewrites table' ? 'yes' : 'no'} | ${s.effect === 'scans table' ? 'yes' : 'no'} |`;
}

function lockAnalysis(phases: PhaseSteps): string[] {
  const rows: [string, Step[]][] = [
    ['Expand', phases.expand],
    ['Migrate', phases.migrate],
    ['Contract', phases.contract],
    ['Rollback', phases.rollback],
  ];
  return [
    '## Lock analysis',
    '',
    '| Phase | Statement | Lock | Table | Rewrites table | Scans table |',
    '|---|---|---|---|---|---|',
    ...rows.flatMap(([phase, list]) => list.map((s) => lockRow(phase, s))),
    '',
  ];
}

function rollbackPlan(phases: PhaseSteps): string[] {
  return [
    '## Rollback plan',
    '',
    'At any time before `complete`, run `sundial migrate rollback`. Old clients never notice: their shape was not changed. ' +
      'Rows written through the new version were also written into the old shape by the dual-write trigger, so no data is lost; ' +
      'values that exist only in the new shape (new columns, new tables) are dropped with it.',
    '',
    ...checklist(phases.rollback, 'Rollback'),
    ...(phases.rollback.length === 0 ? ['- Nothing to undo.'] : []),
    '',
    'After `complete`, the old shape is gone: going back needs a new migration.',
    '',
  ];
}

function successCriteria(input: PlanInput): string[] {
  const { migration, steps } = input;
  return [
    '## Success criteria',
    '',
    `- [ ] \`sundial migrate status\` shows \`${migration.name}\` active in phase \`ready\` after start.`,
    ...steps.backfill.map((b) => `- [ ] Backfill of \`${b.table}\` done: rows processed equal the table's rows; no row has a NULL where \`up\` gives a value.`),
    `- [ ] Both versions serve traffic: reads and writes through \`${steps.version}\` and \`${steps.oldVersion}\` succeed, and each sees the other's writes.`,
    '- [ ] No lock waits or errors in the database log beyond the announced lock_timeout retries.',
    `- [ ] After complete: status shows \`${migration.name}\` complete, the old version schema and the triggers are gone, and the new version still serves.`,
    '',
  ];
}

export function renderPlan(input: PlanInput): string {
  const phases = phaseSteps(input);
  return [
    ...header(input),
    ...overview(input),
    ...backfillEstimate(input),
    ...expandPhase(input, phases),
    ...migratePhase(input, phases),
    ...contractPhase(phases),
    ...lockAnalysis(phases),
    ...rollbackPlan(phases),
    ...successCriteria(input),
  ].join('\n');
}
