// `sundial migrate lint` and `sundial migrate convert`: argument parsing and printing only;
// the work is in src/migrate/lint.
import { parseCommand } from './args.js';
import { ERR_LINT_CONFIG, ERR_LINT_NO_MIGRATIONS, ERR_LINT_PATH, SundialError } from '../errors.js';

export const LINT_HELP = `Usage: sundial migrate lint PATH|- [options]

Checks migrations for DDL that is unsafe on a live database. PATH is a file or a directory;
the migration tool is detected from its files (Prisma, Drizzle, Flyway, Liquibase XML/YAML/
JSON/SQL, TypeORM, Knex, Sequelize, Django, Alembic, plain *.sql). "-" reads SQL from
standard input, e.g. the output of \`manage.py sqlmigrate\` or \`alembic upgrade --sql\`.

Options:
  --format FORMAT      text (default), json, github (workflow annotations) or sarif
  --pg-version N       target PostgreSQL major version (default 12, or the config's)
  --config FILE        lint config (default: .sundial-lint.yaml, or lint: in config/gateway.yaml)
  --help               this help

Exit codes: 0 no errors, 1 an error finding, 2 usage error or no migrations found.`;

export const CONVERT_HELP = `Usage: sundial migrate convert FILE.sql [--name NAME] [--out FILE]

Turns a plain SQL migration (Prisma, Drizzle, Flyway) into a sundial migration file that
makes the same change with zero-downtime operations. Statements it cannot convert stay as
\`sql\` operations with a comment that says why. Prints YAML unless --out is given.`;

const FORMATS = ['text', 'json', 'github', 'sarif'];

function fail(message: string): number {
  process.stderr.write(`sundial migrate: ${message}\n`);
  return 2;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(typeof p === 'string' ? Buffer.from(p) : (p as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

export async function runLint(argv: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const parsed = parseCommand(
    'migrate',
    argv,
    { format: { type: 'string', default: 'text' }, 'pg-version': { type: 'string' }, config: { type: 'string' } },
    LINT_HELP,
    true,
  );
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) return fail(`lint takes one PATH (or - for standard input)\n\n${LINT_HELP}`);
  if (!FORMATS.includes(v.format!)) return fail(`--format: "${v.format}" is not one of ${FORMATS.join(', ')}`);
  const pgVersion = v['pg-version'] === undefined ? undefined : Number(v['pg-version']);
  if (pgVersion !== undefined && !(Number.isInteger(pgVersion) && pgVersion >= 9 && pgVersion <= 20))
    return fail(`--pg-version: "${v['pg-version']}" is not a PostgreSQL major version (9 to 20)`);
  const lint = await import('../migrate/lint/index.js');
  try {
    const path = positionals[0];
    const summary =
      path === '-'
        ? await lint.lintStdin(await readAll(stdin), { pgVersion, configFile: v.config })
        : await lint.lintPath(path, { pgVersion, configFile: v.config });
    const out =
      v.format === 'json'
        ? lint.formatJson(summary)
        : v.format === 'github'
          ? lint.formatGithub(summary)
          : v.format === 'sarif'
            ? lint.formatSarif(summary)
            : lint.formatText(summary);
    process.stdout.write(`${out}\n`);
    return summary.findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (err) {
    if (err instanceof SundialError && [ERR_LINT_PATH.code, ERR_LINT_NO_MIGRATIONS.code, ERR_LINT_CONFIG.code].includes(err.code)) {
      process.stderr.write(`sundial migrate lint: ${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

export async function runConvert(argv: string[]): Promise<number> {
  const parsed = parseCommand('migrate', argv, { name: { type: 'string' }, out: { type: 'string' } }, CONVERT_HELP, true);
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) return fail(`convert takes one FILE.sql\n\n${CONVERT_HELP}`);
  const { readFile, writeFile } = await import('node:fs/promises');
  const { basename } = await import('node:path');
  let sql: string;
  try {
    sql = await readFile(positionals[0], 'utf8');
  } catch (err) {
    return fail(`cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const { convertSql } = await import('../migrate/lint/convert.js');
  const name =
    v.name ??
    basename(positionals[0])
      .replace(/\.sql$/, '')
      .replace(/[^\w]+/g, '_');
  const yaml = await convertSql(sql, name);
  if (v.out) await writeFile(v.out, yaml);
  else process.stdout.write(yaml);
  return 0;
}
