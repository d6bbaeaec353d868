// The shadow client sends each batch of mirrors together: the writes to its sockets are
// held while a batch is dispatched, and requests that share a connection (pipelined) leave
// in one write. Against a real TCP server on loopback that records what arrives in each
// read; nothing here measures time.
import t, { type Test } from 'tap';
import { createServer, Socket } from 'node:net';
import { once } from 'node:events';
import { BatchQueue } from '../../src/shadow/batch.js';
import { MirrorCall, ShadowClient, type MirrorOwner } from '../../src/shadow/client.js';
import type { ShadowTarget } from '../../src/shadow/types.js';

const RESPONSE = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}';

/**
 * A minimal HTTP/1.1 server that records each read, and answers nothing until `hold`
 * requests have arrived on a connection (then all of them, and each later one at once): so
 * a request can be kept in flight while a batch is sent behind it.
 */
async function recordingServer(hold = 1) {
  const reads: string[] = [];
  const connections: Socket[] = [];
  const server = createServer((socket) => {
    connections.push(socket);
    socket.setNoDelay(true);
    let unanswered = 0;
    let seen = 0;
    socket.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      reads.push(text);
      const requests = text.split('\r\n\r\n').length - 1;
      seen += requests;
      unanswered += requests;
      if (seen < hold) return;
      socket.write(RESPONSE.repeat(unanswered));
      unanswered = 0;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const target: ShadowTarget = { url: `http://127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, basePath: '', host: `127.0.0.1:${port}` };
  return {
    reads,
    connections,
    target,
    port,
    close: () => {
      for (const c of connections) c.destroy();
      server.close();
    },
  };
}

class Waiter implements MirrorOwner {
  done: MirrorCall[] = [];
  private resolve?: () => void;
  constructor(private readonly want: number) {}
  mirrorDone(call: MirrorCall): void {
    this.done.push(call);
    if (this.done.length === this.want) this.resolve?.();
  }
  wait(): Promise<void> {
    return this.done.length >= this.want ? Promise.resolve() : new Promise((r) => (this.resolve = r));
  }
}

/**
 * Counts the writes that sockets to `port` hand to the kernel: Node's net.Socket sends every
 * write, or every batch of writes released by uncork(), through _writeGeneric.
 */
function countWrites(t: Test, port: number): { count: number } {
  const counter = { count: 0 };
  const proto = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const original = proto._writeGeneric;
  proto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === port) counter.count++;
    return original.apply(this, args);
  };
  t.teardown(() => {
    proto._writeGeneric = original;
  });
  return counter;
}

const call = (owner: MirrorOwner, target: ShadowTarget, i: number) =>
  new MirrorCall(owner, target, 'GET', `/orders/${i}`, ['host', target.host, 'sundial-shadow', '1'], undefined, 1 << 20);

/**
 * A server that holds its answers until six requests have come, a shadow client, and a
 * first mirror in flight to it: the next five can only be pipelined behind that one.
 */
async function firstMirrorInFlight(t: Test) {
  const server = await recordingServer(6);
  const client = new ShadowClient();
  t.teardown(async () => {
    await client.close();
    server.close();
  });
  const owner = new Waiter(6);
  client.dispatch(call(owner, server.target, 0), 5000);
  while (server.reads.length === 0) await new Promise((r) => setImmediate(r));
  const send = (i: number) => client.dispatch(call(owner, server.target, i), 5000);
  return { server, client, owner, send };
}

t.test('the mirrors of one batch leave in one write, and are all answered', async (t) => {
  const { server, client, owner, send } = await firstMirrorInFlight(t);
  t.equal(server.connections.length, 1, 'the first mirror is in flight on one connection');

  const writes = countWrites(t, server.port);
  const queue = new BatchQueue<{ run(): void }>((_, err) => t.fail(String(err)), client);
  for (let i = 1; i <= 5; i++) queue.push({ run: () => send(i) });
  await owner.wait();

  t.equal(server.connections.length, 1, 'the batch was pipelined on the same connection');
  t.equal(writes.count, 1, 'the five requests were one write');
  t.equal(server.reads.length, 2, 'the first request, then the five of the batch');
  t.same(
    [...server.reads[1].matchAll(/^GET (\S+) HTTP\/1\.1/gm)].map((m) => m[1]),
    ['/orders/1', '/orders/2', '/orders/3', '/orders/4', '/orders/5'],
    'in order',
  );
  t.same(
    owner.done.map((c) => [c.path, c.error, c.status, c.responseBody().toString()]),
    Array.from({ length: 6 }, (_, i) => [`/orders/${i}`, undefined, 200, '{}']),
    'every mirror got its own answer, in order',
  );
});

t.test('without the batch hooks, each mirror is its own write', async (t) => {
  // The same dispatches outside a batch: the control for the test above.
  const { server, owner, send } = await firstMirrorInFlight(t);
  const writes = countWrites(t, server.port);
  for (let i = 1; i <= 5; i++) send(i);
  await owner.wait();
  t.equal(server.connections.length, 1, 'pipelined on one connection');
  t.equal(writes.count, 5, 'five writes');
});

/**
 * A shadow client of `connections` connections whose one open connection has answered a
 * mirror and is idle, and then a batch of `n` mirrors sent to it, with its writes counted.
 */
async function batchAfterIdle(t: Test, connections: number | undefined, n: number) {
  const server = await recordingServer();
  const client = new ShadowClient(connections);
  t.teardown(async () => {
    await client.close();
    server.close();
  });
  const first = new Waiter(1);
  client.dispatch(call(first, server.target, 0), 5000);
  await first.wait();
  t.equal(server.connections.length, 1, 'one connection, answered and now idle');

  const writes = countWrites(t, server.port);
  const owner = new Waiter(n);
  const queue = new BatchQueue<{ run(): void }>((_, err) => t.fail(String(err)), client);
  for (let i = 1; i <= n; i++) queue.push({ run: () => client.dispatch(call(owner, server.target, i), 5000) });
  await owner.wait();
  const answers = owner.done.map((c) => [c.path, c.error, c.status]);
  const expected = Array.from({ length: n }, (_, i) => [`/orders/${i + 1}`, undefined, 200]);
  return { server, writes, answers, expected };
}

t.test('mirrors held back for an idle connection leave in one write too', async (t) => {
  // Before writing to a keep-alive connection that has been idle, undici lets the loop read
  // from it first and writes the requests it held back from a setImmediate of its own, after
  // the batch: the batch's sockets must still be corked then. One connection, so the five
  // wait on it together.
  const { server, writes, answers, expected } = await batchAfterIdle(t, 1, 5);
  t.equal(server.connections.length, 1, 'the same connection');
  t.equal(writes.count, 1, 'the five requests were one write');
  t.same(answers, expected, 'each got its answer, in order');
});

t.test('a batch fills one idle connection before it opens another', async (t) => {
  // undici's Pool skips a connection while it validates an idle socket, so it gave each
  // mirror of a batch a connection of its own whenever the connections were idle: ten
  // mirrors were ten connections and ten writes. The shadow client's own connections keep
  // the batch on one connection, up to its pipeline of eight.
  const { server, writes, answers, expected } = await batchAfterIdle(t, undefined, 10);
  t.equal(server.connections.length, 2, 'eight on the idle connection, the other two on a second');
  t.equal(writes.count, 2, 'one write per connection');
  t.same(answers.sort(), expected.sort(), 'each got its answer');
});

t.test('a mirror that may not be pipelined goes out at once, on a connection of its own', async (t) => {
  // A POST is not idempotent: undici never sends one behind another request on a
  // connection, so queued behind a mirror in flight it would wait for that one's answer.
  const server = await recordingServer(2);
  const client = new ShadowClient();
  t.teardown(async () => {
    await client.close();
    server.close();
  });
  const owner = new Waiter(2);
  client.dispatch(call(owner, server.target, 0), 5000);
  while (server.reads.length === 0) await new Promise((r) => setImmediate(r));
  const post = new MirrorCall(owner, server.target, 'POST', '/orders', ['host', server.target.host, 'content-length', '2'], Buffer.from('{}'), 1 << 20);
  client.dispatch(post, 5000);
  while (server.reads.length < 2) await new Promise((r) => setImmediate(r));
  t.equal(server.connections.length, 2, 'a second connection');
  t.match(server.reads[1], /^POST \/orders HTTP\/1\.1/, 'the POST was sent while the GET was still unanswered');
});
