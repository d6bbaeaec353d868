// Fuzz-style: random bytes in the version header, the path and the query must give a 4xx
// or a proxied answer; never a 5xx of sundial's own, never a crash. Sent over raw TCP so no
// client tidies the bytes first. The seed is printed, so a failure can be replayed.
import t from 'tap';
import { request } from 'undici';
import { decide } from '../src/gateway/decide.js';
import { loadConfig } from '../src/config/load.js';
import { configDir, orderFiles } from './helpers/config-dir.js';
import { startGateway } from './helpers/gateway.js';
import { rawRequest } from './helpers/raw-http.js';
import { startUpstream } from './helpers/upstream.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 150);

function prng(seed: number) {
  let s = seed || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const ALPHABET = [
  'v',
  '1',
  '2',
  '/',
  '%',
  '.',
  '?',
  '&',
  '=',
  ';',
  ',',
  '"',
  ' ',
  '\t',
  '-',
  '#',
  '\\',
  'é',
  '\u0000',
  '\u00ff',
  '%2F',
  '%00',
  '..',
  'version',
  'v1',
  'orders',
];

function randomBytes(len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = int(256);
  return b;
}

function randomText(len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += random() < 0.5 ? ALPHABET[int(ALPHABET.length)] : String.fromCharCode(32 + int(95));
  return s;
}

t.comment(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);

t.test('decide() never throws and never answers 5xx', async (t) => {
  const dir = configDir(orderFiles({ v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' }));
  t.teardown(() => dir.remove());
  const cfg = loadConfig(dir.dir);
  let failures = 0;
  for (let i = 0; i < ROUNDS * 20; i++) {
    const url = `/${random() < 0.5 ? ['v1', 'v2', 'v9', '1'][int(4)] + '/' : ''}${random() < 0.7 ? 'orders' : ''}${randomText(int(20))}`;
    const headers: Record<string, string> = {};
    if (random() < 0.5) headers['api-version'] = randomText(int(12));
    if (random() < 0.3) headers.accept = `application/vnd.acme+json; version=${randomText(int(6))}`;
    try {
      const d = decide(cfg, { method: 'GET', url, headers }, Date.parse('2026-11-23T00:00:00Z'));
      if (d.kind === 'reject' && d.problem.status >= 500) failures++;
    } catch (err) {
      failures++;
      t.fail(`threw on ${JSON.stringify({ url, headers })}: ${err}`);
    }
  }
  t.equal(failures, 0);
});

t.test('random bytes over the wire', async (t) => {
  const up = await startUpstream('v2');
  t.teardown(() => up.close());
  const dir = configDir(orderFiles({ v1: up.url, v2: up.url }));
  t.teardown(() => dir.remove());
  const { url } = await startGateway(t, { dir: dir.dir, clock: () => Date.parse('2026-11-23T00:00:00Z') });
  const host = new URL(url).host;
  const statuses = new Map<number, number>();
  const bad: string[] = [];

  const send = async (what: string, head: Buffer) => {
    const res = await rawRequest(url, Buffer.concat([head, Buffer.from(`\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)]));
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500 || res.status === 0) bad.push(`${what} ${JSON.stringify(head.toString('latin1'))} -> ${res.status} ${res.body.slice(0, 200)}`);
  };

  for (let i = 0; i < ROUNDS; i++) {
    const version = random() < 0.5 ? randomBytes(1 + int(16)) : Buffer.from(randomText(1 + int(16)), 'latin1');
    await send('header', Buffer.concat([Buffer.from('GET /orders/1 HTTP/1.1\r\nApi-Version: '), version]));
    const path = random() < 0.5 ? randomBytes(1 + int(24)) : Buffer.from(randomText(1 + int(24)), 'latin1');
    await send('path', Buffer.concat([Buffer.from('GET /'), path, Buffer.from(' HTTP/1.1')]));
    const query = random() < 0.5 ? randomBytes(1 + int(24)) : Buffer.from(`version=${randomText(1 + int(12))}`, 'latin1');
    await send('query', Buffer.concat([Buffer.from('GET /orders/1?'), query, Buffer.from(' HTTP/1.1')]));
  }
  t.same(bad, [], 'no 5xx and no dropped connection');
  t.comment(`statuses: ${JSON.stringify([...statuses].sort())}`);
  t.ok(
    [...statuses.keys()].some((s) => s >= 400 && s < 500),
    'some inputs were refused with a 4xx',
  );

  const res = await request(`${url}/v1/orders/1`);
  await res.body.dump();
  t.equal(res.statusCode, 200, 'the gateway still serves afterwards');
});
