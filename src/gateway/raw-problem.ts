// A problem (RFC 9457) written straight to Node's response, for the answers the proxy path
// gives itself (rejections, upstream failures) without a fastify reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderPairs } from './decide.js';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

export function writeProblem(req: IncomingMessage, res: ServerResponse, p: Problem, headers: HeaderPairs, close: boolean): void {
  if (p.instance === undefined) {
    const url = req.url ?? '';
    p.instance = url.length <= 2048 ? url : url.slice(0, 2048);
  }
  const body = JSON.stringify(p);
  const out: string[] = ['content-type', PROBLEM_CONTENT_TYPE, 'content-length', String(Buffer.byteLength(body))];
  for (let i = 0; i < headers.length; i++) out.push(headers[i]);
  if (close) out.push('connection', 'close');
  res.writeHead(p.status, out);
  res.end(body);
}
