// The cluster primary forwards the admin requests it does not serve itself to the lead
// worker's private admin listener, which runs the canary controllers and keeps the reports.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { request } from 'undici';
import { stripHopByHop } from '../gateway/hop-by-hop.js';

/** Hop-by-hop headers, and the framing headers undici and fastify set for the new message. */
function forwardable(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  stripHopByHop(out);
  delete out.host;
  delete out['content-length'];
  return out;
}

export async function forwardToLead(leadAdmin: string, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const res = await request(`${leadAdmin}${req.url}`, {
    method: req.method as 'GET',
    headers: forwardable(req.headers),
    body: Buffer.isBuffer(req.body) && req.body.length ? req.body : undefined,
  });
  reply.code(res.statusCode);
  for (const [name, value] of Object.entries(forwardable(res.headers))) reply.header(name, value);
  return reply.send(Buffer.from(await res.body.arrayBuffer()));
}
