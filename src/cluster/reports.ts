// Whole-cluster reports for `sundial start --workers N`. Each worker keeps its own shadow
// comparisons, consumer sketches and request histogram, for its share of the traffic; the
// primary asks every worker over IPC and merges the answers:
//   GET    /admin/shadow     every worker's shadow reports, merged (src/shadow/merge.ts)
//   DELETE /admin/shadow     clears them on every worker
//   GET    /admin/consumers  every worker's sketches, merged (src/consumers/merge.ts)
//   GET    /admin/traffic    traffic of the last minutes, over every worker's histogram
import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { consumersBody, consumersQuery, type ConsumersQuery } from '../consumers/admin.js';
import { mergeConsumerReports } from '../consumers/merge.js';
import type { VersionConsumers } from '../consumers/tracker.js';
import type { Gateway } from '../gateway/gateway.js';
import { ERR_NOT_READY } from '../errors.js';
import { problem, sendProblem, type Problem } from '../gateway/problem.js';
import { registerTrafficAdmin } from '../metrics/traffic-admin.js';
import type { HistogramValue } from '../metrics/traffic.js';
import { mergeShadowDocuments } from '../shadow/merge.js';
import type { ShadowReportDocument } from '../shadow/service.js';
import { isMessage } from './messages.js';

type ReportKind = 'shadow' | 'shadow-reset' | 'consumers' | 'traffic';

interface ReportRequest {
  type: 'sundial:report';
  id: number;
  what: ReportKind;
  query?: Record<string, string | undefined>;
}

interface ReportAnswer {
  type: 'sundial:report-answer';
  id: number;
  index: number;
  answer: unknown;
}

type ConsumersAnswer = { problem: Problem } | { query: Pick<ConsumersQuery, 'summary' | 'top'>; reports: VersionConsumers[] };

/** How long the primary waits for a worker's answer before merging without it. */
const ANSWER_TIMEOUT_MS = 5_000;

/** In a worker: answers the primary's report requests from this worker's gateway. */
export function answerReportRequests(gateway: Gateway, index: number): void {
  process.on('message', (m: unknown) => {
    if (!isMessage<ReportRequest>(m) || m.type !== 'sundial:report') return;
    void answer(gateway, m).then(
      (value) => process.send?.({ type: 'sundial:report-answer', id: m.id, index, answer: value } satisfies ReportAnswer),
      () => process.send?.({ type: 'sundial:report-answer', id: m.id, index, answer: null } satisfies ReportAnswer),
    );
  });
}

async function answer(gateway: Gateway, m: ReportRequest): Promise<unknown> {
  switch (m.what) {
    case 'shadow':
      return gateway.shadow.report();
    case 'shadow-reset':
      gateway.shadow.reset();
      return { reset: true };
    case 'consumers': {
      const checked = consumersQuery(gateway.current, gateway.consumers, m.query ?? {});
      if ('problem' in checked) return checked;
      const now = Date.now();
      const { summary, top } = checked.query;
      return { query: { summary, top }, reports: checked.query.versions.map((v) => gateway.consumers.report(v, now)) } satisfies ConsumersAnswer;
    }
    case 'traffic':
      return (await gateway.metrics.requestDuration.get()).values;
  }
}

/** In the primary: asks every connected worker, and resolves with the answers that came. */
export function askWorkers(what: ReportKind, query?: Record<string, string | undefined>): Promise<{ index: number; answer: unknown }[]> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.isConnected());
  const id = ++lastId;
  return new Promise((resolve) => {
    const answers: { index: number; answer: unknown }[] = [];
    const done = () => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(answers.sort((a, b) => a.index - b.index));
    };
    const timer = setTimeout(done, ANSWER_TIMEOUT_MS);
    timer.unref();
    pending.set(id, (a) => {
      answers.push({ index: a.index, answer: a.answer });
      if (answers.length === workers.length) done();
    });
    if (!workers.length) return done();
    for (const w of workers) w.send({ type: 'sundial:report', id, what, query } satisfies ReportRequest);
  });
}

let lastId = 0;
const pending = new Map<number, (a: ReportAnswer) => void>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  cluster.on('message', (_worker, m: unknown) => {
    if (isMessage<ReportAnswer>(m) && m.type === 'sundial:report-answer') pending.get(m.id)?.(m);
  });
}

/** In the primary: the merged report endpoints, on its admin listener. */
export function registerClusterReports(admin: FastifyInstance): void {
  listen();
  admin.get('/admin/shadow', async () => {
    const answers = await askWorkers('shadow');
    return mergeShadowDocuments(answers.map((a) => a.answer).filter((a): a is ShadowReportDocument => !!a));
  });
  admin.delete('/admin/shadow', async () => {
    const answers = await askWorkers('shadow-reset');
    return { reset: true, workers: answers.length };
  });
  admin.get('/admin/consumers', async (request, reply) => {
    const answers = (await askWorkers('consumers', request.query as Record<string, string | undefined>))
      .map((a) => a.answer as ConsumersAnswer | null)
      .filter((a): a is ConsumersAnswer => !!a);
    const refused = answers.find((a): a is { problem: Problem } => 'problem' in a);
    if (refused) return sendProblem(reply, refused.problem);
    const reports = answers.filter((a): a is Extract<ConsumersAnswer, { reports: unknown }> => 'reports' in a);
    if (!reports.length) return sendProblem(reply, problem(ERR_NOT_READY, 'No worker answered.'));
    return consumersBody(reports[0].query, mergeConsumerReports(reports.map((r) => r.reports)));
  });
  registerTrafficAdmin(admin, async () => {
    const answers = await askWorkers('traffic');
    return answers.flatMap((a) => (Array.isArray(a.answer) ? (a.answer as HistogramValue[]) : []));
  });
}
