// Admin endpoints of the rollout controllers:
//   GET  /admin/canaries                                   every canary, its state and history
//   POST /admin/canaries/:route/:version/:action           pause | resume | promote | abort
//   POST /admin/canaries/:route/:version/set  {"percent": 40}
import type { FastifyInstance } from 'fastify';
import { OperatorError, type OperatorAction } from '../canary/controller.js';
import type { Rollouts } from '../canary/rollouts.js';
import { ERR_BAD_REQUEST, ERR_CANARY_NOT_FOUND } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';

const ACTIONS = new Set<OperatorAction>(['pause', 'resume', 'promote', 'abort', 'set']);

export function registerCanaryRoutes(app: FastifyInstance, rollouts: () => Rollouts): void {
  app.get('/admin/canaries', async () => ({ canaries: rollouts().list().map((c) => c.status()) }));

  app.post<{ Params: { route: string; version: string; action: string }; Body: { percent?: unknown } | undefined }>(
    '/admin/canaries/:route/:version/:action',
    async (request, reply) => {
      const { route, version, action } = request.params;
      const controller = rollouts().get(`${route}/${version}`);
      if (!controller) {
        return sendProblem(reply, problem(ERR_CANARY_NOT_FOUND, 404, 'canary-not-found', 'No such canary',
          `There is no canary on route "${route}" version "${version}". Known: ${rollouts().list().map((c) => c.key).join(', ') || 'none'}.`));
      }
      if (!ACTIONS.has(action as OperatorAction)) {
        return sendProblem(reply, problem(ERR_BAD_REQUEST, 400, 'bad-request', 'Unknown action', `"${action}" is not one of pause, resume, promote, abort, set.`));
      }
      const percent = request.body && typeof request.body === 'object' ? Number(request.body.percent) : undefined;
      try {
        await controller.act(action as OperatorAction, percent);
      } catch (err) {
        const conflict = err instanceof OperatorError;
        return sendProblem(reply, problem(ERR_BAD_REQUEST, conflict ? 409 : 502, conflict ? 'rollout-conflict' : 'flag-write-failed',
          conflict ? 'Cannot do that now' : 'Flag change failed', (err as Error).message));
      }
      return controller.status();
    },
  );
}
