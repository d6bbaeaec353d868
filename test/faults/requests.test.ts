// Malformed and smuggling requests, and slow clients, against a real gateway and upstream
// on loopback. A malformed request gets a 4xx or a closed connection, and never puts a
// second request in front of the upstream.
import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { request } from 'undici';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';
import { startUpstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';
import { sleep } from './helpers.js';

const NOW = () => Date.parse('2026-11-23T12:00:00Z');

async function setup(t: Test, gateway: Record<string, unknown> = {}) {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }, gateway));
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  return { up, ...gw, host: new URL(gw.url).host };
}

t.test('two Host headers are a 400 problem, and nothing reaches the upstream', async (t) => {
  const { url, up, host } = await setup(t);
  const res = await rawRequest(url, `GET /v2/orders/1 HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
  t.equal(res.status, 400);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(JSON.parse(res.body), { status: 400, code: 'SUNDIAL_ERR_BAD_REQUEST' });
  t.equal(up.requests.length, 0);
});

t.test('smuggling attempts get a 4xx or a close, and never a second request upstream', async (t) => {
  const { url, up, host } = await setup(t);
  const smuggled = `GET /v2/orders/smuggled HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
  const attempts: [string, string][] = [
    [
      'Content-Length and Transfer-Encoding',
      `POST /v2/orders HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
    ],
    ['two Content-Lengths', `POST /v2/orders HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\nContent-Length: 60\r\n\r\nabc${smuggled}`],
    ['an invalid chunk size', `POST /v2/orders HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n${smuggled}`],
    [
      'an obfuscated Transfer-Encoding',
      `POST /v2/orders HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${smuggled}`,
    ],
  ];
  for (const [what, bytes] of attempts) {
    const res = await rawRequest(url, bytes);
    t.ok(res.status === 0 || (res.status >= 400 && res.status < 500), `${what}: ${res.status || 'closed'}`);
  }
  await sleep(100);
  t.notOk(
    up.requests.some((r) => r.url.includes('smuggled')),
    'no smuggled request reached the upstream',
  );
});

t.test('slow clients are cut by the header and request timeouts, while normal clients are served', async (t) => {
  const { url, host } = await setup(t, {
    upstream: { connectTimeout: '1s', timeout: '5s', connections: 2 },
    limits: { headersTimeout: '2s', requestTimeout: '3s' },
  });
  const { port } = new URL(url);
  const slow: { closed: boolean; opened: number; closedAt?: number }[] = [];
  const timers: NodeJS.Timeout[] = [];
  t.teardown(() => timers.forEach(clearInterval));
  const open = (head: string, drip: string) => {
    const s = { closed: false, opened: performance.now() } as (typeof slow)[number];
    slow.push(s);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      s.closed = true;
      s.closedAt = performance.now();
    });
    socket.write(head);
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= 200) return clearInterval(timer);
      socket.write(drip[i++ % drip.length]);
    }, 50);
    timers.push(timer);
    t.teardown(() => socket.destroy());
  };
  // Slow heads (classic slowloris) and slow bodies, more of them than upstream connections.
  for (let i = 0; i < 6; i++) open(`GET /v2/orders/${i} HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: 1\r\n');
  for (let i = 0; i < 6; i++) open(`POST /v2/orders HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4000\r\n\r\n`, 'abcdefgh');
  await sleep(200);

  const statuses: number[] = [];
  const openWhenServed: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await request(`${url}/v2/orders/${i}`);
    statuses.push(res.statusCode);
    await res.body.dump();
    openWhenServed.push(slow.filter((s) => !s.closed).length);
  }
  t.same(
    statuses.filter((s) => s !== 200),
    [],
    'every normal request was served',
  );
  // More slow clients than upstream connections were open when the first was answered.
  t.ok(openWhenServed[0] > 2, `slow clients were open while normal ones were served (${openWhenServed[0]} of ${slow.length})`);

  // No slow client ever completes its request, nor closes its socket: each is open until
  // the gateway cuts it. A safety net of about 30 s, not a measurement.
  await eventually(() => slow.every((s) => s.closed), 'every slow client to be cut', 1500, 20);
  const earliest = Math.min(...slow.map((s) => s.closedAt! - s.opened));
  const latest = Math.max(...slow.map((s) => s.closedAt! - s.opened));
  t.ok(earliest >= 1900, `none was cut before the 2 s header timeout (${earliest.toFixed(0)} ms)`);
  // Node checks the limits once per check interval (500 ms); the margin is generous.
  t.ok(latest < 3000 + 10_000, `each slow client was cut by its limit, with a generous margin (${latest.toFixed(0)} ms)`);
});
