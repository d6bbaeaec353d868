// `sundial start --workers N`: a primary process that forks N gateway workers sharing the
// proxy port (node:cluster), and serves the admin API itself:
//   /metrics         every worker's metrics, aggregated (one scrape sees them all)
//   /healthz /readyz the cluster's health: ready when every worker listens
//   /admin/reload    reloads every worker, and reports each one's outcome
//   anything else    forwarded to the lead worker (index 0), which runs the canary
//                    controllers and keeps the reports
// A worker that dies unexpectedly is replaced.
import cluster, { type Worker } from 'node:cluster';
import Fastify from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import pino from 'pino';
import { request } from 'undici';
import { requireAdminToken } from '../admin/auth.js';
import type { ReloadOutcome } from '../admin/server.js';
import type { CompiledConfig } from '../config/compiled.js';
import { ERR_CONFIG_INVALID, ERR_NOT_READY } from '../errors.js';
import { problem, sendProblem } from '../gateway/problem.js';
import { isMessage, type ToPrimary, type ToWorker } from './messages.js';

export interface PrimaryOptions {
  config: CompiledConfig;
  workers: number;
  adminPort?: number;
  logLevel?: string;
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const log = pino({ level: options.logLevel ?? options.config.gateway.log.level, base: { service: 'sundial', role: 'primary' } });
  const token = options.config.gateway.admin.token;
  const aggregator = new AggregatorRegistry();
  // The kernel spreads connections over the workers' accept() calls, rather than the
  // primary accepting each one and passing it on.
  cluster.schedulingPolicy = cluster.SCHED_NONE;

  const byIndex = new Map<number, Worker>();
  const listening = new Map<number, { proxy: string; admin: string }>();
  let stopping = false;
  let reloadId = 0;
  const pendingReloads = new Map<number, { outcomes: ({ index: number } & ReloadOutcome)[]; expected: number; resolve: (o: ({ index: number } & ReloadOutcome)[]) => void }>();

  const fork = (index: number) => {
    const worker = cluster.fork({ SUNDIAL_WORKER_INDEX: String(index) });
    byIndex.set(index, worker);
    worker.on('message', (m: unknown) => {
      if (!isMessage<ToPrimary>(m)) return;
      if (m.type === 'sundial:listening') {
        listening.set(m.index, { proxy: m.proxy, admin: m.admin });
        if (listening.size === options.workers) log.info({ workers: options.workers, proxy: m.proxy }, 'sundial is serving');
      } else if (m.type === 'sundial:reloaded') {
        const pending = pendingReloads.get(m.id);
        if (!pending) return;
        pending.outcomes.push({ index: m.index, ...m.outcome });
        if (pending.outcomes.length === pending.expected) {
          pendingReloads.delete(m.id);
          pending.resolve(pending.outcomes);
        }
      }
    });
    worker.on('exit', (code, signal) => {
      listening.delete(index);
      if (byIndex.get(index) === worker) byIndex.delete(index);
      if (stopping) return;
      log.error({ index, code, signal }, 'worker died; starting a new one');
      setTimeout(() => { if (!stopping) fork(index); }, 500).unref();
    });
  };
  for (let i = 0; i < options.workers; i++) fork(i);

  const reloadAll = (reason: string): Promise<({ index: number } & ReloadOutcome)[]> => {
    const id = ++reloadId;
    const workers = [...byIndex.values()].filter((w) => w.isConnected());
    return new Promise((resolve) => {
      pendingReloads.set(id, { outcomes: [], expected: workers.length, resolve });
      for (const w of workers) w.send({ type: 'sundial:reload', id, reason } satisfies ToWorker);
      setTimeout(() => {
        const pending = pendingReloads.get(id);
        if (pending) {
          pendingReloads.delete(id);
          resolve(pending.outcomes);
        }
      }, 15_000).unref();
    });
  };

  const admin = Fastify({ logger: false });
  admin.removeAllContentTypeParsers();
  admin.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  admin.addHook('onRequest', requireAdminToken(() => token));
  admin.get('/healthz', async () => ({ status: 'ok', workers: byIndex.size }));
  admin.get('/readyz', async (_req, reply) => {
    const ready = !stopping && listening.size === options.workers;
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', listening: listening.size, workers: options.workers };
  });
  admin.get('/metrics', async (_req, reply) => {
    reply.header('content-type', aggregator.contentType);
    return aggregator.clusterMetrics();
  });
  admin.post('/admin/reload', async (_req, reply) => {
    const outcomes = await reloadAll('admin');
    const refused = outcomes.filter((o) => o.result === 'refused');
    if (refused.length) {
      return sendProblem(reply, problem(ERR_CONFIG_INVALID, 'The config on disk is invalid; the running config keeps serving.', { problems: refused[0].problems, workers: outcomes }));
    }
    return { result: outcomes.some((o) => o.result === 'applied') ? 'applied' : 'unchanged', workers: outcomes };
  });
  // Everything else is the lead worker's.
  admin.all('*', async (req, reply) => {
    const lead = listening.get(0);
    if (!lead?.admin) {
      return sendProblem(reply, problem(ERR_NOT_READY, 'The lead worker is not listening yet.'));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === 'string') headers[k] = v;
    const res = await request(`${lead.admin}${req.url}`, {
      method: req.method as 'GET',
      headers,
      body: Buffer.isBuffer(req.body) && req.body.length ? req.body : undefined,
    });
    reply.code(res.statusCode);
    for (const [k, v] of Object.entries(res.headers)) if (!HOP.has(k) && v !== undefined) reply.header(k, v);
    return reply.send(Buffer.from(await res.body.arrayBuffer()));
  });

  const g = options.config.gateway;
  const adminAddress = await admin.listen({ host: g.admin.host, port: options.adminPort ?? g.admin.port });
  log.info({ admin: adminAddress, workers: options.workers }, 'cluster admin listening');

  process.on('SIGHUP', () => {
    void reloadAll('SIGHUP').then((outcomes) => log.info({ outcomes: outcomes.map((o) => ({ index: o.index, result: o.result })) }, 'cluster reloaded'));
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping workers: draining in-flight requests');
      const workers = [...byIndex.values()];
      let left = workers.length;
      if (!left) return resolve();
      for (const w of workers) {
        w.once('exit', () => { if (--left === 0) resolve(); });
        if (w.isConnected()) w.send({ type: 'sundial:shutdown' } satisfies ToWorker);
        else w.kill('SIGTERM');
      }
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await admin.close();
  return 0;
}
