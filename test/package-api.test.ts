// The package's programmatic API, imported as a user's project imports it: `import('sundial')`
// from a folder whose node_modules/sundial is this package, so Node resolves it through
// package.json's `exports`, as it would after `npm install sundial`; and a TypeScript file
// that imports it is type-checked by tsc against the built declarations.
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startUpstream } from './helpers/upstream.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A user's project folder whose node_modules/sundial is this package (as `npm link` makes it). */
function userProject(t: Test): string {
  const project = mkdtempSync(join(tmpdir(), 'sundial-user-'));
  t.teardown(() => rmSync(project, { recursive: true, force: true }));
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  symlinkSync(PACKAGE_ROOT, join(project, 'node_modules', 'sundial'), 'dir');
  // A TypeScript user installs the Node types themselves; these are the ones sundial builds with.
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', type: 'module', private: true }));
  return project;
}

async function importAsUser(t: Test): Promise<Record<string, any>> {
  const project = userProject(t);
  writeFileSync(join(project, 'app.js'), "export const sundial = await import('sundial');\n");
  return (await import(pathToFileURL(join(project, 'app.js')).href)).sundial;
}

t.test('import("sundial") gives the gateway, the config loader and the migrate API', async (t) => {
  const sundial = await importAsUser(t);
  for (const name of [
    'Gateway',
    'startGateway',
    'loadConfig',
    'ConfigError',
    'formatProblem',
    'SundialError',
    'errorCatalogue',
    'parseMigration',
    'loadMigration',
    'startMigration',
    'completeMigration',
    'rollbackMigration',
    'migrationStatus',
    'renderPlan',
    'lintSql',
  ]) {
    t.type(sundial[name], 'function', `sundial exports ${name}`);
  }

  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }));
  t.teardown(() => dir.remove());

  const config = sundial.loadConfig(dir.dir);
  t.same([...config.versions.keys()], ['v1', 'v2'], 'loadConfig compiles a config directory');
  dir.write('routes/broken.yaml', { prefix: '/broken', versions: { v9: { upstream: up.url } } });
  t.throws(() => sundial.loadConfig(dir.dir), sundial.ConfigError, 'a bad config throws a ConfigError');
  dir.write('routes/broken.yaml', { prefix: '/broken', versions: { v2: { upstream: up.url } } });

  const { gateway, proxy } = await sundial.startGateway({ dir: dir.dir, logLevel: 'silent', port: 0, adminPort: 0, host: '127.0.0.1' });
  t.teardown(() => gateway.close());
  const res = await request(`${proxy}/v2/orders/1`);
  t.equal(res.statusCode, 200, 'startGateway serves the config');
  t.match(await res.body.json(), { name: 'v2' });

  const migration = sundial.parseMigration('add_email.yaml', {
    operations: [{ add_column: { table: 'users', column: { name: 'email', type: 'text', nullable: true } } }],
  });
  t.equal(migration.name, 'add_email', 'the migrate API reads a migration');
  t.ok(
    sundial.errorCatalogue().some((e: { code: string }) => e.code === 'SUNDIAL_ERR_CONFIG_INVALID'),
    'and the error catalogue is there',
  );
});

// What a TypeScript user writes: every import is typed from the package's declarations
// (package.json `types`/`exports`), and a wrong call is a compile error, not `any`.
const TYPED_USER = `import {
  Gateway,
  startGateway,
  loadConfig,
  ConfigError,
  errorCatalogue,
  parseMigration,
  renderPlan,
  planInput,
  lintSql,
  type GatewayOptions,
  type CompiledConfig,
  type ErrorEntry,
  type Migration,
  type PlanInput,
  type Finding,
} from 'sundial';

const options: GatewayOptions = { dir: './gateway', port: 0, adminPort: 0, logLevel: 'silent' };
export async function serve(): Promise<string> {
  const { gateway, proxy }: { gateway: Gateway; proxy: string; admin: string } = await startGateway(options);
  await gateway.close();
  return proxy;
}

export function versions(dir: string): string[] {
  try {
    const config: CompiledConfig = loadConfig(dir, { clock: () => 0 });
    return [...config.versions.keys()];
  } catch (err) {
    if (err instanceof ConfigError) return [];
    throw err;
  }
}

export const codes: string[] = errorCatalogue().map((e: ErrorEntry) => e.code);

export async function plan(): Promise<string> {
  const migration: Migration = parseMigration('add_email.yaml', { operations: [] });
  const input: PlanInput = await planInput(undefined, migration, 'public', 1000, 500);
  return renderPlan(input);
}

export const findings: Promise<Finding[]> = lintSql('add_c.sql', 'ALTER TABLE t ADD COLUMN c int NOT NULL');

// Misuse is a compile error: were the declarations missing or \`any\`, these directives
// would go unused and fail the check.
// @ts-expect-error loadConfig takes the config directory as a string
loadConfig(42);
// @ts-expect-error a gateway needs its config directory
void startGateway({ port: 0 });
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: false },
  include: ['*.ts'],
};

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

t.test("a TypeScript project type-checks against the package's declarations", async (t) => {
  const project = userProject(t);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  writeFileSync(join(project, 'app.ts'), TYPED_USER);
  const ok = await tsc(project);
  t.equal(ok.output, '', 'tsc --noEmit reports nothing');
  t.equal(ok.code, 0, 'and exits 0');
});
