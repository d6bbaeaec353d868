import { isAbsolute, relative, resolve } from 'node:path';
import { formatPath } from '../config/errors.js';
import type { VersionConsumers } from '../consumers/tracker.js';
import { versionDocument, type VersionDocument } from '../openapi/config.js';
import { applyDiffConfig, DiffConfigError, failing, readIgnore, readLevels, type IgnoreEntry, type LevelOverrides } from '../openapi/diff-config.js';
import { DIFF_FORMATS, formatChangelog, formatDiff, formatRules, type DiffFormat } from '../openapi/diff-format.js';
import { readSunset } from '../openapi/diff-lifecycle.js';
import { diffDocuments, type Change, type DiffOptions } from '../openapi/diff.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { formatImpact, impactOf, type ImpactRow } from '../openapi/impact.js';
import { readForDiff } from '../openapi/lenient-load.js';
import { lineIndex } from '../openapi/source-lines.js';
import { adminCall, adminTarget } from './admin-client.js';
import { fail, parseCommandArgs, type CommandOptions, type ParsedCommand } from './args.js';

const USAGE = `Usage: sundial openapi diff OLD NEW [options]
       sundial openapi diff --dir DIR --from V1 --to V2 [--impact] [options]
       sundial openapi changelog OLD NEW        (or --dir DIR --from V1 --to V2)
       sundial openapi rules [--format text|markdown|json]

Compares two OpenAPI 3.0/3.1 documents (YAML or JSON; $refs are followed) and classifies
every change for clients of OLD by the rule catalogue (\`sundial openapi rules\`):
  breaking  clients of OLD will fail
  warning   clients of OLD may fail
  info      compatible changes

With --dir, OLD and NEW are the documents that versions/V1.yaml and versions/V2.yaml name
in their \`openapi\` field, and V1's deprecated and sunset dates count for its operations.

Exit status: 0 when nothing fails, 1 when something does (so the command can gate a CI
pipeline), 2 when a document cannot be read or the arguments are wrong.

  --format F                 text (default), json, markdown, github (workflow annotations
                             at the new document's lines) or junit
  --fail-on C                exit 1 on this level or worse: breaking (default) or warning
  --strict                   refuse documents that break the specification (by default
                             they are read, with a warning naming each violation)
  --levels FILE              YAML: rule-id: breaking | warning | info | none
  --ignore FILE              YAML list of { rule, operation: "GET /p" or path: /p, reason }
  --deprecation-days N       minimum days between now and a new x-sunset (both levels)
  --deprecation-days-beta N  the same for operations with x-stability-level: beta
  --deprecation-days-stable N  the same for stable operations (and those with no level)
  --now INSTANT              judge sunsets against this instant instead of the clock
  --impact                   with --dir: ask the running gateway which consumers called
                             each operation a breaking change touches (admin API, as for
                             \`sundial consumers\`; --admin URL to name it)`;

const DAYS = /^\d+$/;

/** A file as messages and annotations name it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = relative('.', file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(file);
}

const DIFF_OPTIONS = {
  format: { type: 'string', default: 'text' },
  dir: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'fail-on': { type: 'string', default: 'breaking' },
  strict: { type: 'boolean' },
  levels: { type: 'string' },
  ignore: { type: 'string' },
  'deprecation-days': { type: 'string' },
  'deprecation-days-beta': { type: 'string' },
  'deprecation-days-stable': { type: 'string' },
  now: { type: 'string' },
  impact: { type: 'boolean' },
  admin: { type: 'string' },
} satisfies CommandOptions;

type DiffValues = ParsedCommand<typeof DIFF_OPTIONS>['values'];

/** The checked options of `diff` and `changelog`; a number is the exit code of a refusal. */
interface DiffArgs {
  v: DiffValues;
  positionals: string[];
  format: DiffFormat;
  failOn: 'breaking' | 'warning';
  clock: number;
  levels: LevelOverrides;
  ignore: IgnoreEntry[];
}

/** The two documents, their labels, and the --from version when they come from a config directory. */
interface DiffFiles {
  files: [string, string];
  labels: { old: string; new: string };
  fromVersion?: VersionDocument;
}

export async function run(argv: string[], now: () => number = Date.now): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE + '\n');
    return sub ? 0 : 2;
  }
  if (sub === 'rules') return rules(rest);
  if (sub !== 'diff' && sub !== 'changelog') return fail('openapi', `unknown subcommand "${sub}"`, USAGE);
  const cmd = `openapi ${sub}`;
  const args = parseDiffArgs(cmd, rest, now);
  if (typeof args === 'number') return args;
  const input = diffFiles(cmd, args);
  if (typeof input === 'number') return input;
  const read = await readDocuments(cmd, input.files, args.v.strict === true);
  if (typeof read === 'number') return read;

  const configured = applyDiffConfig(diffDocuments(read.docs[0], read.docs[1], diffOptions(args, input.fromVersion)), args.levels, args.ignore);
  if (sub === 'changelog') {
    process.stdout.write(formatChangelog(configured.changes, input.labels));
    return 0;
  }
  const { v, format } = args;
  const impact = v.impact ? await askImpact(v.dir!, v.admin, input.fromVersion!.id, configured.changes) : undefined;
  const out = formatDiff(configured.changes, format, {
    labels: input.labels,
    newFile: shown(input.files[1]),
    lineOf: lineIndex(read.newText),
    ignored: configured.ignored,
    warnings: read.warnings,
  });
  writeDiff(out, format, impact, input.fromVersion);
  return failing(configured.changes, args.failOn) ? 1 : 0;
}

function parseDiffArgs(cmd: string, rest: string[], now: () => number): DiffArgs | number {
  let args;
  try {
    args = parseCommandArgs(rest, DIFF_OPTIONS, true);
  } catch (err) {
    return fail(cmd, (err as Error).message, USAGE);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = v.format as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) return fail(cmd, `--format: "${v.format}" is not ${DIFF_FORMATS.join(', ')}`, USAGE);
  const failOn = v['fail-on'];
  if (failOn !== 'breaking' && failOn !== 'warning') return fail(cmd, `--fail-on: "${failOn}" is not breaking or warning`, USAGE);
  for (const k of ['deprecation-days', 'deprecation-days-beta', 'deprecation-days-stable'] as const) {
    if (v[k] !== undefined && !DAYS.test(v[k]!)) return fail(cmd, `--${k}: "${v[k]}" is not a whole number of days`, USAGE);
  }
  let clock = now();
  if (v.now !== undefined) {
    const at = readSunset(v.now);
    if (at.kind !== 'date') return fail(cmd, `--now: "${v.now}" is not an ISO 8601 instant`, USAGE);
    clock = at.at;
  }
  if (v.impact && !v.dir) return fail(cmd, '--impact needs --dir, --from and --to: it asks the gateway about the --from version', USAGE);

  let levels: LevelOverrides = new Map();
  let ignore: IgnoreEntry[] = [];
  try {
    if (v.levels) levels = readLevels(v.levels);
    if (v.ignore) ignore = readIgnore(v.ignore);
  } catch (err) {
    if (!(err instanceof DiffConfigError)) throw err;
    process.stderr.write(`sundial ${cmd}: ${err.message}\n`);
    return 2;
  }
  return { v, positionals: args.positionals, format, failOn, clock, levels, ignore };
}

/** OLD and NEW: two file arguments, or the documents two versions of a config directory name. */
function diffFiles(cmd: string, { v, positionals }: DiffArgs): DiffFiles | number {
  if (v.dir === undefined && v.from === undefined && v.to === undefined) {
    if (positionals.length !== 2) return fail(cmd, 'name two documents: OLD NEW', USAGE);
    const files: [string, string] = [positionals[0], positionals[1]];
    return { files, labels: { old: shown(files[0]), new: shown(files[1]) } };
  }
  if (!v.dir || !v.from || !v.to || positionals.length) return fail(cmd, '--dir, --from and --to go together, without file arguments', USAGE);
  const found = [versionDocument(v.dir, v.from), versionDocument(v.dir, v.to)];
  for (const f of found) {
    if ('error' in f) {
      process.stderr.write(`sundial ${cmd}: ${f.error}\n`);
      return 2;
    }
  }
  const [a, b] = found as VersionDocument[];
  return { files: [a.file, b.file], labels: { old: v.from, new: v.to }, fromVersion: a };
}

/** Both documents read (the diff's lenient reader, or strictly), their warnings printed as they come. */
async function readDocuments(
  cmd: string,
  files: [string, string],
  strict: boolean,
): Promise<{ docs: OpenApiDocument[]; warnings: string[]; newText: string } | number> {
  const docs: OpenApiDocument[] = [];
  const warnings: string[] = [];
  let newText = '';
  for (const file of files) {
    const result = await readForDiff(file, strict);
    if (!result.ok) {
      for (const p of result.problems) process.stderr.write(`sundial ${cmd}: ${file}: ${p.path.length ? `${formatPath(p.path)}: ` : ''}${p.message}\n`);
      return 2;
    }
    for (const w of result.warnings) {
      const line = `${shown(file)}: ${w.path.length ? `${formatPath(w.path)}: ` : ''}${w.message} (read anyway; --strict refuses it)`;
      warnings.push(line);
      process.stderr.write(`sundial ${cmd}: warning: ${line}\n`);
    }
    docs.push(result.document);
    newText = result.text;
  }
  return { docs, warnings, newText };
}

function diffOptions({ v, clock }: DiffArgs, fromVersion: VersionDocument | undefined): DiffOptions {
  const days = (x: string | undefined) => (x === undefined ? undefined : Number(x));
  const options: DiffOptions = {
    now: clock,
    deprecationDays: { beta: days(v['deprecation-days-beta'] ?? v['deprecation-days']), stable: days(v['deprecation-days-stable'] ?? v['deprecation-days']) },
  };
  if (fromVersion) {
    const sunset = readSunset(fromVersion.sunset);
    options.version = { deprecated: fromVersion.deprecated !== undefined || sunset.kind === 'date', sunsetAt: sunset.kind === 'date' ? sunset.at : undefined };
  }
  return options;
}

/** The report, with the consumers a breaking change would touch when --impact asked for them. */
function writeDiff(out: string, format: DiffFormat, impact: Awaited<ReturnType<typeof askImpact>> | undefined, fromVersion: VersionDocument | undefined): void {
  if (format === 'json' && impact) {
    process.stdout.write(
      JSON.stringify(
        { ...JSON.parse(out), impact: 'rows' in impact ? impact.rows : null, impactUnavailable: 'unavailable' in impact ? impact.unavailable : undefined },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  process.stdout.write(out);
  if (impact && (format === 'text' || format === 'markdown')) {
    process.stdout.write('rows' in impact ? formatImpact(impact.rows, fromVersion!.id) : `\nWHO WOULD BREAK: unknown. ${impact.unavailable}\n`);
  }
}

async function askImpact(dir: string, admin: string | undefined, version: string, changes: Change[]): Promise<{ rows: ImpactRow[] } | { unavailable: string }> {
  let report: VersionConsumers;
  try {
    report = (await adminCall(adminTarget({ dir, admin }), 'GET', `/admin/consumers?version=${encodeURIComponent(version)}`)) as VersionConsumers;
  } catch (err) {
    // The diff stands alone; the impact is what a running gateway adds to it.
    const say = `No running gateway answered, so the diff is shown without its impact: ${(err as Error).message.split('\n')[0]}`;
    process.stderr.write(`sundial openapi diff --impact: ${say}\n`);
    return { unavailable: say };
  }
  return { rows: impactOf(changes, report) };
}

function rules(argv: string[]): number {
  let args;
  try {
    args = parseCommandArgs(argv, { format: { type: 'string', default: 'text' } });
  } catch (err) {
    return fail('openapi rules', (err as Error).message, USAGE);
  }
  const f = args.values.format;
  if (f !== 'text' && f !== 'markdown' && f !== 'json') return fail('openapi rules', `--format: "${f}" is not text, markdown or json`, USAGE);
  process.stdout.write(formatRules(f));
  return 0;
}
