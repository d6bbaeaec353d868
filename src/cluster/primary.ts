// `sundial start --workers N`: a primary process that forks N gateway workers sharing the
// proxy port (node:cluster), and serves the admin API itself:
//   /metrics         every worker's metrics, aggregated (one scrape sees them all)
//   /healthz /readyz the cluster's health: ready when every worker listens
//   /admin/reload    reloads every worker, and reports each one's outcome
//   anything else    forwarded to the lead worker (index 0), which runs the canary
//                    controllers and keeps the reports
// A worker that dies unexpectedly is replaced (workers.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { registerBaseAdmin, type ReloadAnswer } from '../admin/base.js';
import type { CompiledConfig } from '../config/compiled.js';
import { ERR_NOT_READY } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';
import { forwardToLead } from './forward.js';
import { ClusterMetrics } from './metrics.js';
import { Workers, type WorkerOutcome } from './workers.js';
import { registerClusterReports } from './reports.js';

export interface PrimaryOptions {
  config: CompiledConfig;
  workers: number;
  adminPort?: number;
  logLevel?: string;
}

/** The cluster's answer to a reload: refused when any worker refused, applied when any applied. */
export function clusterReloadAnswer(outcomes: WorkerOutcome[]): ReloadAnswer {
  const refused = outcomes.find((o) => o.result === 'refused');
  if (refused) return { refused: true, problems: refused.problems ?? [], extensions: { workers: outcomes } };
  return { refused: false, body: { result: outcomes.some((o) => o.result === 'applied') ? 'applied' : 'unchanged', workers: outcomes } };
}

function buildPrimaryAdmin(workers: Workers, token: () => string | undefined, metrics: ClusterMetrics): FastifyInstance {
  const admin = Fastify({ logger: false });
  // Bodies are forwarded to the lead as they are.
  admin.removeAllContentTypeParsers();
  admin.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerBaseAdmin(admin, {
    token,
    health: () => ({ workers: workers.alive }),
    readiness: () => ({ ready: workers.ready, detail: { listening: workers.listening, workers: workers.count } }),
    metrics,
    reload: async (reason) => clusterReloadAnswer(await workers.reload(reason)),
  });
  registerClusterReports(admin);
  // Everything else is the lead worker's.
  admin.all('*', async (req, reply) => {
    const lead = workers.leadAdmin();
    if (!lead) return sendProblem(reply, problem(ERR_NOT_READY, 'The lead worker is not listening yet.'));
    return forwardToLead(lead, req, reply);
  });
  return admin;
}

/** Resolves on the first SIGTERM or SIGINT, with its name. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const g = options.config.gateway;
  const log = pino({ level: options.logLevel ?? g.log.level, base: { service: 'sundial', role: 'primary' } });
  // The admin token the primary checks: the lead worker's, from each config it applies, so
  // a reload that rotates the token retires the old one on every endpoint at once.
  let token = g.admin.token;
  const workers = new Workers(options.workers, log, (m) => {
    if (m.index === 0) token = m.adminToken;
  });
  workers.start();

  const admin = buildPrimaryAdmin(workers, () => token, new ClusterMetrics({ processMetrics: g.metrics.processMetrics }));
  const adminAddress = await admin.listen({ host: g.admin.host, port: options.adminPort ?? g.admin.port });
  log.info({ admin: adminAddress, workers: options.workers }, 'cluster admin listening');

  process.on('SIGHUP', () => {
    void workers.reload('SIGHUP').then((outcomes) => log.info({ outcomes: outcomes.map((o) => ({ index: o.index, result: o.result })) }, 'cluster reloaded'));
  });
  const signal = await stopSignal();
  log.info({ signal }, 'stopping workers: draining in-flight requests');
  await workers.stop();
  await admin.close();
  return 0;
}
