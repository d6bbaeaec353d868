// SIGTERM with requests in flight, against a real `sundial start` process: the requests
// in flight complete, and the process is gone within its drain timeout.
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
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, { shutdown: { drainTimeout: '2s' } }));
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
  t.ok(lingered < 1500, `exited soon after the last response (${lingered.toFixed(0)} ms after it, ${took.toFixed(0)} ms after SIGTERM)`);
});

t.test('SIGTERM with a request that never finishes: cut at the drain timeout, not later', async (t) => {
  let arrived = 0;
  const up = await startUpstream('v2', (req) => {
    if (req.url?.includes('/hang')) arrived++;
    return false;
  });
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, { shutdown: { drainTimeout: '1s' }, upstream: { connectTimeout: '1s', timeout: '30s' } }));
  t.teardown(() => dir.remove());
  const { child, waitFor, exited } = startCli(t, ['--dir', dir.dir, '--port', '0', '--admin-port', '0']);
  const url = (await waitFor((l) => l.msg === 'sundial is serving')).proxy as string;
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
  t.ok(took < 1000 + 1000, `and no longer, with a margin (${took.toFixed(0)} ms)`);
  t.equal(await stuck, 'cut');
});
