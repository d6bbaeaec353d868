// The proxy listener. A request goes, in order:
//   1. to fastify, if it is for sundial's own endpoint on this port (the discovery document);
//   2. through decide(), which gives the whole verdict (stages 1-4, see decide.ts);
//   3. a rejection is answered with its problem and headers; a request to proxy goes to
//      forward.ts, which carries it to the upstream on undici's dispatcher and back.
// fastify is the shell for what is not the hot path (its routing, its error and not-found
// handlers, its client-error handling). The hot path is Node's HTTP server and undici
// directly: @fastify/reply-from cost about a third of the CPU of a proxied request, and
// carried behaviours a gateway must not have (it retried a GET 503 ten times).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Agent } from 'undici';
import type { CompiledConfig } from '../config/compiled.js';
import { ERR_BAD_REQUEST, ERR_INTERNAL, ERR_ROUTE_NOT_FOUND } from '../errors.js';
import type { FlagSource } from '../canary/flags/flag-source.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ConsumerTracker } from '../consumers/tracker.js';
import { discoveryDocument } from '../discovery/api-versions.js';
import { decide, type ProxyDecision, type RejectDecision } from './decide.js';
import { forwardTransformed, type TransformedForward } from './forward-transformed.js';
import { misfitObserver, type TransformObserver } from '../transform/proxy.js';
import { Deadlines } from './deadlines.js';
import { RequestView, UpstreamExchange, type ForwardContext } from './forward.js';
import { connectorSkipping100 } from './informational.js';
import { problem, sendProblem } from './problem.js';
import { writeProblem } from './raw-problem.js';
import { upstreamRequestHeaders } from './request-headers.js';
import { limitBody } from './body-limit.js';
import { bodyTooLargeProblem } from './upstream-errors.js';
import type { ShadowService } from '../shadow/service.js';

export interface ProxyServerContext {
  /** The config that new requests start on; swapped atomically on reload. */
  current(): CompiledConfig;
  clock(): number;
  metrics: GatewayMetrics;
  logger: FastifyBaseLogger;
  /** True once shutdown has begun: responses then close their connections. */
  draining(): boolean;
  /** The canary flag source; absent when no route has a canary. */
  flags(): FlagSource | undefined;
  /** Shadow traffic: mirrors and compares the versions that configure a shadow. */
  shadow?: ShadowService;
  /** Counts who calls deprecated versions and operations, after each response. */
  consumers?: ConsumerTracker;
}

/** Bodies up to this size are read whole before they go upstream (see bodyPlan). */
export const BUFFERED_BODY_BYTES = 64 * 1024;

export async function buildProxyServer(ctx: ProxyServerContext): Promise<FastifyInstance> {
  const initial = ctx.current();
  const upstreams = upstreamAgent(initial);
  const forward = forwardContext(ctx, upstreams);
  let shell: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

  const app = Fastify({
    loggerInstance: ctx.logger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: initial.gateway.trustProxy,
    return503OnClosing: true,
    genReqId: () => '',
    childLoggerFactory: (logger) => logger,
    serverFactory: (handler) => {
      shell = handler;
      return proxyListener(initial, (req, res) => handle(ctx, forward, shell, req, res));
    },
  });
  registerShell(app, ctx, initial);
  agents.set(app, upstreams);
  return app;
}

const agents = new WeakMap<FastifyInstance, Agent>();

/**
 * Closes the upstream connections of a proxy listener: after its server has closed, every
 * request is over, and keep-alive sockets must not hold the process past its drain.
 */
export async function closeUpstreams(app: FastifyInstance): Promise<void> {
  await agents
    .get(app)
    ?.destroy()
    .catch(() => undefined);
}

/** The Node HTTP server, with its own limits on slow clients (limits.*Timeout). */
function proxyListener(cfg: CompiledConfig, onRequest: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const limits = cfg.gateway.limits;
  const server = createServer(
    {
      // A client gets this long to send its request head, and its whole request; Node checks
      // both at connectionsCheckingInterval. Slow clients are then cut (408), and, as bodies up
      // to BUFFERED_BODY_BYTES are read whole first, never hold an upstream connection.
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeout / 4))),
      keepAliveTimeout: 72_000,
    },
    onRequest,
  );
  return server;
}

/** The connection pools to every upstream, one undici Agent for the listener. */
function upstreamAgent(cfg: CompiledConfig): Agent {
  const u = cfg.gateway.upstream;
  return new Agent({
    connections: u.connections,
    pipelining: 1,
    // Timeouts are enforced by forward.ts, precisely; undici's are off.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: connectorSkipping100({ timeout: u.connectTimeout }),
  });
}

function forwardContext(ctx: ProxyServerContext, dispatcher: Agent): ForwardContext {
  const { metrics, consumers } = ctx;
  return {
    dispatcher,
    deadlines: new Deadlines(),
    metrics,
    logger: ctx.logger,
    draining: ctx.draining,
    shadow: ctx.shadow,
    retryTokens: 10,
    finished(x: UpstreamExchange) {
      const d = x.decision;
      // A client that left before the response began is counted as nginx does, 499.
      const status = x.res.headersSent ? x.res.statusCode : 499;
      metrics.observeProxied(
        d.upstream,
        d.route.name,
        d.version.id,
        x.req.method!,
        status,
        d.arm,
        (performance.now() - x.started) / 1000,
        d.state === 'deprecated',
      );
      if (consumers?.enabled) consumers.observe(x.req as { url: string; headers: IncomingMessage['headers'] }, d, d.now);
    },
  };
}

function handle(
  ctx: ProxyServerContext,
  forward: ForwardContext,
  shell: (req: IncomingMessage, res: ServerResponse) => void,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const started = performance.now();
  const cfg = ctx.current();
  if (isDiscovery(cfg, req.url!)) return shell(req, res);

  const headers = upstreamRequestHeaders(req, '', cfg.gateway.trustProxy);
  if (headers === null) return rejectMalformed(ctx, req, res, started, 'The request carries more than one Host header.');

  const decision = decide(cfg, new RequestView(req, cfg.gateway.trustProxy), ctx.clock(), ctx.flags());
  if (decision.kind === 'reject') return reject(ctx, req, res, decision, started);

  const body = bodyPlan(req, cfg.gateway.limits.bodyLimit);
  if (body === 'too-large') {
    writeProblem(req, res, bodyTooLargeProblem(cfg.gateway.limits.bodyLimit), decision.headers, true);
    return observeRejected(ctx, req, res, decision, started);
  }
  if (decision.upstream.transform) {
    void forwardTransformed(transformedForward(ctx, forward, req, res, decision, started), cfg, req, res, decision, headers, body !== 'none');
    return;
  }
  new UpstreamExchange(forward, cfg, req, res, started).forward(decision, headers, body);
}

const observers = new WeakMap<ProxyServerContext, TransformObserver>();
/** Transform misfits are counted and logged (src/transform/proxy.ts). */
function observerOf(ctx: ProxyServerContext): TransformObserver {
  let o = observers.get(ctx);
  if (!o) observers.set(ctx, (o = misfitObserver(ctx.metrics, ctx.logger)));
  return o;
}

/** What the transformed path (forward-transformed.ts) needs of this listener. */
function transformedForward(
  ctx: ProxyServerContext,
  forward: ForwardContext,
  req: IncomingMessage,
  res: ServerResponse,
  d: ProxyDecision,
  started: number,
): TransformedForward {
  return {
    dispatcher: forward.dispatcher,
    observer: observerOf(ctx),
    draining: ctx.draining,
    finished(status) {
      ctx.metrics.observeProxied(
        d.upstream,
        d.route.name,
        d.version.id,
        req.method!,
        status,
        d.arm,
        (performance.now() - started) / 1000,
        d.state === 'deprecated',
      );
      if (ctx.consumers?.enabled) ctx.consumers.observe(req as { url: string; headers: IncomingMessage['headers'] }, d, d.now);
    },
  };
}

/**
 * How a request body goes upstream: none; read whole first, when it declares a length of
 * at most BUFFERED_BODY_BYTES, so a client that sends it slowly holds no upstream
 * connection while it does; or streamed, counted against the body limit as it flows.
 */
function bodyPlan(req: IncomingMessage, limit: number): 'none' | 'buffer' | 'too-large' | (NodeJS.ReadableStream & import('node:stream').Readable) {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (length === 0) return 'none';
    if (length > limit) return 'too-large';
    if (length <= BUFFERED_BODY_BYTES) return 'buffer';
    return req;
  }
  if (req.headers['transfer-encoding'] === undefined) return 'none';
  return limitBody(req, limit) as import('node:stream').Readable;
}

function isDiscovery(cfg: CompiledConfig, url: string): boolean {
  const d = cfg.gateway.discovery;
  if (!d.enabled || !url.startsWith(d.path)) return false;
  return url.length === d.path.length || url.charCodeAt(d.path.length) === 63; // '?'
}

function reject(ctx: ProxyServerContext, req: IncomingMessage, res: ServerResponse, d: RejectDecision, started: number): void {
  writeProblem(req, res, d.problem, d.headers, ctx.draining());
  observeRejected(ctx, req, res, d, started);
}

function observeRejected(
  ctx: ProxyServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  d: RejectDecision | { route?: undefined; version?: undefined; state?: undefined; now: number } | import('./decide.js').ProxyDecision,
  started: number,
): void {
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.observeRequest(d.route?.name ?? 'none', d.version?.id ?? 'none', req.method!, res.statusCode, 'none', seconds);
  if ((d.state === 'sunset' || d.state === 'brownout') && 'problem' in d) {
    ctx.metrics.lifecycleRejections.inc({ route: d.route!.name, version: d.version!.id, reason: d.state });
  }
  if (d.version && ctx.consumers?.enabled) ctx.consumers.observe(req as { url: string; headers: IncomingMessage['headers'] }, d as RejectDecision, d.now);
}

function rejectMalformed(ctx: ProxyServerContext, req: IncomingMessage, res: ServerResponse, started: number, detail: string): void {
  // A request this malformed may be an attempt to smuggle a second one: its connection goes.
  writeProblem(req, res, problem(ERR_BAD_REQUEST, detail), [], true);
  ctx.metrics.observeRequest('none', 'none', req.method!, 400, 'none', (performance.now() - started) / 1000);
}

/** fastify's part: the discovery document, and problems for what reaches fastify otherwise. */
function registerShell(app: FastifyInstance, ctx: ProxyServerContext, initial: CompiledConfig): void {
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, problem(ERR_ROUTE_NOT_FOUND, 'No route serves this path.'));
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    // A client's fault (fastify's 4xx errors, such as a malformed URL) is a bad request;
    // anything else is the gateway's own, and goes to its log.
    const clientFault = (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) || error instanceof URIError;
    if (clientFault) return sendProblem(reply, problem(ERR_BAD_REQUEST, error.message));
    request.log.error({ err: error }, 'unexpected error while handling a request');
    return sendProblem(reply, problem(ERR_INTERNAL, 'The gateway failed to handle the request; the error is in its log.'));
  });

  if (initial.gateway.discovery.enabled) {
    app.get(initial.gateway.discovery.path, (request, reply) => {
      reply.header('cache-control', 'public, max-age=60').send(discoveryDocument(ctx.current(), ctx.clock()));
    });
  }
}
