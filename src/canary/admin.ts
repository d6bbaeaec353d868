// Admin endpoints of the rollout controllers:
//   GET  /admin/canaries                                   every canary, its state and history
//   POST /admin/canaries/:route/:version/:action           pause | resume | promote | abort
//   POST /admin/canaries/:route/:version/set  {"percent": 40}
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin/context.js';
import { OperatorError, type OperatorAction } from './controller.js';
import { ERR_BAD_REQUEST, ERR_CANARY_NOT_FOUND, ERR_FLAG_WRITE_FAILED, ERR_ROLLOUT_CONFLICT } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';

const ACTIONS = new Set<OperatorAction>(['pause', 'resume', 'promote', 'abort', 'set']);

export function registerCanaryAdmin(app: FastifyInstance, ctx: Pick<AdminContext, 'rollouts'>): void {
  const rollouts = () => ctx.rollouts();
  app.get('/admin/canaries', async () => ({
    canaries: rollouts()
      .list()
      .map((c) => c.status()),
  }));

  app.post<{ Params: { route: string; version: string; action: string }; Body: { percent?: unknown } | undefined }>(
    '/admin/canaries/:route/:version/:action',
    async (request, reply) => {
      const { route, version, action } = request.params;
      const controller = rollouts().get(`${route}/${version}`);
      if (!controller) {
        return sendProblem(
          reply,
          problem(
            ERR_CANARY_NOT_FOUND,
            `There is no canary on route "${route}" version "${version}". Known: ${
              rollouts()
                .list()
                .map((c) => c.key)
                .join(', ') || 'none'
            }.`,
          ),
        );
      }
      if (!ACTIONS.has(action as OperatorAction)) {
        return sendProblem(reply, problem(ERR_BAD_REQUEST, `"${action}" is not one of pause, resume, promote, abort, set.`));
      }
      const percent = request.body && typeof request.body === 'object' ? Number(request.body.percent) : undefined;
      try {
        await controller.act(action as OperatorAction, percent);
      } catch (err) {
        // An operator error is a rollout in a state that refuses the action; anything else is the flag source failing.
        return sendProblem(reply, problem(err instanceof OperatorError ? ERR_ROLLOUT_CONFLICT : ERR_FLAG_WRITE_FAILED, (err as Error).message));
      }
      return controller.status();
    },
  );
}
