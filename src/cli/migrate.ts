// `sundial migrate`: zero-downtime PostgreSQL schema changes. Parses arguments and prints;
// the work is in src/migrate.
import { parseArgs } from 'node:util';
import { ERR_MIGRATE_USAGE, SundialError } from '../errors.js';
import type { Connection } from '../migrate/connect.js';
import { parseDuration } from '../config/units.js';

const HELP: Record<string, string> = {
  '': `Usage: sundial migrate <command> [options]

Zero-downtime PostgreSQL schema changes (expand/contract, pgroll-style).

Commands:
  start FILE     expand the schema, create the new version schema, backfill (resumable)
  complete       contract: drop the old shape, the triggers and the old version schema
  rollback       undo everything start did; old clients never notice
  apply DIR      apply every migration of DIR not applied yet, in order (pgroll's migrate)
  status         the active migration and the history (--json)
  plan FILE      print a Markdown runbook for a migration
  lint PATH|-    check existing migrations (Prisma, Drizzle, Flyway, Liquibase, TypeORM, Knex,
                 Sequelize, Django, Alembic, *.sql) for unsafe DDL
  convert FILE   turn a plain SQL migration into a sundial migration file

Run \`sundial migrate <command> --help\` for its options.`,
  start: `Usage: sundial migrate start FILE [options]

Starts the migration in FILE (YAML or JSON). Re-run it after an interruption to resume.
${'{common}'}
  --batch-size N         rows per backfill batch (default: sized to about 200ms each, starting at 1000)
  --batch-delay DURATION pause between batches, e.g. 50ms (default 0)
  --verbose              print every SQL statement as it runs`,
  apply: `Usage: sundial migrate apply DIR [options]

Applies every migration file of DIR (YAML or JSON, in file-name order) that is not complete
yet, as pgroll's \`migrate\` does: each is started and completed, except the last, which stays
active so that both versions run. Stops at the first failure and says what to do.
${'{common}'}
  --complete             complete the last migration too
  --batch-size N         rows per backfill batch (default: sized to about 200ms each)
  --verbose              print every SQL statement as it runs`,
  complete: `Usage: sundial migrate complete [options]

Completes the active migration: validates constraints, drops the old shape, the dual-write
triggers and the previous version schema, and renames the new columns into place.
${'{common}'}
  --verbose              print every SQL statement as it runs`,
  rollback: `Usage: sundial migrate rollback [options]

Rolls back the active migration: drops the new version schema, the triggers and everything
start created. Rows written by new clients are kept in the old shape.
${'{common}'}
  --verbose              print every SQL statement as it runs`,
  status: `Usage: sundial migrate status [options]

Shows the active migration (phase, backfill progress, version schemas) and the history.
${'{common}'}
  --json                 machine-readable output`,
  plan: `Usage: sundial migrate plan FILE [options]

Prints a Markdown runbook: overview, phases, the lock each statement takes, backfill size,
rollback plan and success criteria. With a database the migration is also validated against
it and row counts are estimated from pg_class.reltuples; without one they are "unknown".
${'{common}'}
  --batch-size N         rows per backfill batch, for the estimate (default 1000)`,
};

const COMMON = `
Options:
  --database-url URL     PostgreSQL to work on (default: $DATABASE_URL)
  --embedded             start a throwaway PostgreSQL instead (removed on exit)
  --seed FILE.sql        with --embedded: run this SQL first (e.g. your current schema)
  --schema NAME          schema to migrate (default public)
  --lock-timeout DURATION  lock_timeout for each DDL statement (default 500ms)
  --help                 this help`;

function help(command: string): string {
  return HELP[command].replace('{common}', COMMON);
}

const options = {
  'database-url': { type: 'string' },
  embedded: { type: 'boolean' },
  seed: { type: 'string' },
  schema: { type: 'string', default: 'public' },
  'lock-timeout': { type: 'string', default: '500ms' },
  'batch-size': { type: 'string' },
  'batch-delay': { type: 'string', default: '0' },
  json: { type: 'boolean' },
  complete: { type: 'boolean' },
  format: { type: 'string', default: 'text' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function positive(name: string, text: string, parse: (s: string) => number | undefined, allowZero = false): number {
  const n = parse(text);
  if (n === undefined || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw ERR_MIGRATE_USAGE(`--${name}: "${text}" is not a valid value`);
  return n;
}

const flagDuration = (s: string) => parseDuration(s, { bareMs: true });
const int = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);

function engineSettings(v: Values) {
  return {
    schema: v.schema!,
    lockTimeoutMs: positive('lock-timeout', v['lock-timeout']!, flagDuration),
    batchSize: positive('batch-size', v['batch-size'] ?? '1000', int),
    batchDelayMs: positive('batch-delay', v['batch-delay']!, flagDuration, true),
  };
}

async function withDatabase<T>(v: Values, fn: (c: Connection) => Promise<T>): Promise<T> {
  const { openDatabase } = await import('../migrate/connect.js');
  const conn = await openDatabase({ url: v['database-url'], embedded: v.embedded, seed: v.seed, log: (s) => process.stderr.write(s + '\n') });
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

function onePositional(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw ERR_MIGRATE_USAGE(`sundial migrate ${command} needs exactly one ${what}\n\n${help(command)}`);
  return positionals[0];
}

type Settings = ReturnType<typeof engineSettings>;

interface Invocation {
  v: Values;
  positionals: string[];
  s: Settings;
}

async function engineOptions({ v, s }: Invocation) {
  const { createReporter } = await import('../migrate/progress.js');
  return {
    schema: s.schema,
    locks: { lockTimeoutMs: s.lockTimeoutMs },
    // An explicit --batch-size is kept for every batch; otherwise batches are sized to a target duration.
    backfill: { batchSize: s.batchSize, batchDelayMs: s.batchDelayMs, ...(v['batch-size'] === undefined ? {} : { targetBatchMs: 0 }) },
    onEvent: createReporter(process.stderr, { tty: Boolean(process.stderr.isTTY), verbose: v.verbose }),
  };
}

async function startCommand(inv: Invocation): Promise<number> {
  const file = onePositional('start', inv.positionals, 'migration FILE');
  const { loadMigration } = await import('../migrate/load.js');
  const migration = await loadMigration(file);
  const { startMigration } = await import('../migrate/engine.js');
  return withDatabase(inv.v, async ({ client }) => {
    const r = await startMigration(client, migration, await engineOptions(inv));
    process.stdout.write(
      `migration "${r.name}" ${r.resumed ? 'resumed and ' : ''}started on schema "${inv.s.schema}"\n` +
        `  new version: SET search_path TO ${r.version}\n` +
        `  old version: SET search_path TO ${r.oldVersion}\n` +
        `next: deploy the new version, then \`sundial migrate complete\` (or \`sundial migrate rollback\`)\n`,
    );
    return 0;
  });
}

async function completeOrRollbackCommand(command: 'complete' | 'rollback', inv: Invocation): Promise<number> {
  if (inv.positionals.length) throw ERR_MIGRATE_USAGE(`sundial migrate ${command} takes no arguments\n\n${help(command)}`);
  const engine = await import('../migrate/engine.js');
  return withDatabase(inv.v, async ({ client }) => {
    const r =
      command === 'complete'
        ? await engine.completeMigration(client, await engineOptions(inv))
        : await engine.rollbackMigration(client, await engineOptions(inv));
    process.stdout.write(
      command === 'complete'
        ? `migration "${r.name}" complete: SET search_path TO ${r.version_schema}\n`
        : `migration "${r.name}" rolled back: clients use ${r.old_version_schema}\n`,
    );
    return 0;
  });
}

async function applyCommand(inv: Invocation): Promise<number> {
  const dir = onePositional('apply', inv.positionals, 'directory DIR');
  const { applyDirectory } = await import('../migrate/apply.js');
  return withDatabase(inv.v, async ({ client }) => {
    const r = await applyDirectory(client, dir, {
      ...(await engineOptions(inv)),
      complete: inv.v.complete,
      onApplied: (a) => process.stdout.write(`${a.name}: ${a.action}${a.version ? ` (SET search_path TO ${a.version})` : ''}\n`),
    });
    if (r.skipped.length) process.stdout.write(`already applied: ${r.skipped.join(', ')}\n`);
    if (r.applied.length === 0) process.stdout.write(`nothing to apply in ${dir}\n`);
    if (r.active)
      process.stdout.write(
        `"${r.active}" is active: both versions run. next: deploy the new version, then \`sundial migrate complete\` (or \`sundial migrate rollback\`)\n`,
      );
    return 0;
  });
}

async function statusCommand(inv: Invocation): Promise<number> {
  const { migrationStatus, formatStatus } = await import('../migrate/status.js');
  return withDatabase(inv.v, async ({ client }) => {
    const st = await migrationStatus(client, inv.s.schema);
    process.stdout.write((inv.v.json ? JSON.stringify(st, null, 2) : formatStatus(st)) + '\n');
    return 0;
  });
}

async function planCommand(inv: Invocation): Promise<number> {
  const { v, s } = inv;
  const file = onePositional('plan', inv.positionals, 'migration FILE');
  const { loadMigration } = await import('../migrate/load.js');
  const { planInput } = await import('../migrate/plan-input.js');
  const { renderPlan } = await import('../migrate/plan.js');
  const migration = await loadMigration(file);
  const hasDb = Boolean(v['database-url'] || v.embedded || process.env.DATABASE_URL);
  const input = hasDb
    ? await withDatabase(v, ({ client }) => planInput(client, migration, s.schema, s.batchSize, s.lockTimeoutMs))
    : await planInput(undefined, migration, s.schema, s.batchSize, s.lockTimeoutMs);
  process.stdout.write(renderPlan(input));
  return 0;
}

const COMMANDS: Record<string, (inv: Invocation) => Promise<number>> = {
  start: startCommand,
  complete: (inv) => completeOrRollbackCommand('complete', inv),
  rollback: (inv) => completeOrRollbackCommand('rollback', inv),
  apply: applyCommand,
  status: statusCommand,
  plan: planCommand,
};

async function runCommand(command: string, v: Values, positionals: string[]): Promise<number> {
  const handler = COMMANDS[command];
  if (!handler) throw ERR_MIGRATE_USAGE(`unknown command "${command}"\n\n${help('')}`);
  // --seed runs arbitrary SQL first: only ever on the throwaway database --embedded starts.
  if (v.seed !== undefined && !v.embedded)
    throw ERR_MIGRATE_USAGE(
      '--seed runs only with --embedded, on the throwaway database; it is refused against --database-url or DATABASE_URL, a real database',
    );
  return handler({ v, positionals, s: engineSettings(v) });
}

export async function run(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === '' || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(help('') + '\n');
    return command ? 0 : 2;
  }
  // lint and convert parse their own options (src/cli/lint.ts).
  if (command === 'lint') return (await import('./lint.js')).runLint(rest);
  if (command === 'convert') return (await import('./lint.js')).runConvert(rest);
  try {
    const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    if (values.help && HELP[command]) {
      process.stdout.write(help(command) + '\n');
      return 0;
    }
    return await runCommand(command, values, positionals);
  } catch (err) {
    if (err instanceof SundialError) {
      process.stderr.write(`sundial migrate: ${err.code}: ${err.message}\n`);
      return err.code === ERR_MIGRATE_USAGE.code ? 2 : 1;
    }
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sundial migrate: ${(err as Error).message}\n\n${help(HELP[command] ? command : '')}\n`);
      return 2;
    }
    process.stderr.write(`sundial migrate: ${(err as Error).message ?? err}\n`);
    return 1;
  }
}
