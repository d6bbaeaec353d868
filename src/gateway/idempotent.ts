// The methods RFC 9110 (9.2.2) calls idempotent: a request with one of them may be sent
// again, or pipelined behind another, without changing what the server ends up with.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}
