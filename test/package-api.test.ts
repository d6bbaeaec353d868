// The package's programmatic API, imported as a user's project imports it: `import('sundial')`
// from a folder whose node_modules/sundial is this package, so Node resolves it through
// package.json's `main`, as it would after `npm install sundial`.
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startUpstream } from './helpers/upstream.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function importAsUser(t: Test): Promise<Record<string, any>> {
  const project = mkdtempSync(join(tmpdir(), 'sundial-user-'));
  t.teardown(() => rmSync(project, { recursive: true, force: true }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(project, 'node_modules', 'sundial'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', type: 'module', private: true }));
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
