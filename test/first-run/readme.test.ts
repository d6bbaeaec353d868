// The first run, as a new user makes it: a fresh clone of the repository at HEAD, `npm
// install`, then every command of README.md's sh code blocks, each checked for its exit
// status and the key part of its output. Commands that need the demo run while the test's
// own `npm run demo` is up; `migrate start` gets a real (embedded) PostgreSQL seeded with the
// example schema as DATABASE_URL. It runs in `npm test` (and so in CI); it needs git, curl
// and npm's cache (the install prefers it, and goes to the registry only for what is missing).
//
// The commands are read from README.md, so a command added there without an entry in
// EXPECTATIONS fails this test, naming the command: add one line for it below.
//
// It runs alone (.taprc `serial`), not beside another test file: its install and build
// take the machine for minutes.
//
// Two departures from the README, both because other tests and checkouts share the machine:
// the clone's config is moved to free ports on loopback (the demo follows its config), and
// the commands' ports with it; and the commands run in a new user's environment, without the
// npm and tap variables this process runs under.
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../../src/free-port.js';
import { startEmbedded } from '../../src/migrate/embedded.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Expectation {
  /** Exit status (default 0). */
  exit?: number;
  /** What the output (stdout and stderr together) must contain. */
  output?: RegExp;
  /** Runs while the demo is up. */
  demo?: boolean;
  /** Why it is not run here; a skip is reported, never silent. */
  skip?: string;
}

// One line per README command, keyed by the command as written (comments removed,
// continuation lines joined, runs of spaces as one).
const EXPECTATIONS: Record<string, Expectation> = {
  'npm install && npm run demo': { skip: 'this test runs npm install, then the demo, itself' },
  'npm test': { skip: 'this is npm test' },
  'curl -i localhost:8080/v1/orders/1': {
    demo: true,
    output: /HTTP\/1\.1 200 OK[\s\S]*deprecation: @1767225600[\s\S]*rel="successor-version"[\s\S]*"version":"v1"/,
  },
  "curl -i -H 'Api-Version: 1' localhost:8080/orders/1": { demo: true, output: /200 OK[\s\S]*"version":"v1"/ },
  "curl -i -H 'Accept: application/vnd.acme+json; version=1' localhost:8080/orders/1": { demo: true, output: /200 OK[\s\S]*"version":"v1"/ },
  "curl -i 'localhost:8080/orders/1?version=1'": { demo: true, output: /200 OK[\s\S]*"version":"v1"/ },
  'curl -s localhost:8080/orders/1': { demo: true, output: /"version":"v2"/ },
  'curl -s localhost:8080/v9/orders/1': { demo: true, output: /"code":"SUNDIAL_ERR_VERSION_UNKNOWN"/ },
  "curl -s -H 'Api-Version: 2' localhost:8080/v1/orders/1": { demo: true, output: /SUNDIAL_ERR_VERSION_CONFLICT/ },
  'curl -s localhost:8080/.well-known/api-versions': { demo: true, output: /"defaultVersion":"v2"/ },
  'npx sundial check --dir .': { output: /config OK/ },
  'curl -s -H "Authorization: Bearer $SUNDIAL_ADMIN_TOKEN" localhost:9090/metrics': { demo: true, output: /http_request_duration_seconds_bucket/ },
  'export SUNDIAL_ADMIN_TOKEN=...': { skip: 'a placeholder; the demo has no admin token' },
  'npx sundial rollout status': { demo: true, output: /orders\/v2\s+orders-v2-canary\s+\w+\s+10%\s+10,25,50,100/ },
  'npx sundial rollout set orders/v2 40 --dir /etc/sundial': { skip: "/etc/sundial is the Docker image's config directory" },
  'npx sundial rollout pause orders/v2 --admin http://127.0.0.1:9090': { demo: true, output: /orders\/v2\s+orders-v2-canary\s+paused/ },
  'npx sundial rollout promote orders/v2': { demo: true, output: /orders\/v2\s+orders-v2-canary\s+promoted\s+100%/ },
  'npx sundial rollout abort orders/v2': { demo: true, output: /orders\/v2\s+orders-v2-canary\s+aborted\s+0%/ },
  'npm ci --prefix test/unleash': { skip: 'the Unleash walk-through is covered by test/canary-unleash.test.ts' },
  'node test/unleash/start.mjs 4242 &': { skip: 'the Unleash walk-through is covered by test/canary-unleash.test.ts' },
  "export UNLEASH_ADMIN='*:*.sundial-test-admin-token'": { skip: 'Unleash walk-through' },
  "export UNLEASH_CLIENT='default:development.sundial-test-client-token'": { skip: 'Unleash walk-through' },
  'curl -s -H "Authorization: $UNLEASH_ADMIN" -H \'content-type: application/json\' localhost:4242/api/admin/projects/default/features -d \'{"name":"orders-v2-canary","type":"release"}\'':
    { skip: 'Unleash walk-through' },
  'curl -s -H "Authorization: $UNLEASH_ADMIN" -H \'content-type: application/json\' localhost:4242/api/admin/projects/default/features/orders-v2-canary/environments/development/strategies -d \'{"name":"flexibleRollout","parameters":{"rollout":"10","stickiness":"default","groupId":"orders-v2-canary"}}\'':
    { skip: 'Unleash walk-through' },
  'curl -s -X POST -H "Authorization: $UNLEASH_ADMIN" localhost:4242/api/admin/projects/default/features/orders-v2-canary/environments/development/on': {
    skip: 'Unleash walk-through',
  },
  'for u in alice bob carol dave erin frank grace heidi ivan judy; do\ncurl -s -o /dev/null -w "$u %header{sundial-arm}\\n" -H "X-User-Id: $u" localhost:8080/v2/orders/1\ndone':
    { demo: true, output: /^alice (stable|canary)\nbob (stable|canary)\n[\s\S]*^judy (stable|canary)$/m },
  'npx sundial shadow report': { demo: true, output: /No route version has a shadow configured/ }, // the demo has none: docs/shadow.md's example has
  'npx sundial openapi diff --dir . --from v1 --to v2 --format markdown': { exit: 1, output: /breaking/i },
  'npx sundial openapi changelog --dir . --from v1 --to v2': { output: /orders/i },
  'docker build -t sundial .': { skip: 'no Docker here; test/first-run-messages.test.ts checks the Dockerfile' },
  'docker run -p 8080:8080 -e SUNDIAL_ADMIN_TOKEN=change-me -v "$PWD/my-config:/etc/sundial:ro" sundial': { skip: 'no Docker here' },
  'npx sundial migrate plan examples/migrate/01_rename_nme.yaml': { output: /rename_column[\s\S]*users/ },
  'npx sundial migrate lint examples/migrate/unsafe': { exit: 1, output: /error/ },
  'npx sundial migrate start examples/migrate/01_rename_nme.yaml --database-url "$DATABASE_URL"': {
    output: /migration "01_rename_nme" started on schema "public"/,
  },
  'apt-get install nginx-light wrk': { skip: 'installs system packages' },
  'npm run bench': { skip: 'benchmarks are not tests' },
  'npm run bench -- --soak': { skip: 'benchmarks are not tests' },
  'npm run bench -- --instructions': { skip: 'benchmarks are not tests' },
};

// Words that open and close a compound command: its lines run as one script, with their
// newlines, as the shell reads them.
const OPENS = /(?:^|[;&|(]\s*)(?:for|while|until|if|case)\b/g;
const CLOSES = /(?:^|;\s*)(?:done|fi|esac)\b/g;

/**
 * The commands of README.md's sh blocks, in order, each as the shell reads it: comments
 * removed, a line ending in `\` joined to the next with a space, and the lines of a
 * compound command (`for ... do ... done`) kept as lines of one script. Runs of blanks are
 * one space, so the text is also the command's key in EXPECTATIONS.
 */
export function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const [, block] of readme.matchAll(/^\s*```sh\n([\s\S]*?)^\s*```/gm)) {
    let pending = '';
    let joinNext = false;
    let depth = 0;
    for (const raw of block.split('\n')) {
      const line = raw
        .replace(/\s+#\s.*$/, '')
        .replace(/^\s*#.*$/, '')
        .trim();
      if (!line) continue;
      pending = !pending ? line : joinNext ? `${pending} ${line}` : `${pending}\n${line}`;
      depth += (line.match(OPENS)?.length ?? 0) - (line.match(CLOSES)?.length ?? 0);
      joinNext = pending.endsWith('\\');
      if (joinNext) {
        pending = pending.slice(0, -1).trim();
        continue;
      }
      if (depth > 0) continue;
      commands.push(pending.replace(/[ \t]+/g, ' '));
      pending = '';
    }
  }
  return commands;
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(README);

t.test('every README command has an expectation in test/first-run/readme.test.ts', async (t) => {
  const missing = commands.filter((c) => !(c in EXPECTATIONS));
  t.same(
    missing,
    [],
    `README.md shows commands this test has no expectation for; add a line for each to EXPECTATIONS in test/first-run/readme.test.ts:\n${missing.join('\n')}`,
  );
  const stale = Object.keys(EXPECTATIONS).filter((c) => !commands.includes(c));
  t.same(stale, [], 'expectations for commands README.md no longer shows: remove them');
});

t.test('README shell blocks are read as the shell reads them', async (t) => {
  const sample = [
    '```sh',
    'echo one   two      # a comment',
    '# a comment line',
    'echo three \\',
    '  four',
    'for x in a b; do',
    '  echo "item $x"',
    'done',
    'for y in c; do echo "$y"; done',
    '```',
  ].join('\n');
  const read = readmeCommands(sample);
  t.same(read, ['echo one two', 'echo three four', 'for x in a b; do\necho "item $x"\ndone', 'for y in c; do echo "$y"; done']);
  const loop = await run(read[2], ROOT, process.env, 30_000);
  t.equal(loop.code, 0, loop.output);
  t.equal(loop.output, 'item a\nitem b\n', 'the loop body runs once per item');
  const readmeLoop = commands.find((c) => c.startsWith('for u in'));
  t.ok(readmeLoop, "README's canary loop is read");
  t.doesNotThrow(() => execFileSync('bash', ['-n', '-c', readmeLoop!], { stdio: 'pipe' }), "bash parses README's loop");
});

/**
 * Runs one command as a new user's shell would: bash, no stdin, in its own process group,
 * so that whatever it starts is killed with it when it outlives `timeout`.
 */
function run(cmd: string, cwd: string, env: NodeJS.ProcessEnv, timeout = 300_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[killed: still running after ${timeout / 1000} s]`;
      killGroup(child.pid!, 'SIGKILL');
    }, timeout);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid!, 'SIGKILL'); // anything it left running in the background
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

/**
 * The environment of a new user's terminal: this process's, without what npm (`npm test`),
 * tap and this checkout add to it: npm's lifecycle variables (npm_*, INIT_CWD, which point
 * npm at this checkout instead of the clone), node_modules/.bin folders on PATH, tap's
 * loaders, and sundial's own variables.
 */
function newUserEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|NODE$|NODE_OPTIONS$|TAP|_TAPJS|TS_NODE_|SUNDIAL_|DATABASE_URL$)/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !/node_modules|node-gyp-bin/.test(dir))
    .join(':');
  return env;
}

// The demo listens where the config says (examples/demo.ts reads routes/orders.yaml for its
// upstreams), so the clone's config is moved to free ports, and so are the README's
// commands: this test runs beside other test files and other checkouts' demos.
const DEMO_PORTS = [8080, 9090, 7001, 7002, 7003] as const;
const PORT_LINES: [file: string, demoPort: number, from: string, to: (port: number) => string][] = [
  ['config/gateway.yaml', 8080, 'listen: { host: 0.0.0.0, port: 8080 }', (p) => `listen: { host: 127.0.0.1, port: ${p} }`],
  ['config/gateway.yaml', 9090, 'admin: { host: 127.0.0.1, port: 9090,', (p) => `admin: { host: 127.0.0.1, port: ${p},`],
  ['routes/orders.yaml', 7001, 'upstream: "http://127.0.0.1:7001"', (p) => `upstream: "http://127.0.0.1:${p}"`],
  ['routes/orders.yaml', 7002, 'upstream: "http://127.0.0.1:7002"', (p) => `upstream: "http://127.0.0.1:${p}"`],
  ['routes/orders.yaml', 7003, 'upstream: "http://127.0.0.1:7003"', (p) => `upstream: "http://127.0.0.1:${p}"`],
];

async function moveDemoPorts(clone: string): Promise<Map<number, number>> {
  const moved = new Map<number, number>();
  while (moved.size < DEMO_PORTS.length) {
    const port = await freePort();
    if (![...moved.values()].includes(port)) moved.set(DEMO_PORTS[moved.size], port);
  }
  for (const [file, demoPort, from, to] of PORT_LINES) {
    const path = join(clone, file);
    const before = readFileSync(path, 'utf8');
    if (before.split(from).length !== 2) {
      throw new Error(`${file} no longer has \`${from}\` once; update PORT_LINES in test/first-run/readme.test.ts`);
    }
    writeFileSync(path, before.replace(from, to(moved.get(demoPort)!)));
  }
  return moved;
}

const onMovedPorts = (cmd: string, moved: Map<number, number>) =>
  cmd.replace(/\b(localhost|127\.0\.0\.1):(\d+)\b/g, (all, host: string, port: string) =>
    moved.has(Number(port)) ? `${host}:${moved.get(Number(port))}` : all,
  );

/**
 * `npx sundial` inside the project installs the project into npm's npx cache
 * (`<cache>/_npx/<hash of its path>`, a link and a package.json); for a temp clone that entry
 * would outlive it, so it is removed, once it is certain to be the clone's.
 */
function forgetNpxEntry(cache: string, clone: string) {
  const entry = join(cache, '_npx', createHash('sha512').update(clone).digest('hex').slice(0, 16));
  if (!existsSync(entry)) return;
  let ours = false;
  try {
    ours = JSON.parse(readFileSync(join(entry, 'package.json'), 'utf8'))._npx?.packages?.includes(clone);
  } catch {
    try {
      ours = resolve(join(entry, 'node_modules'), readlinkSync(join(entry, 'node_modules/sundial'))) === clone;
    } catch {
      /* neither: not ours */
    }
  }
  if (ours) rmSync(entry, { recursive: true, force: true });
}

// The whole walk: the install (about 1-3 minutes, most of it the TypeScript build), the
// demo, and each command. npm's cache makes the install offline-first.
t.setTimeout(20 * 60_000);
t.test('a fresh clone: npm install, then every README command', { timeout: 19 * 60_000 }, async (t) => {
  const parent = tempDir('sundial-first-run-');
  chmodSync(parent, 0o755); // as root, embedded PostgreSQL's postgres user must reach the clone
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, join(parent, 'sundial')], { stdio: 'pipe' });
  const clone = realpathSync(join(parent, 'sundial'));
  const env = newUserEnv();
  const moved = await moveDemoPorts(clone);
  t.comment(`the demo's ports, moved to free ones: ${[...moved].map(([from, to]) => `${from} -> ${to}`).join(', ')}`);
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { cwd: clone, env, encoding: 'utf8' }).trim();
  t.teardown(() => forgetNpxEntry(cache, clone));

  const lockBefore = readFileSync(join(clone, 'package-lock.json'), 'utf8');
  const install = await run('npm install --prefer-offline --no-audit --no-fund', clone, env, 15 * 60_000);
  t.equal(install.code, 0, `npm install: ${install.output.slice(-2000)}`);
  t.equal(readFileSync(join(clone, 'package-lock.json'), 'utf8'), lockBefore, 'npm install leaves package-lock.json as committed');
  const cli = join(clone, 'dist/src/cli.js');
  t.ok(existsSync(cli), 'npm install built dist/');
  if (!existsSync(cli)) return;
  const builtAt = statSync(cli).mtimeMs;
  const help = await run('npx sundial --help', clone, env);
  t.equal(help.code, 0, `npx sundial works right after npm install: ${help.output.slice(-1500)}`);
  t.match(help.output, /Usage: sundial <command>/);
  // npx installs the project into its cache and runs its `prepare` (the build) there: the
  // build must find dist/ up to date rather than compile it all again.
  t.equal(statSync(cli).mtimeMs, builtAt, 'the first npx reuses the build npm install made');

  const db = await startEmbedded();
  t.teardown(() => db.stop());
  const seed = new pg.Client({ connectionString: db.url });
  await seed.connect();
  await seed.query(readFileSync(join(clone, 'examples/migrate/schema.sql'), 'utf8'));
  await seed.end();
  env.DATABASE_URL = db.url;

  const demo = spawn('npm', ['run', 'demo'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let demoOutput = '';
  demo.stdout.on('data', (d) => (demoOutput += d));
  demo.stderr.on('data', (d) => (demoOutput += d));
  const demoExited = new Promise<void>((resolve) => demo.once('exit', () => resolve()));
  t.teardown(async () => {
    if (demo.exitCode === null) {
      killGroup(demo.pid!, 'SIGTERM');
      await Promise.race([demoExited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    killGroup(demo.pid!, 'SIGKILL');
  });
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const timer = setInterval(() => {
        if (/Press Ctrl-C to stop/.test(demoOutput)) {
          clearInterval(timer);
          resolve(true);
        }
      }, 100);
      demoExited.then(() => {
        clearInterval(timer);
        resolve(false);
      });
    }),
    new Promise<boolean>((r) => setTimeout(() => r(false), 120_000)),
  ]);
  t.ok(ready, `npm run demo is serving: ${demoOutput.slice(-2000)}`);
  if (!ready) return;
  t.match(demoOutput, `the gateway is on http://localhost:${moved.get(8080)}`, 'the demo listens where the config says');
  t.match(demoOutput, `the orders upstreams on :${moved.get(7001)} (v1), :${moved.get(7002)} (v2)`, "the demo's upstreams follow routes/orders.yaml");
  t.notMatch(demoOutput, /Bearer [0-9a-f]{16,}/, 'the demo invents no token: its banner commands work as printed');

  // The clone's README: the one committed at HEAD, which the clone's code must match.
  for (const cmd of readmeCommands(readFileSync(join(clone, 'README.md'), 'utf8'))) {
    const e = EXPECTATIONS[cmd];
    if (!e) {
      t.fail(`README.md at HEAD shows a command with no expectation: ${cmd}`);
      continue;
    }
    if (e.skip) {
      t.test(cmd, { skip: e.skip }, () => {});
      continue;
    }
    const onFreePorts = onMovedPorts(cmd, moved);
    if (/\b(8080|9090|700[1-3])\b/.test(onFreePorts)) t.fail(`a demo port this test does not move, in: ${cmd}`);
    const out = await run(onFreePorts, clone, env);
    t.equal(out.code, e.exit ?? 0, `exit status of: ${cmd}\n${out.output.slice(-1500)}`);
    if (e.output) t.match(out.output, e.output, `output of: ${cmd}`);
  }
});
