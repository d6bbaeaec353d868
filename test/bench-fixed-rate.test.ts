// The fixed-rate client of `npm run bench` (bench/fixed-rate.ts), against real HTTP servers
// on loopback. What it must get right is structural, so that is what is checked, never a
// time: it sends the number of requests its rate and duration make, records only those
// after its warm-up, counts non-2xx answers as errors, and keeps sending while earlier
// requests are unanswered, which a client that waits for each answer cannot.
import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { fixedRateLoad } from '../bench/fixed-rate.js';

async function server(t: Test, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const s = createServer(handle);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  t.teardown(() => new Promise<void>((resolve) => s.close(() => resolve())));
  s.keepAliveTimeout = 60_000;
  return `http://127.0.0.1:${(s.address() as { port: number }).port}/orders/1`;
}

t.test('sends the warm-up and the measured requests, and reports only the measured ones', async (t) => {
  let arrived = 0;
  const url = await server(t, (req, res) => {
    arrived++;
    t.equal(req.url, '/orders/1');
    res.end('{}');
  });
  const result = await fixedRateLoad(url, 200, 1, 10, 0.5);
  t.equal(arrived, 300, '100 in the warm-up and 200 measured');
  t.equal(result.requests, 200);
  t.equal(result.errors, 0);
  t.ok(result.p50ms > 0 && result.p99ms >= result.p50ms, 'latencies are recorded, p99 at or above p50');
});

t.test('counts answers other than 2xx as errors, in the measured part only', async (t) => {
  let arrived = 0;
  const url = await server(t, (_req, res) => {
    // The warm-up's requests succeed; every measured one fails.
    res.statusCode = ++arrived > 50 ? 503 : 200;
    res.end();
  });
  const result = await fixedRateLoad(url, 100, 1, 10, 0.5);
  t.equal(result.errors, 100);
});

t.test('failures during the warm-up are not counted', async (t) => {
  const url = await server(t, (_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  const result = await fixedRateLoad(url, 100, 1, 10, 0.5);
  t.equal(result.errors, 100, 'the 100 measured requests, not the 50 of the warm-up');
});

t.test('does not wait for an answer before sending the next request', async (t) => {
  // The server answers nothing until 40 requests are waiting, then all of them. A client
  // that waited for each answer before the next request (or kept fewer than 40 in flight)
  // would stall here for ever. The run is 40 requests of warm-up and 200 measured: six
  // groups of 40.
  let arrived = 0;
  const waiting: ServerResponse[] = [];
  const url = await server(t, (_req, res) => {
    arrived++;
    waiting.push(res);
    if (waiting.length < 40) return;
    for (const r of waiting.splice(0)) r.end('{}');
  });
  const result = await fixedRateLoad(url, 400, 0.5, 50, 0.1);
  t.equal(arrived, 240, 'every request was sent');
  t.equal(result.requests, 200, 'and every measured one answered');
  t.equal(result.errors, 0);
});
