// Exit statuses and side effects a new user or a CI script relies on: a start that cannot
// serve exits 1, failed `migrate --embedded` commands exit non-zero, `--seed` is refused
// against a real database, and the built command stays executable. Each runs the real
// compiled CLI as a child process.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { closedPort, startUpstream } from './helpers/upstream.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sundial(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

t.test('the built command is executable, so npx sundial works after npm test and npm install', async (t) => {
  t.ok(statSync(CLI).mode & 0o100, 'dist/src/cli.js has its execute bit');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  t.match(pkg.scripts.build, /chmod/, 'the build script sets it');
  t.match(pkg.scripts.prepare, /npm run build/, 'npm install builds with that script');
  t.match(pkg.scripts.test, /npm run build/, 'and so does npm test');
});

t.test('package-lock.json agrees with package.json, so npm install does not rewrite it', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  t.same(lock.packages[''].engines, pkg.engines);
  t.same(lock.packages[''].dependencies, pkg.dependencies);
  t.same(lock.packages[''].devDependencies, pkg.devDependencies);
});

t.test('sundial start exits 1 when its port is taken', async (t) => {
  const upstream = await startUpstream('v');
  t.teardown(() => upstream.close());
  const dir = configDir(orderFiles({ v1: upstream.url, v2: upstream.url }));
  t.teardown(() => dir.remove());
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const out = await sundial(['start', '--dir', dir.dir, '--port', String(port), '--admin-port', '0', '--log-level', 'silent'], {}, 30_000);
  t.equal(out.code, 1, 'exit status 1, not a process left running with no listener');
  t.match(out.stderr, new RegExp(`cannot listen .*:${port}: the address is already in use`));
});

t.test('sundial start exits 1 on an invalid --port or --admin-port', async (t) => {
  for (const args of [['--port', '99999'], ['--port', 'eighty'], ['--admin-port=-1']]) {
    const out = await sundial(['start', '--dir', ROOT, ...args], {}, 30_000);
    t.equal(out.code, 1, `${args.join(' ')}: exit 1`);
    t.match(out.stderr, /is not a port number \(0 to 65535\)/);
  }
});

t.test('migrate: --seed is refused without --embedded, before any database is touched', async (t) => {
  const seed = join(tempDir('sundial-seed-'), 'seed.sql');
  writeFileSync(seed, 'CREATE TABLE should_not_exist (id int);');
  const port = await closedPort();
  const out = await sundial(['migrate', 'status', '--seed', seed, '--database-url', `postgres://u:p@127.0.0.1:${port}/db`]);
  t.equal(out.code, 2);
  t.match(out.stderr, /SUNDIAL_ERR_MIGRATE_USAGE: --seed runs only with --embedded/);
  const viaEnv = await sundial(['migrate', 'status', '--seed', seed], { DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db` });
  t.equal(viaEnv.code, 2, 'with DATABASE_URL too');
});

t.test('migrate: an unreachable database or a bad URL is a coded, clear message', async (t) => {
  const port = await closedPort();
  const refused = await sundial(['migrate', 'status', '--database-url', `postgres://u:secret@127.0.0.1:${port}/db`]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /SUNDIAL_ERR_MIGRATE_CONNECT: cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/db: connection refused/);
  t.notMatch(refused.stderr, /secret/, 'the password is not printed');
  const notUrl = await sundial(['migrate', 'status', '--database-url', 'not-a-url']);
  t.equal(notUrl.code, 2);
  t.match(notUrl.stderr, /"not-a-url" is not a PostgreSQL URL: expected postgres:\/\//);
  t.notMatch(notUrl.stderr, /ENOTFOUND/);
});

t.test('migrate --embedded: failures exit non-zero, as they do without it', async (t) => {
  const missingSeed = await sundial(['migrate', 'status', '--embedded', '--seed', join(ROOT, 'no-such-seed.sql')]);
  t.equal(missingSeed.code, 1, '--seed with a missing file');
  t.match(missingSeed.stderr, /SUNDIAL_ERR_MIGRATE_FILE: .*no-such-seed\.sql \(--seed\)/);

  const complete = await sundial(['migrate', 'complete', '--embedded']);
  t.equal(complete.code, 1, 'complete with nothing active');
  t.match(complete.stderr, /SUNDIAL_ERR_MIGRATE_NONE_ACTIVE/);

  const start = await sundial(['migrate', 'start', join(ROOT, 'examples/migrate/01_rename_nme.yaml'), '--embedded']);
  t.not(start.code, 0, 'start naming a table that does not exist');
  t.match(start.stderr, /SUNDIAL_ERR_MIGRATE_\w+: [\s\S]*table "users" does not exist/);
});
