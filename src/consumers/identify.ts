// Who a request comes from, as config/gateway.yaml `consumers` says: a header, a query
// parameter, or the user name of HTTP Basic auth. Ids are capped in length, so a client
// cannot make the gateway hold an unbounded string; they never become metric labels.
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayFile } from '../config/schema.js';

export type ConsumersConfig = NonNullable<GatewayFile['consumers']>;
export type Identify = (req: { url: string; headers: IncomingHttpHeaders }) => string | undefined;

export const MAX_ID_LENGTH = 128;

const cap = (id: string | undefined): string | undefined => (id ? (id.length > MAX_ID_LENGTH ? id.slice(0, MAX_ID_LENGTH) : id) : undefined);

export function describeIdentity(c: ConsumersConfig): string {
  return c.header ? `header ${c.header}` : c.query ? `query parameter ${c.query}` : 'Basic auth user';
}

export function identifier(c: ConsumersConfig): Identify {
  if (c.header) {
    const name = c.header.toLowerCase();
    return (req) => {
      const v = req.headers[name];
      return cap((Array.isArray(v) ? v[0] : v)?.trim());
    };
  }
  if (c.query) {
    const key = c.query;
    return (req) => cap(queryParam(req.url, key));
  }
  return (req) => cap(basicUser(req.headers.authorization));
}

/** The first value of a query parameter in a raw request target. */
export function queryParam(url: string, key: string): string | undefined {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const k = eq === -1 ? pair : pair.slice(0, eq);
    if (safeDecode(k) !== key) continue;
    return eq === -1 ? undefined : safeDecode(pair.slice(eq + 1));
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The user of an `Authorization: Basic base64(user:password)` header. */
export function basicUser(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(0, colon);
}
