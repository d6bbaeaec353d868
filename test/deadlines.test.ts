// The upstream timeout queue (src/gateway/deadlines.ts), without a server. The delays are
// short and nothing asserts how long anything took: only which requests expired, and how
// many entries the queue still holds.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadlines, type Expirable } from '../src/gateway/deadlines.js';

class Request implements Expirable {
  deadline = 0;
  pending = true;
  expired = 0;
  expire(): void {
    this.expired++;
    this.pending = false;
  }
}

t.test('a request that does not finish expires once; a finished one never does', async (t) => {
  const deadlines = new Deadlines();
  const stuck = new Request();
  const done = new Request();
  deadlines.track(stuck, 20);
  deadlines.track(done, 20);
  done.pending = false;
  await sleep(80);
  t.equal(stuck.expired, 1, 'the stuck request expired');
  t.equal(done.expired, 0, 'the finished request did not');
  t.equal(deadlines.size, 0, 'the queue holds nothing after it ran');
});

t.test('a request whose clock restarts expires only at its later deadline', async (t) => {
  const deadlines = new Deadlines();
  const request = new Request();
  deadlines.track(request, 40);
  await sleep(25);
  deadlines.track(request, 40); // e.g. the request was sent; now waiting for the response
  await sleep(25);
  t.equal(request.expired, 0, 'the first deadline passed without an expiry');
  await sleep(60);
  t.equal(request.expired, 1, 'it expired once, at the restarted deadline');
});

t.test('finished requests are released at the next add, not at the next sweep', async (t) => {
  // Held entries keep each request (and its buffers) alive: under load they must not pile up
  // until the queue's timer runs, or they survive the young generation's collections.
  const deadlines = new Deadlines();
  const requests: Request[] = [];
  for (let i = 0; i < 5000; i++) {
    const request = new Request();
    deadlines.track(request, 30_000);
    deadlines.track(request, 30_000); // two entries per request, as a proxied request has
    requests.push(request);
  }
  t.ok(deadlines.size >= 5000, 'every request in flight is held');
  for (const request of requests) request.pending = false;
  const next = new Request();
  deadlines.track(next, 30_000);
  t.equal(deadlines.size, 1, 'the next add dropped every finished entry before it');

  // A slow request at the head holds back only itself and what came after it.
  const slow = new Request();
  deadlines.track(slow, 30_000);
  const quick: Request[] = [];
  for (let i = 0; i < 3000; i++) {
    const request = new Request();
    deadlines.track(request, 30_000);
    quick.push(request);
  }
  next.pending = false;
  for (const request of quick) request.pending = false;
  deadlines.track(new Request(), 30_000);
  t.ok(deadlines.size <= 3002, 'the entries before the slow request were dropped');
  t.ok(deadlines.size >= 2, 'the slow request is still watched');
  slow.pending = false;
  deadlines.track(new Request(), 30_000);
  t.ok(deadlines.size <= 2, 'once it finished, the rest behind it went too');
});

t.test('queues per timeout value are independent', async (t) => {
  const deadlines = new Deadlines();
  const short = new Request();
  const long = new Request();
  deadlines.track(long, 10_000);
  deadlines.track(short, 20);
  await sleep(80);
  t.equal(short.expired, 1, 'the short timeout fired');
  t.equal(long.expired, 0, 'the long one did not');
  long.pending = false;
});
