// The shadow report on the admin listener, behind its bearer token:
//   GET    /admin/shadow   every configured shadow's report, as JSON
//   DELETE /admin/shadow   clears the reports
import type { FastifyInstance } from 'fastify';
import type { ShadowService } from './service.js';

export function registerShadowAdmin(app: FastifyInstance, shadow: ShadowService): void {
  app.get('/admin/shadow', (_request, reply) => {
    reply.send(shadow.report());
  });
  app.delete('/admin/shadow', (_request, reply) => {
    shadow.reset();
    reply.send({ reset: true });
  });
}
