// The shadow report on the admin listener, behind its bearer token:
//   GET    /admin/shadow   every configured shadow's report, as JSON
//   DELETE /admin/shadow   clears the reports
// Without a shadow service (a gateway built without one) there are no such endpoints.
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin/context.js';

export function registerShadowAdmin(app: FastifyInstance, ctx: Pick<AdminContext, 'shadow'>): void {
  const shadow = ctx.shadow;
  if (!shadow) return;
  app.get('/admin/shadow', (_request, reply) => {
    reply.send(shadow.report());
  });
  app.delete('/admin/shadow', (_request, reply) => {
    shadow.reset();
    reply.send({ reset: true });
  });
}
