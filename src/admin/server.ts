// The admin listener: separate from the proxy port and bound to loopback by default.
// /healthz and /readyz are open, for orchestrators' probes; everything else needs the
// bearer token when one is configured. Each capability registers its own endpoints.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ERR_ADMIN_NOT_FOUND } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';
import { registerCanaryAdmin } from '../canary/admin.js';
import { registerConsumersAdmin } from '../consumers/admin.js';
import { registerShadowAdmin } from '../shadow/admin.js';
import { registerAdminPage } from './page/register.js';
import { registerBaseAdmin } from './base.js';
import type { AdminContext } from './context.js';

export type { AdminContext, ReloadOutcome } from './context.js';

export async function buildAdminServer(ctx: AdminContext): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: ctx.logger, logController: new LogController({ disableRequestLogging: true }) });

  app.setNotFoundHandler((_request, reply) => {
    sendProblem(reply, problem(ERR_ADMIN_NOT_FOUND, 'No admin endpoint at this path.'));
  });

  registerBaseAdmin(app, {
    token: () => ctx.current().gateway.admin.token,
    readiness: () => ({ ready: ctx.ready() }),
    metrics: { contentType: ctx.metrics.registry.contentType, render: () => ctx.metrics.registry.metrics() },
    reload: async (reason) => {
      const outcome = await ctx.reload(reason);
      return outcome.result === 'refused' ? { refused: true, problems: outcome.problems ?? [] } : { refused: false, body: outcome };
    },
  });

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

  registerCanaryAdmin(app, ctx);
  registerShadowAdmin(app, ctx);
  registerConsumersAdmin(app, ctx);
  registerAdminPage(app, ctx);
  return app;
}
