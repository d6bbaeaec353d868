// Graceful shutdown and the `sundial start` process: SIGHUP reloads, SIGTERM drains
// in-flight requests and exits, a bad config stops the start with file and field named.
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startCli } from './helpers/cli-process.js';
import { startGateway } from './helpers/gateway.js';
import { startUpstream, type TestUpstream } from './helpers/upstream.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** An upstream that answers /held requests only when told to, and reports when one arrives. */
async function heldUpstream(name: string) {
  const waiting: (() => void)[] = [];
  const arrivals: (() => void)[] = [];
  const up: TestUpstream = await startUpstream(name, (req, res) => {
    if (!req.url?.includes('/held')) return false;
    waiting.push(() => res.end(JSON.stringify({ name, held: true })));
    arrivals.shift()?.();
    return true;
  });
  return {
    up,
    arrived: () => new Promise<void>((resolve) => (waiting.length ? resolve() : arrivals.push(resolve))),
    releaseAll: () => waiting.splice(0).forEach((f) => f()),
  };
}

t.test('close() lets in-flight requests finish, then refuses new ones', async (t) => {
  const held = await heldUpstream('v2');
  t.teardown(() => held.up.close());
  const dir = configDir(orderFiles({ v1: held.up.url, v2: held.up.url }));
  t.teardown(() => dir.remove());
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const inFlight = request(`${url}/v2/orders/held`);
  await held.arrived();
  let closed = false;
  const closing = gateway.close().then(() => (closed = true));
  await new Promise((r) => setImmediate(r));
  t.notOk(closed, 'close waits for the request in flight');
  held.releaseAll();
  const res = await inFlight;
  t.equal(res.statusCode, 200);
  t.match(await res.body.json(), { held: true });
  await closing;
  t.ok(closed);
  const after = await request(`${url}/v2/orders/1`).then(
    () => 'answered',
    (err) => err.code,
  );
  t.equal(after, 'ECONNREFUSED', 'no new connections after close');
});

t.test('the drain deadline cuts requests that do not finish', async (t) => {
  const held = await heldUpstream('v2');
  t.teardown(() => held.up.close());
  const dir = configDir(orderFiles({ v1: held.up.url, v2: held.up.url }, { shutdown: { drainTimeout: '100ms' } }));
  t.teardown(() => dir.remove());
  const { url, gateway } = await startGateway(t, { dir: dir.dir });
  const inFlight = request(`${url}/v2/orders/held`).then(
    () => 'answered',
    (err) => err.code ?? 'error',
  );
  await held.arrived();
  await gateway.close();
  t.not(await inFlight, 'answered', 'the stuck request was cut at the deadline');
});

t.test('sundial start: SIGHUP reloads, SIGTERM drains and exits 0', async (t) => {
  const a = await startUpstream('a');
  const held = await heldUpstream('b');
  t.teardown(() => Promise.all([a.close(), held.up.close()]));
  const dir = configDir(orderFiles({ v1: a.url, v2: a.url }));
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--port', '0', '--admin-port', '0']);
  const serving = await waitFor((l) => l.msg === 'sundial is serving');
  const url = serving.proxy as string;
  t.match(url, /^http:\/\//);

  const first = (await request(`${url}/v2/orders/1`).then((r) => r.body.json())) as { name: string };
  t.equal(first.name, 'a');

  dir.write('routes/orders.yaml', { name: 'orders', prefix: '/orders', versions: { v1: { upstream: a.url }, v2: { upstream: held.up.url } } });
  child.kill('SIGHUP');
  await waitFor((l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP');

  const inFlight = request(`${url}/v2/orders/held`);
  await held.arrived();
  child.kill('SIGTERM');
  await waitFor((l) => l.msg === 'draining in-flight requests, then stopping');
  held.releaseAll();
  const res = await inFlight;
  t.equal(res.statusCode, 200, 'the request in flight at SIGTERM is answered');
  t.match(await res.body.json(), { name: 'b', held: true });
  t.equal(await exited, 0, 'exits 0 after draining');
});

t.test('sundial start refuses a bad config, naming file and field', async (t) => {
  const files = orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' });
  (files['routes/orders.yaml'] as any).versions.v2.upstream = 'nope';
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const child = spawn(process.execPath, [CLI, 'start', '--dir', dir.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.equal(code, 1);
  t.match(stderr, /routes\/orders\.yaml: versions\.v2\.upstream: Invalid URL/);
});
