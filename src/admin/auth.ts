// Bearer-token check for the admin listener. Both sides are hashed first so the
// comparison takes the same time whatever the token's length or content.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { ERR_ADMIN_UNAUTHORIZED } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const match = /^Bearer[ \t]+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}

// The admin page and its assets carry no data (the page asks for the token and sends it
// with each call), so they load without it.
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/']);
const OPEN_PREFIX = '/ui/';

/**
 * The admin listeners' onRequest hook: /healthz and /readyz are open, for orchestrators'
 * probes, and so is the admin page (GET / and /ui/*); everything else needs the bearer
 * token, when one is configured.
 */
export function requireAdminToken(token: () => string | undefined): onRequestHookHandler {
  return (request, reply, done) => {
    const expected = token();
    const path = request.url.split('?', 1)[0];
    if (
      !expected ||
      OPEN_PATHS.has(path) ||
      (request.method === 'GET' && path.startsWith(OPEN_PREFIX)) ||
      bearerMatches(request.headers.authorization, expected)
    )
      return done();
    reply.header('www-authenticate', 'Bearer realm="sundial-admin"');
    sendProblem(
      reply,
      problem(
        ERR_ADMIN_UNAUTHORIZED,
        'The admin API needs an Authorization: Bearer <token> header with the configured admin token (admin.token in config/gateway.yaml; the shipped config reads it from SUNDIAL_ADMIN_TOKEN).',
      ),
    );
  };
}
