// What a new user meets first: the shipped config working with no environment, an empty
// gateway.yaml, the messages for YAML mistakes and unknown fields, the admin API's 401,
// the flags file kept as written, and every option of every --help documented.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFlagSource } from '../src/canary/flags/local.js';
import { loadConfig } from '../src/config/load.js';
import { parseYamlText } from '../src/config/yaml-syntax.js';
import { freePort } from '../src/free-port.js';
import { configDir, orderFiles, problemsOf, type Files } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { tempDir } from './helpers/temp-dir.js';
import { startUpstream } from './helpers/upstream.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli.js');

function sundial(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.SUNDIAL_ADMIN_TOKEN;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const base = (): Files => orderFiles({ v1: 'http://127.0.0.1:7001', v2: 'http://127.0.0.1:7002' });

t.test('the shipped config loads without SUNDIAL_ADMIN_TOKEN: loopback admin, no token', async (t) => {
  const cfg = loadConfig(ROOT, { env: {} });
  t.equal(cfg.gateway.admin.host, '127.0.0.1');
  t.notOk(cfg.gateway.admin.token, 'no token when the variable is unset');
  t.equal(loadConfig(ROOT, { env: { SUNDIAL_ADMIN_TOKEN: 's3cret' } }).gateway.admin.token, 's3cret', 'the variable, when set');
  const check = await sundial(['check', '--dir', '.']);
  t.equal(check.code, 0, `sundial check passes with no token set: ${check.stderr}`);
  const versions = await sundial(['versions']);
  t.equal(versions.code, 0);
  t.match(versions.stdout, /v1\s+deprecated/);
});

t.test('a tokenless admin listener beyond loopback is still refused', async (t) => {
  const files = base();
  (files['config/gateway.yaml'] as Record<string, any>).admin = { host: '0.0.0.0', port: 0, token: '${SUNDIAL_ADMIN_TOKEN:-}' };
  t.match(problemsOf(files, {}), [/^config\/gateway\.yaml: admin\.token: the admin listener is on 0\.0\.0\.0, beyond loopback, so it needs a token/]);
});

t.test('an empty gateway.yaml is valid: accept is a source only with a media type', async (t) => {
  const files = base();
  files['config/gateway.yaml'] = '';
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const cfg = loadConfig(dir.dir, { env: {} });
  t.same(cfg.versioning.sources, ['path', 'header', 'query']);
  files['config/gateway.yaml'] = 'versioning: { accept: application/vnd.acme+json }\n';
  const withAccept = configDir(files);
  t.teardown(() => withAccept.remove());
  t.same(loadConfig(withAccept.dir, { env: {} }).versioning.sources, ['path', 'header', 'accept', 'query']);
});

t.test('the demo canary has a rollout, so pause and resume work on it', async (t) => {
  const cfg = loadConfig(ROOT, { env: {} });
  const canary = cfg.canaries.find((c) => c.key === 'orders/v2');
  t.ok(canary?.rollout, 'orders/v2 has a rollout');
  const flags = readFileSync(join(ROOT, 'config/flags.yaml'), 'utf8');
  const start = Number(/rollout: (\d+)/.exec(flags)?.[1]);
  t.ok(canary!.rollout!.steps.includes(start), 'its first step is the shipped percentage, so starting the demo does not rewrite config/flags.yaml');
});

t.test('a YAML syntax error is one line with one position', async (t) => {
  const problems = problemsOf({ ...base(), 'versions/v2.yaml': 'id: v2\naliases: [1, 2\nsunset: x\n' });
  const mine = problems.filter((p) => p.startsWith('versions/v2.yaml'));
  t.equal(mine.length, 1, 'one problem for the file');
  t.match(mine[0], /^versions\/v2\.yaml: line \d+, column \d+: syntax error: [^\n]+$/);
  t.notMatch(mine[0], /at line/, 'the position is given once');
});

t.test('an unquoted ${VAR} in a flow map is one line saying to quote it', async (t) => {
  const files = base();
  files['config/gateway.yaml'] = 'listen: { host: 127.0.0.1, port: 0 }\nadmin: { host: 127.0.0.1, port: 0, token: ${T} }\n';
  const problems = problemsOf(files, { T: 'x' });
  t.same(problems, ['config/gateway.yaml: line 2, column 43: ${T} inside a flow collection ({ ... } or [ ... ]) must be quoted: write "${T}"']);
  t.ok(parseYamlText('admin:\n  token: ${T}\n').ok, 'in block style it needs no quotes, and is not flagged');
  t.ok(parseYamlText('admin: { token: "${T}" }\n').ok, 'quoted, it parses');
});

t.test('the same one-line form for migration files and the flags file', async (t) => {
  const dir = tempDir('sundial-yaml-');
  const migration = join(dir, 'm.yaml');
  writeFileSync(migration, 'operations:\n  - add_column: { table: t, column: ${C} }\n');
  const out = await sundial(['migrate', 'plan', migration]);
  t.equal(out.code, 1);
  t.match(out.stderr, /SUNDIAL_ERR_MIGRATE_FILE: cannot read migration file .*m\.yaml: line 2, column \d+: \$\{C\} inside a flow collection/);
  t.equal(out.stderr.trim().split('\n').length, 1, 'one line');
  const flags = join(dir, 'flags.yaml');
  writeFileSync(flags, 'flags:\n  a: [1, 2\n');
  const errors: Error[] = [];
  const source = await LocalFlagSource.open(flags, (e) => errors.push(e));
  t.teardown(() => source.close());
  t.match(errors[0]?.message, /flags\.yaml: line \d+, column \d+: syntax error: [^\n]+$/);
});

t.test('a bad version file is not also reported missing from every route', async (t) => {
  const files = base();
  files['versions/v1.yaml'] = 'id: v1\nsunset: not-a-date\n';
  const problems = problemsOf(files);
  t.match(problems, [/^versions\/v1\.yaml: sunset: Invalid instant/]);
  t.notOk(
    problems.some((p) => /does not exist/.test(p)),
    problems.join('\n'),
  );
});

t.test('unknown fields say "did you mean"', async (t) => {
  const files = base();
  (files['config/gateway.yaml'] as Record<string, any>).listen = { host: '127.0.0.1', prot: 0 };
  (files['routes/orders.yaml'] as Record<string, any>).versions.v2.timout = '1s';
  const problems = problemsOf(files);
  t.ok(problems.includes('config/gateway.yaml: listen: Unrecognized key: "prot"; did you mean "port"?'), problems.join('\n'));
  t.ok(problems.includes('routes/orders.yaml: versions.v2: Unrecognized key: "timout"; did you mean "timeout"?'), problems.join('\n'));
  (files['config/gateway.yaml'] as Record<string, any>).listen = { host: '127.0.0.1', zzzzzz: 0 };
  t.ok(
    problemsOf(files).includes('config/gateway.yaml: listen: Unrecognized key: "zzzzzz" (known: host, port)'),
    'far from every field: the known ones are listed',
  );
});

t.test('a 401 from the admin API names SUNDIAL_ADMIN_TOKEN', async (t) => {
  const upstream = await startUpstream('v');
  t.teardown(() => upstream.close());
  const dir = configDir(orderFiles({ v1: upstream.url, v2: upstream.url }));
  t.teardown(() => dir.remove());
  const { adminUrl } = await startGateway(t, { dir: dir.dir });
  const res = await fetch(`${adminUrl}/metrics`);
  t.equal(res.status, 401);
  t.match((await res.json()).detail, /SUNDIAL_ADMIN_TOKEN/);
  const cli = await sundial(['rollout', 'status', '--admin', adminUrl], { SUNDIAL_ADMIN_TOKEN: 'wrong' });
  t.equal(cli.code, 1);
  t.match(cli.stderr, /401[\s\S]*set SUNDIAL_ADMIN_TOKEN to the gateway's admin token \(the one sent was refused\)/);
});

t.test("rollout writes keep the flags file's comments and style", async (t) => {
  const dir = tempDir('sundial-flags-');
  const file = join(dir, 'flags.yaml');
  const text =
    '# Our canary flags.\nflags:\n  # the orders canary\n  orders-v2-canary: { enabled: true, rollout: 10 }   # starts small\n  other: { enabled: false, rollout: 0 }\n';
  writeFileSync(file, text);
  const source = await LocalFlagSource.open(file);
  t.teardown(() => source.close());
  await source.write('orders-v2-canary', { enabled: true, rollout: 40 });
  await source.write('new-flag', { enabled: true, rollout: 5 });
  t.equal(
    readFileSync(file, 'utf8'),
    '# Our canary flags.\nflags:\n  # the orders canary\n  orders-v2-canary: { enabled: true, rollout: 40 } # starts small\n  other: { enabled: false, rollout: 0 }\n  new-flag: { enabled: true, rollout: 5 }\n',
  );
  t.same(source.state('orders-v2-canary'), { enabled: true, rollout: 40 });
});

t.test('every option shown in --help is documented in README.md or docs/', async (t) => {
  const docs = [
    readFileSync(join(ROOT, 'README.md'), 'utf8'),
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => readFileSync(join(ROOT, 'docs', f), 'utf8')),
  ].join('\n');
  const helps = [
    ['--help'],
    ['start', '--help'],
    ['check', '--help'],
    ['rollout', '--help'],
    ['versions', '--help'],
    ['migrate', 'start', '--help'],
    ['migrate', 'complete', '--help'],
    ['migrate', 'plan', '--help'],
    ['migrate', 'status', '--help'],
  ];
  const undocumented = new Set<string>();
  for (const args of helps) {
    const { stdout } = await sundial(args);
    for (const [option] of stdout.matchAll(/--[a-z][a-z-]+/g)) {
      if (option === '--help') continue;
      if (!docs.includes(option)) undocumented.add(`${option} (sundial ${args.slice(0, -1).join(' ')})`);
    }
  }
  for (const option of ['--version', '--port', '--admin-port', '--log-level', '--no-watch', '--json', '--batch-size', '--verbose']) {
    if (!docs.includes(option)) undocumented.add(option);
  }
  t.same([...undocumented], [], 'undocumented options');
});

t.test('the Dockerfile: an LTS image, a writable flags file, a health check that follows admin.port', async (t) => {
  const docker = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  for (const [, major] of docker.matchAll(/^FROM node:(\d+)/gm)) t.equal(Number(major) % 2, 0, `node:${major} is an LTS line (even major)`);
  t.match(docker, /ENV SUNDIAL_FLAGS_FILE=\/var\/lib\/sundial\/flags\.yaml/);
  t.match(docker, /chown -R node:node \/var\/lib\/sundial/);
  const health = /^HEALTHCHECK .*$/m.exec(docker)?.[0] ?? '';
  t.notMatch(health, /9090/, 'no hard-coded admin port');
  t.match(health, /healthcheck\.js/);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const major = /^FROM node:(\d+)/m.exec(docker)![1];
  t.match(readme, new RegExp(`Node\\.js ${major}, the current LTS`), "README names the image's Node");
  t.match(readme, /test suite\s+runs on Node 20/);
  t.equal(
    loadConfig(ROOT, { env: { SUNDIAL_FLAGS_FILE: '/var/lib/sundial/flags.yaml' } }).gateway.flags.provider === 'local' &&
      (loadConfig(ROOT, { env: { SUNDIAL_FLAGS_FILE: '/var/lib/sundial/flags.yaml' } }).gateway.flags as { file: string }).file,
    '/var/lib/sundial/flags.yaml',
  );

  // The health check run as the image runs it, against a gateway whose config names its admin port.
  const upstream = await startUpstream('v');
  t.teardown(() => upstream.close());
  const adminPort = await freePort();
  const dir = configDir(orderFiles({ v1: upstream.url, v2: upstream.url }, { admin: { host: '127.0.0.1', port: adminPort } }));
  t.teardown(() => dir.remove());
  const check = () =>
    new Promise<number>((resolve) =>
      execFile(process.execPath, [join(ROOT, 'dist/src/cli/healthcheck.js'), dir.dir], (err) => resolve(err ? Number((err as { code?: number }).code) : 0)),
    );
  t.equal(await check(), 1, 'unhealthy while nothing listens');
  await startGateway(t, { dir: dir.dir, adminPort: undefined });
  t.equal(await check(), 0, `healthy on admin port ${adminPort}, read from the config`);
});
