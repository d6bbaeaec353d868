// Finds the migrations under a path, says which tool wrote them, and reads them in the
// order the tool applies them. Each tool is recognised by its own layout and files:
//   prisma     prisma/migrations/<timestamp>_<name>/migration.sql
//   drizzle    drizzle/*.sql (ordered by meta/_journal.json when present)
//   flyway     V<version>__<description>.sql (flyway.conf / flyway.toml help find them)
//   liquibase  a changelog (XML, YAML, JSON with databaseChangeLog, or formatted SQL)
//   typeorm    migrations with MigrationInterface / queryRunner (TypeScript or JavaScript)
//   knex       migrations/*.{js,ts} with knex.schema
//   sequelize  migrations/*.js with queryInterface
//   django     <app>/migrations/NNNN_*.py with class Migration
//   alembic    versions/*.py with revision / down_revision (alembic.ini)
//   sql        any other *.sql file
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { MigrationFile, MigrationSet } from './source.js';
// The readers load their parsers (TypeScript, Lezer, saxes) only when their tool is found.
const isLiquibaseChangelog = (path: string, text: string) =>
  path.endsWith('.sql') ? /^--\s*liquibase formatted sql/im.test(text) : /databaseChangeLog/.test(text);

export type Tool = 'prisma' | 'drizzle' | 'flyway' | 'liquibase' | 'typeorm' | 'knex' | 'sequelize' | 'django' | 'alembic' | 'sql';

export const LAYOUTS: Record<Tool, string> = {
  prisma: 'Prisma prisma/migrations/*/migration.sql',
  drizzle: 'Drizzle drizzle/*.sql',
  flyway: 'Flyway V<version>__<name>.sql',
  liquibase: 'Liquibase changelog (XML, YAML, JSON, formatted SQL)',
  typeorm: 'TypeORM migrations (MigrationInterface)',
  knex: 'Knex migrations (knex.schema)',
  sequelize: 'Sequelize migrations (queryInterface)',
  django: 'Django <app>/migrations/NNNN_*.py',
  alembic: 'Alembic versions/*.py',
  sql: 'plain *.sql',
};

const SKIP = new Set(['node_modules', '.git', 'dist', 'build', '.venv', 'venv', '__pycache__', '.tox', 'target']);
const EXT = /\.(sql|[cm]?[jt]s|py|xml|ya?ml|json)$/;

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(entry.name)) await walk(p, out);
    else if (entry.isFile() && EXT.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The tool a file belongs to, from its path and content; undefined if it is no migration. */
export function toolOf(path: string, text: string): Tool | undefined {
  const parts = path.split(sep);
  const name = basename(path);
  const inMigrationsDir = parts.slice(0, -1).some((p) => /^migrations?$/i.test(p));
  if (name.endsWith('.sql')) {
    if (isLiquibaseChangelog(path, text)) return 'liquibase';
    if (name === 'migration.sql' && parts.at(-3) === 'migrations') return 'prisma';
    if (/^V\d+(?:[._]\d+)*__.+\.sql$/.test(name)) return 'flyway';
    if (parts.slice(0, -1).includes('drizzle')) return 'drizzle';
    return 'sql';
  }
  if (/\.(xml|ya?ml|json)$/.test(name)) return /databaseChangeLog/.test(text) ? 'liquibase' : undefined;
  if (name.endsWith('.py')) {
    if (/class\s+Migration\s*\(\s*migrations\.Migration\s*\)/.test(text)) return 'django';
    if (/^down_revision\b/m.test(text) && /\bdef\s+upgrade\s*\(/.test(text)) return 'alembic';
    return undefined;
  }
  if (/MigrationInterface|queryRunner\s*:\s*QueryRunner/.test(text)) return 'typeorm';
  if (/queryInterface|QueryInterface/.test(text) && /\bup\b/.test(text)) return 'sequelize';
  if (/\.schema\.(createTable|alterTable|table|raw|renameTable|dropTable)|knex\.raw\(/.test(text) && /\bup\b/.test(text)) return 'knex';
  void inMigrationsDir;
  return undefined;
}

/** Evidence for a tool in the repository: its config file or its package. */
function evidence(root: string, tool: Tool): string | undefined {
  const files: Partial<Record<Tool, string[]>> = {
    flyway: ['flyway.conf', 'flyway.toml', 'conf/flyway.conf'],
    alembic: ['alembic.ini'],
    django: ['manage.py'],
    liquibase: ['liquibase.properties'],
    prisma: ['prisma/schema.prisma'],
    drizzle: ['drizzle.config.ts', 'drizzle.config.js'],
    knex: ['knexfile.js', 'knexfile.ts'],
    sequelize: ['.sequelizerc'],
    typeorm: ['ormconfig.json', 'ormconfig.js'],
  };
  for (const f of files[tool] ?? []) if (existsSync(join(root, f))) return f;
  const pkgPath = join(root, 'package.json');
  if (existsSync(pkgPath)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
      const deps = { ...pkg.dependencies, ...pkg.devDependencies };
      const names: Partial<Record<Tool, string[]>> = {
        prisma: ['prisma', '@prisma/client'],
        drizzle: ['drizzle-kit', 'drizzle-orm'],
        typeorm: ['typeorm'],
        knex: ['knex'],
        sequelize: ['sequelize', 'sequelize-cli'],
      };
      for (const n of names[tool] ?? []) if (deps[n]) return `package.json (${n})`;
    } catch {
      /* not JSON: no evidence */
    }
  }
  return undefined;
}

function drizzleOrder(files: string[]): string[] {
  const journal = join(dirname(files[0]), 'meta', '_journal.json');
  if (!existsSync(journal)) return files.sort(byName);
  try {
    const tags: string[] = JSON.parse(readFileSync(journal, 'utf8')).entries.map((e: { tag: string }) => e.tag);
    return files.sort((a, b) => tags.indexOf(basename(a, '.sql')) - tags.indexOf(basename(b, '.sql')) || byName(a, b));
  } catch {
    return files.sort(byName);
  }
}

function flywayVersion(p: string): number[] {
  return (/^V([\d._]+)__/.exec(basename(p))?.[1] ?? '0').split(/[._]/).map(Number);
}

function flywayTransactional(p: string): MigrationFile['transactional'] {
  const conf = `${p}.conf`;
  if (existsSync(conf) && /executeInTransaction\s*=\s*false/.test(readFileSync(conf, 'utf8'))) return false;
  return 'unless-non-transactional';
}

function sqlFile(path: string, text: string, transactional: MigrationFile['transactional']): MigrationFile {
  return { path, transactional, chunks: [{ sql: text, line: 1 }], text };
}

export async function discover(path: string): Promise<MigrationSet[]> {
  const isDir = (await stat(path)).isDirectory();
  const paths: string[] = [];
  if (isDir) await walk(path, paths);
  else paths.push(path);
  const root = isDir ? path : dirname(path);
  const groups = new Map<Tool, { path: string; text: string }[]>();
  const included = new Set<string>();
  for (const p of paths.sort(byName)) {
    const text = await readFile(p, 'utf8');
    const tool = toolOf(p, text);
    if (!tool) continue;
    if (!groups.has(tool)) groups.set(tool, []);
    groups.get(tool)!.push({ path: p, text });
  }
  const sets: MigrationSet[] = [];
  for (const [tool, files] of groups) {
    const detectedBy = evidence(root, tool) ?? (files[0] ? relative(root, files[0].path) || basename(files[0].path) : undefined);
    let out: MigrationFile[];
    switch (tool) {
      case 'prisma':
        out = files.map((f) => sqlFile(f.path, f.text, true));
        break;
      case 'drizzle': {
        const order = drizzleOrder(files.map((f) => f.path));
        out = order.map((p) => sqlFile(p, files.find((f) => f.path === p)!.text, true));
        break;
      }
      case 'flyway':
        out = files
          .sort((a, b) => {
            const x = flywayVersion(a.path),
              y = flywayVersion(b.path);
            for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
            return 0;
          })
          .map((f) => sqlFile(f.path, f.text, flywayTransactional(f.path)));
        break;
      case 'liquibase': {
        // Only changelogs nobody includes are roots; the rest are read through their includes.
        for (const f of files) for (const m of f.text.matchAll(/(?:file|path)\s*[=:]\s*["']?([^"'\s>]+)/g)) included.add(basename(m[1]));
        const roots = files.filter((f) => !included.has(basename(f.path)));
        const seen = new Set<string>();
        const { readLiquibase } = await import('./tools/liquibase.js');
        out = (roots.length ? roots : files).flatMap((f) => readLiquibase(f.path, seen));
        break;
      }
      case 'typeorm': {
        const { readTypeorm } = await import('./tools/typeorm.js');
        out = files.map((f) => readTypeorm(f.path, f.text));
        break;
      }
      case 'knex': {
        const { readKnex } = await import('./tools/knex.js');
        out = files.map((f) => readKnex(f.path, f.text));
        break;
      }
      case 'sequelize': {
        const { readSequelize } = await import('./tools/sequelize.js');
        out = files.map((f) => readSequelize(f.path, f.text));
        break;
      }
      case 'django': {
        const { readDjango } = await import('./tools/django.js');
        out = readDjango(files);
        break;
      }
      case 'alembic': {
        const { alembicOrder, readAlembic } = await import('./tools/alembic.js');
        out = alembicOrder(files).map((f) => readAlembic(f.path, f.text));
        break;
      }
      default:
        out = files.map((f) => sqlFile(f.path, f.text, false));
    }
    sets.push({ tool, detectedBy, files: out });
  }
  return sets;
}

/** SQL from standard input: the output of `sqlmigrate`, `alembic upgrade --sql`, `liquibase update-sql`. */
export function stdinSet(sql: string): MigrationSet {
  return { tool: 'sql', detectedBy: 'standard input', files: [sqlFile('<stdin>', sql, false)] };
}
