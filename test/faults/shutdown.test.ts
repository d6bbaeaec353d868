// SIGTERM with requests in flight, against a real `sundial start` process: the requests
// in flight complete, and the process is gone within its drain timeout.
//
// The upstream asks for 60 s keep-alive, so that what held the process before (undici's
// keep-alive timers on idle upstream connections, seconds past the drain) would hold it
// for about a minute: the bounds on the clock can then be generous and still tell.
import t from 'tap';
import { request } from 'undici';
import { startCli } from '../helpers/cli-process.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startUpstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';

t.test('SIGTERM: every request in flight completes, within the drain timeout', async (t) => {
  let arrived = 0;
  const up = await startUpstream('v2', (req) => {
    if (req.url?.includes('/slow')) arrived++;
    return false;
  });
  up.server.keepAliveTimeout = 60_000;
  t.teardown(() => up.close());
  // A drain far longer than the requests: the exit must follow the last response, not the drain.
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, { shutdown: { drainTimeout: '30s' } }));
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--port', '0', '--admin-port', '0']);
  const url = (await waitFor((l) => l.msg === 'sundial is serving')).proxy as string;

  const inFlight = Array.from({ length: 8 }, (_, i) =>
    request(`${url}/v2/orders/slow?ms=${600 + i * 50}`).then(async (r) => ({ status: r.statusCode, body: await r.body.json() })),
  );
  await eventually(() => arrived === 8, 'the requests to reach the upstream');
  const signalled = performance.now();
  child.kill('SIGTERM');
  const results = await Promise.all(inFlight);
  const answered = performance.now();
  t.same(
    results.map((r) => r.status),
    Array(8).fill(200),
    'every request in flight was answered',
  );
  t.equal(await exited, 0);
  const took = performance.now() - signalled;
  const lingered = performance.now() - answered;
  // Before, the process lingered about 3.5 s after its last response, past a 2 s drain.
  t.ok(
    lingered < 10_000,
    `exited after the last response, not after the 30 s drain or the 60 s keep-alive (${lingered.toFixed(0)} ms after it, ${took.toFixed(0)} ms after SIGTERM)`,
  );
});

t.test('SIGTERM with a request that never finishes: cut at the drain timeout, not later', async (t) => {
  let arrived = 0;
  const up = await startUpstream('v2', (req) => {
    if (req.url?.includes('/hang')) arrived++;
    return false;
  });
  up.server.keepAliveTimeout = 60_000;
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, { shutdown: { drainTimeout: '1s' }, upstream: { connectTimeout: '1s', timeout: '30s' } }));
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--port', '0', '--admin-port', '0']);
  const url = (await waitFor((l) => l.msg === 'sundial is serving')).proxy as string;
  // One answered request first, so an idle keep-alive connection waits in the pool.
  const answered = await request(`${url}/v2/orders/1`);
  await answered.body.dump();
  t.equal(answered.statusCode, 200);
  const stuck = request(`${url}/v2/orders/hang`).then(
    (r) => r.statusCode,
    () => 'cut',
  );
  await eventually(() => arrived === 1, 'the request to reach the upstream');
  const signalled = performance.now();
  child.kill('SIGTERM');
  t.equal(await exited, 0);
  const took = performance.now() - signalled;
  t.ok(took >= 900, `it waited for the drain timeout (${took.toFixed(0)} ms)`);
  // Not the 30 s upstream timeout, nor the 60 s keep-alive: a generous margin that still tells.
  t.ok(took < 1000 + 8000, `and no longer, with a generous margin (${took.toFixed(0)} ms)`);
  t.equal(await stuck, 'cut');
});
