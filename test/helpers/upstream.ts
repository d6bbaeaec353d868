// A real HTTP upstream on loopback for tests. It reports what it received, so tests can
// check what the gateway forwarded, and it can misbehave on request:
//   /slow?ms=N      answer after N ms
//   /hang           never answer
//   /reset          destroy the connection without answering
//   /big?bytes=N    stream N bytes of a known pattern
//   /status/N       answer with status N
//   anything else   echo: method, url, headers, and the body's length and sha256
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoBody {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  bodySha256: string;
}

export interface TestUpstream {
  url: string;
  port: number;
  server: Server;
  requests: EchoBody[];
  close(): Promise<void>;
}

/** The byte at offset i of every /big body, so a receiver can check what arrived. */
export function patternByte(i: number): number {
  return (i * 31 + 7) & 0xff;
}

export function patternChunk(offset: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = patternByte(offset + i);
  return b;
}

export async function startUpstream(name = 'upstream', extra?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<TestUpstream> {
  const requests: EchoBody[] = [];
  const server = createServer((req, res) => {
    if (extra?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/hang')) return;
    if (url.pathname.endsWith('/reset')) {
      req.socket.destroy();
      return;
    }
    if (url.pathname.endsWith('/big')) {
      const total = Number(url.searchParams.get('bytes') ?? 0);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-upstream': name });
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const n = Math.min(64 * 1024, total - sent);
          const ok = res.write(patternChunk(sent, n));
          sent += n;
          if (!ok) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    const status = /\/status\/(\d{3})$/.exec(url.pathname);
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const body: EchoBody = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes: bytes, bodySha256: hash.digest('hex') };
      requests.push(body);
      const respond = () => {
        res.writeHead(status ? Number(status[1]) : 200, {
          'content-type': 'application/json',
          'x-upstream': name,
          connection: 'keep-alive, x-hop',
          'keep-alive': 'timeout=5',
          'x-hop': 'named by Connection, so hop-by-hop',
          ...(url.searchParams.has('link') ? { link: '<https://upstream.example/a>; rel="help"' } : {}),
        });
        res.end(JSON.stringify(body));
      };
      const slow = url.pathname.endsWith('/slow') ? Number(url.searchParams.get('ms') ?? 0) : 0;
      if (slow) setTimeout(respond, slow);
      else respond();
    });
  });
  // Let tests' hanging requests end when the server closes.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on loopback with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Upstreams named v1 and v2, closed when the test `t` ends. */
export async function versionUpstreams(t: { teardown(fn: () => Promise<unknown>): void }): Promise<{ v1: TestUpstream; v2: TestUpstream }> {
  const v1 = await startUpstream('v1');
  const v2 = await startUpstream('v2');
  t.teardown(() => Promise.all([v1.close(), v2.close()]));
  return { v1, v2 };
}
