// The proxy listener: fastify as a thin shell that carries each request through decide()
// and then either answers with its problem or forwards it with @fastify/reply-from.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import replyFrom from '@fastify/reply-from';
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledConfig, CompiledUpstream } from '../config/compiled.js';
import { ERR_BAD_REQUEST } from '../errors.js';
import type { FlagSource } from '../canary/flags/flag-source.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ConsumerTracker } from '../consumers/tracker.js';
import { discoveryDocument } from '../discovery/api-versions.js';
import { limitBody } from './body-limit.js';
import { decide, lifecycleResponseHeaders, type Decision, type ProxyDecision } from './decide.js';
import { stripHopByHop } from './hop-by-hop.js';
import { problem, sendProblem } from './problem.js';
import { bodyTooLargeProblem, classifyUpstreamError, upstreamProblem } from './upstream-errors.js';
import type { PrimaryResponse, ShadowExchange } from '../shadow/exchange.js';
import type { ShadowService } from '../shadow/service.js';
import { answerResponse, applyAnswerHeaders, misfitObserver, prepareRequest } from '../transform/proxy.js';

declare module 'fastify' {
  interface FastifyRequest {
    sundialConfig: CompiledConfig;
    sundialDecision: Decision | null;
    sundialShadow: ShadowExchange | null;
  }
}

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

type ReplyFromOptions = NonNullable<Parameters<FastifyReply['from']>[1]>;

export async function buildProxyServer(ctx: ProxyServerContext): Promise<FastifyInstance> {
  const initial = ctx.current();
  const app = Fastify({
    loggerInstance: ctx.logger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: initial.gateway.trustProxy,
    return503OnClosing: true,
    // Request ids are not needed on the hot path; upstreams see X-Forwarded-* instead. Nor
    // is a child logger per request (fastify's default), which costs an allocation each.
    genReqId: () => '',
    childLoggerFactory: (logger) => logger,
    bodyLimit: initial.gateway.limits.bodyLimit,
  });

  await app.register(replyFrom, {
    undici: {
      connections: initial.gateway.upstream.connections,
      pipelining: 1,
      connect: { timeout: initial.gateway.upstream.connectTimeout },
      headersTimeout: initial.gateway.upstream.timeout,
      bodyTimeout: initial.gateway.upstream.timeout,
    },
    disableRequestLogging: true,
    cacheURLs: 0,
  });

  app.decorateRequest('sundialConfig', null as unknown as CompiledConfig);
  app.decorateRequest('sundialDecision', null);
  app.decorateRequest('sundialShadow', null);

  // Bodies are streamed to the upstream as they arrive, never parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', function passThrough(request, payload, done) {
    try {
      done(null, limitBody(payload, configOf(request).gateway.limits.bodyLimit));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // A request is served by the config that was current when it arrived, even if a reload
  // lands while it is in flight. It is captured at the first stage that needs it (the body
  // parser, else the handler), which both run as the request arrives; a hook of its own
  // would cost every request a hook run.
  function configOf(request: FastifyRequest): CompiledConfig {
    return request.sundialConfig ?? (request.sundialConfig = ctx.current());
  }

  app.addHook('onResponse', (request, reply, done) => {
    const d = request.sundialDecision;
    const seconds = reply.elapsedTime / 1000;
    if (!d) {
      ctx.metrics.observeRequest('none', 'none', request.method, reply.statusCode, 'none', seconds);
    } else if (d.kind === 'proxy') {
      ctx.metrics.observeProxied(d.upstream, d.route.name, d.version.id, request.method, reply.statusCode, d.arm, seconds, d.state === 'deprecated');
    } else {
      ctx.metrics.observeRequest(d.route?.name ?? 'none', d.version?.id ?? 'none', request.method, reply.statusCode, 'none', seconds);
      if (d.state === 'sunset' || d.state === 'brownout') {
        ctx.metrics.lifecycleRejections.inc({ route: d.route!.name, version: d.version!.id, reason: d.state });
      }
    }
    if (d && ctx.consumers?.enabled) ctx.consumers.observe(request.raw as { url: string; headers: IncomingHttpHeaders }, d, ctx.clock());
    done();
  });

  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, problem(ERR_BAD_REQUEST, 404, 'not-found', 'Not Found', 'No route serves this path.'));
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'SUNDIAL_ERR_BODY_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, bodyTooLargeProblem(configOf(request).gateway.limits.bodyLimit));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode
      : error instanceof URIError ? 400 : 500;
    if (status >= 500) request.log.error({ err: error }, 'unexpected error while handling a request');
    const detail = status < 500 ? error.message : 'The gateway failed to handle the request; the error is in its log.';
    return sendProblem(reply, problem(ERR_BAD_REQUEST, status, status < 500 ? 'bad-request' : 'internal-error',
      status < 500 ? 'Bad Request' : 'Internal Server Error', detail, { code: status < 500 ? error.code ?? ERR_BAD_REQUEST.code : 'SUNDIAL_ERR_INTERNAL' }));
  });

  const discoveryPath = initial.gateway.discovery.enabled ? initial.gateway.discovery.path : undefined;
  if (discoveryPath) {
    app.get(discoveryPath, (request, reply) => {
      reply.header('cache-control', 'public, max-age=60').send(discoveryDocument(configOf(request), ctx.clock()));
    });
  }

  // Per-upstream reply-from options are built once per compiled upstream and reused.
  const proxyOptions = new WeakMap<CompiledUpstream, ReplyFromOptions>();
  const optionsFor = (cfg: CompiledConfig, upstream: CompiledUpstream): ReplyFromOptions => {
    let opts = proxyOptions.get(upstream);
    if (!opts) {
      // reply-from types its hooks for http2 as well; this listener is HTTP/1 only.
      opts = {
        timeout: upstream.timeout ?? cfg.gateway.upstream.timeout,
        rewriteRequestHeaders: forwardRequestHeaders,
        rewriteHeaders: decorateResponseHeaders,
        onError: upstreamFailed,
        onResponse: upstream.shadow ? sendTeed : undefined,
      } as unknown as ReplyFromOptions;
      proxyOptions.set(upstream, opts);
    }
    return opts;
  };

  function forwardRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
    stripHopByHop(headers as Record<string, unknown>);
    const remote = request.raw.socket.remoteAddress ?? '';
    const prior = headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${prior}, ${remote}` : remote;
    if (!headers['x-forwarded-proto'] || !request.sundialConfig.gateway.trustProxy) headers['x-forwarded-proto'] = request.protocol;
    if (!headers['x-forwarded-host'] || !request.sundialConfig.gateway.trustProxy) {
      if (request.headers.host) headers['x-forwarded-host'] = request.headers.host;
    }
    request.sundialShadow?.forwardedHeaders(headers);
    return headers;
  }

  function decorateResponseHeaders(headers: Record<string, unknown>, request: FastifyRequest): Record<string, unknown> {
    stripHopByHop(headers);
    const d = request.sundialDecision as ProxyDecision;
    if (d.canary?.armHeader) headers['sundial-arm'] = d.arm;
    if (d.version.headers.deprecation || d.version.headers.sunset || d.operation) {
      const lifecycle = lifecycleResponseHeaders(request.sundialConfig, d);
      const upstreamLink = headers.link;
      Object.assign(headers, lifecycle);
      if (upstreamLink && lifecycle.link) headers.link = `${upstreamLink}, ${lifecycle.link}`;
      else if (upstreamLink) headers.link = upstreamLink;
    }
    // While draining, each response tells its client to close the connection, so keep-alive
    // clients move to another replica instead of reusing a socket that is about to go.
    if (ctx.draining()) headers.connection = 'close';
    return headers;
  }

  // For a shadowed version: the primary's answer goes to the client through the exchange's
  // tee, which keeps a capped copy for the comparison.
  function sendTeed(request: FastifyRequest, reply: FastifyReply, res: PrimaryResponse): void {
    reply.send(request.sundialShadow ? request.sundialShadow.primaryResponse(res) : res.stream);
  }

  function upstreamFailed(reply: FastifyReply, { error }: { error: Error }): void {
    const request = reply.request;
    const d = request.sundialDecision as ProxyDecision;
    const kind = classifyUpstreamError(error);
    if (kind === 'body-too-large') {
      sendProblem(reply.header('connection', 'close'), bodyTooLargeProblem(request.sundialConfig.gateway.limits.bodyLimit));
      return;
    }
    ctx.metrics.upstreamErrors.inc({ route: d.route.name, version: d.version.id, arm: d.arm, kind });
    request.log.warn({ err: error, route: d.route.name, version: d.version.id, arm: d.arm, kind }, 'upstream request failed');
    if (d.canary?.armHeader) reply.header('sundial-arm', d.arm);
    sendProblem(reply, upstreamProblem(kind, `${d.route.name} ${d.version.id}${d.arm === 'canary' ? ' (canary)' : ''}`));
  }

  // Versions served from a successor's upstream through transforms (src/transform/proxy.ts):
  // the request is rewritten on its way up, the answer on its way back.
  const transformObserver = misfitObserver(ctx.metrics, ctx.logger);
  const GATEWAY_HEADERS = new Set(['deprecation', 'sunset', 'link', 'sundial-arm', 'connection']);
  async function proxyTransformed(request: FastifyRequest, reply: FastifyReply, d: ProxyDecision, cfg: CompiledConfig): Promise<FastifyReply> {
    const chain = d.upstream.transform!;
    const prepared = await prepareRequest(chain, { method: request.method, forwardPath: d.forwardPath, query: d.query, headers: request.headers, body: request.body }, transformObserver);
    if (!prepared.ok) return sendProblem(reply, prepared.problem);
    const up = prepared.request;
    const opts = {
      ...optionsFor(cfg, d.upstream),
      ...(up.body ? { body: up.body, contentType: String(up.headers['content-type'] ?? 'application/json') } : {}),
      rewriteRequestHeaders: (req: FastifyRequest, headers: IncomingHttpHeaders) => forwardRequestHeaders(req, { ...(up.headers as IncomingHttpHeaders), host: headers.host }),
      onResponse: (req: FastifyRequest, rep: FastifyReply, res: PrimaryResponse) => {
        answerResponse(chain, up.plan, req.method, res, transformObserver).then((answer) => {
          applyAnswerHeaders(rep, res.headers, answer, GATEWAY_HEADERS);
          if (answer.kind === 'problem') sendProblem(rep, answer.problem);
          else rep.send(answer.body);
        }, (error: Error) => upstreamFailed(rep, { error }));
      },
    } as unknown as ReplyFromOptions;
    return reply.from(d.upstream.base + up.pathAndQuery, opts);
  }

  app.all('*', (request, reply) => {
    const cfg = configOf(request);
    // The fastify request has the raw method, url and headers, and computes ip only when read.
    const decision = decide(cfg, request, ctx.clock(), ctx.flags());
    request.sundialDecision = decision;
    if (decision.kind === 'reject') {
      if (decision.headers) reply.headers(decision.headers);
      if (ctx.draining()) reply.header('connection', 'close');
      return sendProblem(reply, decision.problem);
    }
    if (decision.upstream.transform) return proxyTransformed(request, reply, decision, cfg);
    if (decision.upstream.shadow && ctx.shadow) {
      const exchange = ctx.shadow.admit(decision, request.raw as { method: string; url: string; headers: IncomingHttpHeaders }, request.body, reply.raw);
      if (exchange?.body) request.body = exchange.body;
      request.sundialShadow = exchange;
    }
    return reply.from(decision.target, optionsFor(cfg, decision.upstream));
  });

  return app;
}

