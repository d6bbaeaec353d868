// GET /admin/consumers?version=v1[&top=N]: who still calls a deprecated version, and each of
// its deprecated operations. Without `version`, a summary of every tracked version.
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin/context.js';
import type { CompiledConfig } from '../config/compiled.js';
import { ERR_ADMIN_NOT_FOUND, ERR_BAD_REQUEST, ERR_CONSUMERS_NOT_TRACKED, ERR_REPORT_VERSION_UNKNOWN } from '../errors.js';
import { problem, sendProblem, type Problem } from '../gateway/problem.js';
import type { ConsumerTracker } from './tracker.js';

export function consumersAnswer(cfg: CompiledConfig, tracker: ConsumerTracker, query: Record<string, string | undefined>, now: number): { problem: Problem } | { body: unknown } {
  if (!tracker.enabled) {
    return { problem: problem(ERR_CONSUMERS_NOT_TRACKED, 'Name how consumers are identified in config/gateway.yaml, such as consumers: { header: X-Client-Id }, then reload.') };
  }
  const top = query.top === undefined ? undefined : Number(query.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    return { problem: problem(ERR_BAD_REQUEST, '`top` must be a positive integer.') };
  }
  if (query.version === undefined || query.version === '') {
    return {
      body: {
        versions: [...cfg.versions.values()].map((v) => {
          const r = tracker.report(v, now, top ?? 10);
          return { version: r.version, state: r.state, tracked: r.tracked, requests: r.requests, top: r.consumers, operations: r.operations.map((o) => ({ operation: o.operation, requests: o.requests })) };
        }),
      },
    };
  }
  const id = cfg.versioning.aliases.get(query.version.toLowerCase());
  const version = id === undefined ? undefined : cfg.versions.get(id);
  if (!version) {
    return { problem: problem(ERR_REPORT_VERSION_UNKNOWN, `There is no API version "${query.version.slice(0, 64)}".`, { supportedVersions: cfg.versioning.supported }) };
  }
  return { body: tracker.report(version, now, top) };
}

export function registerConsumersAdmin(app: FastifyInstance, ctx: Pick<AdminContext, 'current' | 'consumers' | 'clock'>): void {
  app.get('/admin/consumers', (request, reply) => {
    if (!ctx.consumers) return sendProblem(reply, problem(ERR_ADMIN_NOT_FOUND, 'No admin endpoint at this path.'));
    const answer = consumersAnswer(ctx.current(), ctx.consumers, request.query as Record<string, string | undefined>, (ctx.clock ?? Date.now)());
    return 'problem' in answer ? sendProblem(reply, answer.problem) : reply.send(answer.body);
  });
}
