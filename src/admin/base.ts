// The admin endpoints every admin listener has, the single process's and a cluster
// primary's alike: the bearer-token hook, /healthz, /readyz, /metrics and /admin/reload.
// Each listener says what its health, readiness, metrics and reload are; the shape of the
// answers is decided here, once.
import type { FastifyInstance } from 'fastify';
import { ERR_CONFIG_INVALID } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';
import { requireAdminToken } from './auth.js';

/** A reload's answer: the body of a success, or the problems of a refusal (a 422). */
export type ReloadAnswer = { refused: false; body: object } | { refused: true; problems: string[]; extensions?: Record<string, unknown> };

export interface BaseAdmin {
  /** The admin token now configured: read per request, so a reload that rotates it takes effect at once. */
  token(): string | undefined;
  /** Members added to /healthz's `{ status: 'ok' }`. */
  health?(): Record<string, unknown>;
  /** Whether to answer /readyz with 200, and members added to its body. */
  readiness(): { ready: boolean; detail?: Record<string, unknown> };
  metrics: { contentType: string; render(): Promise<string> };
  reload(reason: string): Promise<ReloadAnswer>;
}

export function registerBaseAdmin(app: FastifyInstance, admin: BaseAdmin): void {
  app.addHook(
    'onRequest',
    requireAdminToken(() => admin.token()),
  );

  app.get('/healthz', (_request, reply) => {
    reply.send({ status: 'ok', ...admin.health?.() });
  });

  app.get('/readyz', (_request, reply) => {
    const { ready, detail } = admin.readiness();
    reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...detail });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', admin.metrics.contentType);
    return admin.metrics.render();
  });

  app.post('/admin/reload', async (_request, reply) => {
    const answer = await admin.reload('admin');
    if (answer.refused) {
      return sendProblem(
        reply,
        problem(ERR_CONFIG_INVALID, 'The config on disk is invalid; the running config keeps serving.', { problems: answer.problems, ...answer.extensions }),
      );
    }
    return answer.body;
  });
}
