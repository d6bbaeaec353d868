// GET /admin/consumers?version=v1[&top=N]: who still calls a deprecated version, and each of
// its deprecated operations. Without `version`, a summary of every tracked version.
// The answer is built in two steps, so a cluster can merge its workers' reports in between:
// consumersQuery() checks the query and names the versions; consumersBody() shapes their
// (whole, possibly merged) reports into the answer.
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin/context.js';
import type { CompiledConfig, CompiledVersion } from '../config/compiled.js';
import { ERR_ADMIN_NOT_FOUND, ERR_BAD_REQUEST, ERR_CONSUMERS_NOT_TRACKED, ERR_REPORT_VERSION_UNKNOWN } from '../errors.js';
import { problem, sendProblem, type Problem } from '../gateway/problem.js';
import { limitConsumers } from './merge.js';
import type { ConsumerTracker, VersionConsumers } from './tracker.js';

export interface ConsumersQuery {
  /** No version named: a summary of every version. */
  summary: boolean;
  top?: number;
  versions: CompiledVersion[];
}

const SUMMARY_TOP = 10;

export function consumersQuery(
  cfg: CompiledConfig,
  tracker: Pick<ConsumerTracker, 'enabled'>,
  query: Record<string, string | undefined>,
): { problem: Problem } | { query: ConsumersQuery } {
  if (!tracker.enabled) {
    return {
      problem: problem(
        ERR_CONSUMERS_NOT_TRACKED,
        'Name how consumers are identified in config/gateway.yaml, such as consumers: { header: X-Client-Id }, then reload.',
      ),
    };
  }
  const top = query.top === undefined ? undefined : Number(query.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    return { problem: problem(ERR_BAD_REQUEST, '`top` must be a positive integer.') };
  }
  if (query.version === undefined || query.version === '') {
    return { query: { summary: true, top, versions: [...cfg.versions.values()] } };
  }
  const id = cfg.versioning.aliases.get(query.version.toLowerCase());
  const version = id === undefined ? undefined : cfg.versions.get(id);
  if (!version) {
    return {
      problem: problem(ERR_REPORT_VERSION_UNKNOWN, `There is no API version "${query.version.slice(0, 64)}".`, { supportedVersions: cfg.versioning.supported }),
    };
  }
  return { query: { summary: false, top, versions: [version] } };
}

/** The answer from the versions' whole reports, in the query's order. */
export function consumersBody(q: Pick<ConsumersQuery, 'summary' | 'top'>, reports: readonly VersionConsumers[]): unknown {
  if (!q.summary) return limitConsumers(reports[0], q.top);
  const top = q.top ?? SUMMARY_TOP;
  return {
    versions: reports.map((r) => ({
      version: r.version,
      state: r.state,
      tracked: r.tracked,
      requests: r.requests,
      top: r.consumers.slice(0, top),
      operations: r.operations.map((o) => ({ operation: o.operation, requests: o.requests })),
    })),
  };
}

export function consumersAnswer(
  cfg: CompiledConfig,
  tracker: ConsumerTracker,
  query: Record<string, string | undefined>,
  now: number,
): { problem: Problem } | { body: unknown } {
  const checked = consumersQuery(cfg, tracker, query);
  if ('problem' in checked) return checked;
  return {
    body: consumersBody(
      checked.query,
      checked.query.versions.map((v) => tracker.report(v, now)),
    ),
  };
}

export function registerConsumersAdmin(app: FastifyInstance, ctx: Pick<AdminContext, 'current' | 'consumers' | 'clock'>): void {
  app.get('/admin/consumers', (request, reply) => {
    if (!ctx.consumers) return sendProblem(reply, problem(ERR_ADMIN_NOT_FOUND, 'No admin endpoint at this path.'));
    const answer = consumersAnswer(ctx.current(), ctx.consumers, request.query as Record<string, string | undefined>, (ctx.clock ?? Date.now)());
    return 'problem' in answer ? sendProblem(reply, answer.problem) : reply.send(answer.body);
  });
}
