// The admin listener: separate from the proxy port and bound to loopback by default.
// /healthz and /readyz are open, for orchestrators' probes; everything else needs the
// bearer token when one is configured.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ERR_BAD_REQUEST } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { CompiledConfig } from '../config/compiled.js';
import { requireAdminToken } from './auth.js';
import { registerCanaryRoutes } from './canaries.js';
import type { Rollouts } from '../canary/rollouts.js';
import { registerShadowAdmin } from '../shadow/admin.js';
import type { ShadowService } from '../shadow/service.js';
import { consumersAnswer } from '../consumers/admin.js';
import type { ConsumerTracker } from '../consumers/tracker.js';
import { registerAdminPage } from './page/register.js';

export interface ReloadOutcome {
  result: 'applied' | 'unchanged' | 'refused';
  problems?: string[];
  warnings?: string[];
  fingerprint: string;
}

export interface AdminContext {
  current(): CompiledConfig;
  metrics: GatewayMetrics;
  reload(reason: string): Promise<ReloadOutcome>;
  ready(): boolean;
  rollouts(): Rollouts;
  logger: FastifyBaseLogger;
  shadow?: ShadowService;
  consumers?: ConsumerTracker;
  clock?: () => number;
  /** The last reload's outcome, for the admin page. */
  lastReload?: () => (ReloadOutcome & { at: string; reason: string }) | undefined;
}

export async function buildAdminServer(ctx: AdminContext): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: ctx.logger, logController: new LogController({ disableRequestLogging: true }) });

  app.addHook('onRequest', requireAdminToken(() => ctx.current().gateway.admin.token));

  app.setNotFoundHandler((_request, reply) => {
    sendProblem(reply, problem(ERR_BAD_REQUEST, 404, 'not-found', 'Not Found', 'No admin endpoint at this path.'));
  });

  app.get('/healthz', (_request, reply) => {
    reply.send({ status: 'ok' });
  });

  app.get('/readyz', (_request, reply) => {
    if (ctx.ready()) reply.send({ status: 'ready' });
    else reply.code(503).send({ status: 'not ready' });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  app.post('/admin/reload', async (_request, reply) => {
    const outcome = await ctx.reload('admin');
    if (outcome.result === 'refused') {
      return sendProblem(reply, problem(ERR_BAD_REQUEST, 422, 'config-invalid', 'Config refused',
        'The config on disk is invalid; the running config keeps serving.', { problems: outcome.problems }));
    }
    return outcome;
  });

  registerCanaryRoutes(app, ctx.rollouts);

  app.get('/admin/config', (_request, reply) => {
    const cfg = ctx.current();
    reply.send({
      dir: cfg.dir,
      fingerprint: cfg.fingerprint,
      loadedAt: new Date(cfg.loadedAt).toISOString(),
      versions: [...cfg.versions.keys()],
      routes: cfg.routes.map((r) => ({ name: r.name, prefix: r.prefix, versions: Object.fromEntries([...r.upstreams].map(([v, u]) => [v, u.base])) })),
    });
  });

  if (ctx.shadow) registerShadowAdmin(app, ctx.shadow);
  app.get('/admin/consumers', (request, reply) => {
    if (!ctx.consumers) return sendProblem(reply, problem(ERR_BAD_REQUEST, 404, 'not-found', 'Not Found', 'No admin endpoint at this path.'));
    const answer = consumersAnswer(ctx.current(), ctx.consumers, request.query as Record<string, string | undefined>, (ctx.clock ?? Date.now)());
    return 'problem' in answer ? sendProblem(reply, answer.problem) : reply.send(answer.body);
  });

  registerAdminPage(app, ctx);

  return app;
}
