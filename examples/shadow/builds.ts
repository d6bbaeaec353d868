// Two builds of the orders service behind v2, for the shadow example (docs/shadow.md).
// Build 2.4.0 adds a `links` object (fine: a superset) and refactors money formatting,
// which breaks amounts that end in a zero: 42.50 becomes "42.5". Both builds put a fresh
// request id and timestamp in every answer: noise, which the secondary cancels.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Build = '2.3.0' | '2.4.0';

interface Order {
  id: number;
  cents: number;
  status: 'open' | 'shipped';
}

/** Twenty orders, with amounts chosen so that some end in a zero and some do not. */
export const ORDERS: Order[] = Array.from({ length: 20 }, (_, i) => ({
  id: i + 1,
  cents: 1000 + i * 237 + (i % 4 === 0 ? 3 : 0),
  status: i % 3 === 0 ? 'shipped' : 'open',
}));

function amount(build: Build, cents: number): string {
  // 2.4.0's refactor: String(number) drops the trailing zero that toFixed(2) kept.
  return build === '2.3.0' ? (cents / 100).toFixed(2) : String(cents / 100);
}

function render(build: Build, o: Order) {
  const order: Record<string, unknown> = {
    id: String(o.id),
    total: { amount: amount(build, o.cents), currency: 'EUR' },
    state: o.status.toUpperCase(),
  };
  if (build === '2.4.0') order.links = { self: `/v2/orders/${o.id}` };
  return order;
}

export function startBuild(build: Build, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const meta = { requestId: randomUUID(), generatedAt: new Date().toISOString() };
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'private, max-age=30', 'x-build': build });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    const match = /^\/orders(?:\/(\d+))?\/?$/.exec((req.url ?? '/').split('?')[0]);
    if (!match) return send(404, { error: 'not found', meta });
    if (!match[1]) return send(200, { orders: ORDERS.map((o) => render(build, o)), meta });
    const order = ORDERS.find((o) => o.id === Number(match[1]));
    return order ? send(200, { order: render(build, order), meta }) : send(404, { error: 'no such order', meta });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
