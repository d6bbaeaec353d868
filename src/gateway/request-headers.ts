// The request headers sent upstream, built in one pass over the client's raw headers as the
// flat name/value array undici takes: hop-by-hop headers (RFC 9110 section 7.6.1) and any
// header the client's Connection names stop here; Expect stops too (the gateway has
// answered the client's 100-continue itself, and streams the body on); Host becomes the
// upstream's; X-Forwarded-For gets the client's address appended, X-Forwarded-Proto and
// X-Forwarded-Host are set (kept from the client only when trustProxy is on).
import type { IncomingMessage } from 'node:http';
import { HOP_BY_HOP } from './hop-by-hop.js';

// Hop-by-hop headers, and Expect.
const DROPPED = new Set([...HOP_BY_HOP, 'expect']);
// Only names of these lengths can need a look (lower-casing) at all.
const INTERESTING_LENGTHS = new Set([2, 4, 6, 7, 10, 15, 16, 17, 18, 19]);
const CONNECTION_TOKENS_OF_ITS_OWN = /^\s*(?:keep-alive|close)\s*$/i;

export const DUPLICATE_HOST = null;

/**
 * The headers to send upstream, or null when the request carries two Host headers (which
 * a proxy must refuse: RFC 9112 section 3.2 makes such a request a 400).
 */
export function upstreamRequestHeaders(req: IncomingMessage, upstreamHost: string, trustProxy: boolean): string[] | null {
  const raw = req.rawHeaders;
  const out: string[] = ['host', upstreamHost];
  const connection = req.headers.connection;
  const named = connection && !CONNECTION_TOKENS_OF_ITS_OWN.test(connection) ? new Set(connection.split(',').map((n) => n.trim().toLowerCase())) : undefined;
  let clientHost: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (INTERESTING_LENGTHS.has(name.length) || named) {
      const lower = name.toLowerCase();
      if (lower === 'host') {
        if (clientHost !== undefined) return DUPLICATE_HOST;
        clientHost = value;
        continue;
      }
      if (DROPPED.has(lower) || named?.has(lower)) continue;
      if (lower === 'x-forwarded-for') {
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        continue;
      }
      if (lower === 'x-forwarded-proto') {
        forwardedProto ??= value;
        continue;
      }
      if (lower === 'x-forwarded-host') {
        forwardedHost ??= value;
        continue;
      }
    }
    out.push(name, value);
  }
  const remote = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', forwardedFor ? `${forwardedFor}, ${remote}` : remote);
  out.push('x-forwarded-proto', trustProxy && forwardedProto ? forwardedProto : 'http');
  const host = trustProxy && forwardedHost ? forwardedHost : clientHost;
  if (host) out.push('x-forwarded-host', host);
  return out;
}

/** The client's address, as fastify's trustProxy would give it: the first X-Forwarded-For entry when trusted. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    if (typeof xff === 'string' && xff) {
      const comma = xff.indexOf(',');
      return (comma === -1 ? xff : xff.slice(0, comma)).trim();
    }
  }
  return req.socket.remoteAddress;
}
