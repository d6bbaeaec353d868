// The worked example of docs/shadow.md finds its regression, and `sundial shadow` reads and
// resets a running gateway's report.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_DIR, runShadowExample } from '../../examples/shadow/run.js';
import { adminTarget } from '../../src/cli/shadow.js';
import { loadConfig } from '../../src/config/load.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const exec = promisify(execFile);
const TOKEN = 'shadow-example-token';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, SUNDIAL_ADMIN_TOKEN: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

t.test('the shipped shadow example config is valid', async (t) => {
  const cfg = loadConfig(EXAMPLE_DIR, { env: {} });
  t.match(cfg.routes[0].upstreams.get('v2')!.shadow, {
    candidate: { url: 'http://127.0.0.1:7103' },
    secondary: { url: 'http://127.0.0.1:7102' },
    compare: { mode: 'superset' },
  });
});

t.test('the example finds the regression between two builds, and only it', async (t) => {
  const run = await runShadowExample({ ports: { primary: 0, secondary: 0, candidate: 0 }, gatewayPort: 0, adminPort: 0, requests: 42 });
  t.teardown(() => run.close());
  const r = run.report.shadows[0];
  t.match(r, { route: 'orders', version: 'v2', compared: 42, errors: 0, skipped: {} });
  t.equal(r.mismatched, 4, 'order 11 (33.70), twice alone and twice in the list');
  t.same(
    Object.entries(r.fields)
      .filter(([, f]) => f.real)
      .map(([path]) => path),
    ['body.order.total.amount', 'body.orders.10.total.amount'],
  );
  t.match(r.fields['body.meta.requestId'], { differences: 42, noise: 42, real: false }, 'the request id is noise');
  t.notOk(
    Object.keys(r.fields).some((f) => f.includes('links')),
    'the added links are allowed in superset mode',
  );
  t.same(r.samples[0].differences, [{ field: 'body.order.total.amount', primary: '"33.70"', candidate: '"33.7"', secondary: '"33.70"' }]);

  const { adminUrl } = run;
  await t.test('sundial shadow report prints a table', async (t) => {
    const out = await cli(['shadow', 'report', '--admin', adminUrl], { SUNDIAL_ADMIN_TOKEN: TOKEN });
    t.equal(out.code, 0, out.stderr);
    t.match(out.stdout, /orders v2: candidate http:\/\/127\.0\.0\.1:\d+, secondary/);
    t.match(out.stdout, /compared 42: matched 38 \(90\.5%\), mismatched 4 \(9\.5%\)/);
    t.match(out.stdout, /body\.order\.total\.amount\s+2 \(4\.8%\)\s+0 \(0%\)\s+REAL/);
    t.match(out.stdout, /body\.meta\.requestId\s+42 \(100%\)\s+42 \(100%\)\s+noise/);
    t.match(out.stdout, /GET \/v2\/orders\/11\n\s+body\.order\.total\.amount: primary "33\.70" \| candidate "33\.7" \| secondary "33\.70"/);
  });

  await t.test('--json, and the token is required', async (t) => {
    const json = await cli(['shadow', 'report', '--admin', adminUrl, '--json'], { SUNDIAL_ADMIN_TOKEN: TOKEN });
    t.equal(JSON.parse(json.stdout).shadows[0].compared, 42);
    const denied = await cli(['shadow', 'report', '--admin', adminUrl]);
    t.equal(denied.code, 1);
    t.match(denied.stderr, /answered 401 \(set SUNDIAL_ADMIN_TOKEN/);
  });

  await t.test('sundial shadow reset', async (t) => {
    const out = await cli(['shadow', 'reset', '--admin', adminUrl], { SUNDIAL_ADMIN_TOKEN: TOKEN });
    t.equal(out.code, 0, out.stderr);
    t.match(run.gateway.shadow.report().shadows[0], { compared: 0, fields: {} });
  });
});

t.test('the admin address and token come from --dir', async (t) => {
  t.same(adminTarget({ dir: EXAMPLE_DIR }, {}), { url: 'http://127.0.0.1:9091', token: TOKEN });
  t.same(adminTarget({ dir: EXAMPLE_DIR }, { SUNDIAL_ADMIN_TOKEN: 'from-env' }), { url: 'http://127.0.0.1:9091', token: 'from-env' });
  t.same(adminTarget({ admin: 'http://10.0.0.1:9090/' }, {}), { url: 'http://10.0.0.1:9090', token: undefined });
});

t.test('usage errors', async (t) => {
  t.match(await cli(['shadow']), { code: 2, stderr: /name an action: report or reset/ });
  t.match(await cli(['shadow', 'compare']), { code: 2, stderr: /unknown action "compare"/ });
  t.match(await cli(['shadow', 'report', '--dir', '.', '--admin', 'http://x']), { code: 2, stderr: /not both/ });
  t.match(await cli(['shadow', '--help']), { code: 0, stdout: /Usage: sundial shadow report/ });
  const unreachable = await cli(['shadow', 'report', '--admin', 'http://127.0.0.1:1']);
  t.match(unreachable, { code: 1, stderr: /cannot reach the gateway's admin API/ });
});
