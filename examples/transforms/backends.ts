// The two order backends of the transforms example: v1's stores and answers money as
// integer cents; v2's as { amount, currency }, and calls the items "lines".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const ORDERS = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, total: 1999 + i * 250, items: [{ sku: `sku-${i}`, price: 1999 + i * 250 }] }));

function v1(path: string): unknown {
  const m = /^\/orders\/(\d+)(\/items)?$/.exec(path);
  const o = m && ORDERS.find((x) => x.id === Number(m[1]));
  if (!o) return undefined;
  return m[2] ? o.items.map((it) => ({ sku: it.sku, price_cents: it.price })) : { id: o.id, total_cents: o.total };
}

function v2(path: string): unknown {
  const money = (cents: number) => ({ amount: cents / 100, currency: 'EUR' });
  const m = /^\/orders\/(\d+)(\/lines)?$/.exec(path);
  const o = m && ORDERS.find((x) => x.id === Number(m[1]));
  if (!o) return undefined;
  return m[2] ? o.items.map((it) => ({ sku: it.sku, price: money(it.price) })) : { id: o.id, total: money(o.total) };
}

export function startBackend(version: 'v1' | 'v2', port: number): Promise<Server> {
  const answer = version === 'v1' ? v1 : v2;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      // POST /orders echoes the order it was given, as created.
      const body = req.method === 'POST' ? JSON.parse(Buffer.concat(chunks).toString() || '{}') : answer(path);
      res.writeHead(body === undefined ? 404 : req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'x-backend': version });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

export const portOf = (s: Server) => (s.address() as AddressInfo).port;
