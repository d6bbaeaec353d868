// Misbehaving upstreams for the fault suite: raw TCP servers that answer with exactly the
// bytes a test gives, so the gateway meets HTTP that no well-behaved server would write.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';

export interface RawUpstream {
  url: string;
  /** Request heads received, in order (the first line of each). */
  requests: string[];
  connections: number;
  close(): Promise<void>;
}

/**
 * An upstream that reads each request head and calls `answer` with the socket, the
 * request's first line and how many requests came before on that connection.
 */
export async function rawUpstream(answer: (socket: Socket, line: string, onConnection: number) => void): Promise<RawUpstream> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    let seen = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const line = head.split('\r\n')[0];
        requests.push(line);
        answer(socket, line, seen++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request with `Expect: 100-continue`, sending its body only once the gateway says continue. */
export function expectContinue(url: string, method: string, body: Buffer): Promise<{ status: number; continued: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(url, {
      method,
      headers: { expect: '100-continue', 'content-length': String(body.length), 'content-type': 'application/octet-stream' },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, continued, text }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
