// The example API behind the shipped config: an orders service in two versions, each its
// own HTTP server, as two deployments of a real service would be.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CompiledConfig } from '../src/config/compiled.js';

interface Order {
  id: number;
  cents: number;
  status: 'open' | 'shipped';
}

const orders: Order[] = [
  { id: 1, cents: 4250, status: 'open' },
  { id: 2, cents: 1999, status: 'shipped' },
];

const v1 = (o: Order) => ({ id: o.id, total_cents: o.cents, status: o.status });
const v2 = (o: Order) => ({ id: String(o.id), total: { amount: (o.cents / 100).toFixed(2), currency: 'EUR' }, state: o.status.toUpperCase() });

// The v2 canary is a new build of v2: same shape, one more field.
const v2canary = (o: Order) => ({ ...(v2(o) as object), createdBy: 'orders-v2.1' });

type Build = 'v1' | 'v2' | 'v2-canary';

function ordersApp(build: Build) {
  const shape: (o: Order) => unknown = build === 'v1' ? v1 : build === 'v2' ? v2 : v2canary;
  const version = build === 'v1' ? 'v1' : 'v2';
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': `orders-${build}` });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    const match = /^\/orders(?:\/(\d+))?\/?$/.exec(path);
    if (!match) return send(404, { error: 'not found', path });
    if (req.method === 'POST' && !match[1]) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const order: Order = { id: orders.length + 1, cents: Number(JSON.parse(body || '{}').total_cents ?? 0), status: 'open' };
        orders.push(order);
        send(201, shape(order));
      });
      return;
    }
    if (!match[1]) return send(200, { version, orders: orders.map(shape) });
    const order = orders.find((o) => o.id === Number(match[1]));
    return order ? send(200, { version, order: shape(order) }) : send(404, { error: 'no such order', id: match[1] });
  };
}

const DEFAULT_PORTS: Record<Build, number> = { v1: 7001, v2: 7002, 'v2-canary': 7003 };

/**
 * The ports the config's `orders` route sends each build to (routes/orders.yaml: v1, v2 and
 * v2's canary), so the demo's upstreams follow the config; a build the config does not
 * name keeps its default port.
 */
export function demoUpstreamPorts(gateway: { current: CompiledConfig }): Record<Build, number> {
  const orders = gateway.current.routes.find((r) => r.name === 'orders');
  const portOfUrl = (base: string | undefined, fallback: number) => {
    if (!base) return fallback;
    const url = new URL(base);
    return url.port ? Number(url.port) : fallback;
  };
  const v2 = orders?.upstreams.get('v2');
  return {
    v1: portOfUrl(orders?.upstreams.get('v1')?.base, DEFAULT_PORTS.v1),
    v2: portOfUrl(v2?.base, DEFAULT_PORTS.v2),
    'v2-canary': portOfUrl(v2?.canary?.canary.base, DEFAULT_PORTS['v2-canary']),
  };
}

export async function startExampleUpstreams(
  ports: Record<Build, number> = DEFAULT_PORTS,
  host = '127.0.0.1',
): Promise<{ servers: Server[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  for (const build of ['v1', 'v2', 'v2-canary'] as const) {
    const server = createServer(ordersApp(build));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[build], host, () => resolve());
    });
    servers.push(server);
  }
  return {
    servers,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      ).then(() => undefined),
  };
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
