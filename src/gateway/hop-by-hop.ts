// Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection and must not be
// forwarded by a proxy, in either direction, nor may any header that Connection names.
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function stripHopByHop(headers: Record<string, unknown>): void {
  const connection = headers.connection;
  if (typeof connection === 'string') {
    for (const name of connection.split(',')) delete headers[name.trim().toLowerCase()];
  }
  for (const name of HOP_BY_HOP) if (name in headers) delete headers[name];
}
