// The admin listener: separate from the proxy port and bound to loopback by default.
// /healthz and /readyz are open, for orchestrators' probes; everything else needs the
// bearer token when one is configured.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ERR_ADMIN_NOT_FOUND, ERR_CONFIG_INVALID } from '../errors.js';
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
}

export async function buildAdminServer(ctx: AdminContext): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: ctx.logger, logController: new LogController({ disableRequestLogging: true }) });

  app.addHook('onRequest', requireAdminToken(() => ctx.current().gateway.admin.token));

  app.setNotFoundHandler((_request, reply) => {
    sendProblem(reply, problem(ERR_ADMIN_NOT_FOUND, 'No admin endpoint at this path.'));
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
      return sendProblem(reply, problem(ERR_CONFIG_INVALID, 'The config on disk is invalid; the running config keeps serving.', { problems: outcome.problems }));
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
    if (!ctx.consumers) return sendProblem(reply, problem(ERR_ADMIN_NOT_FOUND, 'No admin endpoint at this path.'));
    const answer = consumersAnswer(ctx.current(), ctx.consumers, request.query as Record<string, string | undefined>, (ctx.clock ?? Date.now)());
    return 'problem' in answer ? sendProblem(reply, answer.problem) : reply.send(answer.body);
  });

  return app;
}
