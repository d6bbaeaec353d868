// Stage 5, the proxy: one request's trip to its upstream and back, on undici's dispatcher
// API. One object per request is at once undici's request options and its handler, so the
// hot path makes no closures and no option objects; the request headers are built in one
// pass (request-headers.ts), the response headers in another (response-headers.ts).
//
// What a client can count on, and why it holds here:
// - The timeout is this gateway's own (deadlines.ts), not undici's 500 ms-grained timers:
//   `timeout` bounds the wait for the response head, and then each silence in its body.
// - The response head is written to the client only with the first body byte (or the end),
//   so an upstream that fails after its head (an invalid chunk, say) still gets the client
//   a clean 502 rather than a cut response.
// - A client that leaves aborts its upstream request at once, which frees the connection.
// - Nothing is retried unless configured (upstream.retries), and then only idempotent
//   requests whose body can be sent again, within a budget. The one retry that is always
//   on: an idempotent request whose connection failed before any byte of a response (an
//   upstream closing a keep-alive socket as the request went out) is sent once more on a
//   connection of its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Client, type Dispatcher } from 'undici';
import type { CompiledConfig } from '../config/compiled.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ShadowExchange } from '../shadow/exchange.js';
import type { ShadowService } from '../shadow/service.js';
import type { GatewayRequest, ProxyDecision } from './decide.js';
import type { Deadlines, Expirable } from './deadlines.js';
import { writeProblem } from './raw-problem.js';
import { clientResponseHeaders } from './response-headers.js';
import { bodyTooLargeProblem, classifyUpstreamError, upstreamProblem } from './upstream-errors.js';
import { clientAddress } from './request-headers.js';
import { isIdempotent } from './idempotent.js';
import { targetOf } from './upstream-target.js';

export interface RetryPolicy {
  attempts: number;
  statuses: ReadonlySet<number>;
  maxDelay: number;
  budget: number;
}

const policies = new WeakMap<object, RetryPolicy>();
/** The configured retry policy, built once per loaded config. */
export function retryPolicyOf(cfg: CompiledConfig): RetryPolicy {
  const r = cfg.gateway.upstream.retries;
  let p = policies.get(r);
  if (!p) {
    p = { attempts: r.attempts, statuses: new Set(r.statuses), maxDelay: r.maxDelay, budget: r.budget };
    policies.set(r, p);
  }
  return p;
}

/** What every request of one listener shares. */
export interface ForwardContext {
  dispatcher: Dispatcher;
  deadlines: Deadlines;
  metrics: GatewayMetrics;
  logger: { warn(obj: object, msg: string): void };
  draining(): boolean;
  shadow?: ShadowService;
  /** Called once per request when its response is over (sent, failed or abandoned). */
  finished(x: UpstreamExchange): void;
  /** Retries left in the budget: each request adds `budget`, each retry spends 1. */
  retryTokens: number;
}

const RETRY_TOKEN_CAP = 10;

class UpstreamTimeout extends Error {
  readonly code = 'SUNDIAL_UPSTREAM_TIMEOUT';
}
class RetryAfterStatus extends Error {
  readonly code = 'SUNDIAL_RETRY';
}
class ClientGone extends Error {
  readonly code = 'SUNDIAL_CLIENT_GONE';
}

const kExchange = Symbol('sundial.exchange');
type WithExchange = { [kExchange]?: UpstreamExchange };

/** The request as decide() reads it; the client address is looked up only if a canary asks. */
export class RequestView implements GatewayRequest {
  constructor(
    private readonly req: IncomingMessage,
    private readonly trustProxy: boolean,
  ) {}
  get method(): string {
    return this.req.method!;
  }
  get url(): string {
    return this.req.url!;
  }
  get headers(): IncomingMessage['headers'] {
    return this.req.headers;
  }
  get ip(): string | undefined {
    return clientAddress(this.req, this.trustProxy);
  }
}

export class UpstreamExchange implements Dispatcher.DispatchHandler, Expirable {
  // undici's request options: this object is passed as both options and handler.
  origin = '';
  path = '';
  readonly method: Dispatcher.HttpMethod;
  headers: string[] = [];
  body: Buffer | Readable | null = null;

  // Expirable
  deadline = 0;
  pending = true;

  /** When the request arrived (performance.now()), for its duration. */
  readonly started: number;
  decision!: ProxyDecision;
  private timeout = 0;
  private retry!: RetryPolicy;
  private shadow: ShadowExchange | null = null;
  private bodyChunks: Buffer[] | null = null;
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private status = 0;
  private upstreamHeaders: Buffer[] | undefined;
  private headWritten = false;
  private receiving = false;
  private chunks = 0;
  private chunksAtCheck = 0;
  private attempt = 0;
  private fresh = false;
  private retryDelay = 0;

  constructor(
    private readonly ctx: ForwardContext,
    private readonly cfg: CompiledConfig,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    started: number,
  ) {
    this.method = req.method as Dispatcher.HttpMethod;
    this.started = started;
  }

  /**
   * Sends the request upstream as `decision` says, with `headers` (request-headers.ts)
   * and the body: none, read whole (`bufferBody`), or streamed.
   */
  forward(decision: ProxyDecision, headers: string[], body: 'none' | 'buffer' | Readable): void {
    this.decision = decision;
    const chosen = decision.upstream;
    const target = targetOf(chosen);
    this.origin = target.origin;
    this.path = decision.query ? `${target.basePath}${decision.forwardPath}?${decision.query}` : `${target.basePath}${decision.forwardPath}`;
    headers[1] = target.host;
    this.headers = headers;
    this.timeout = chosen.timeout ?? this.cfg.gateway.upstream.timeout;
    this.retry = retryPolicyOf(this.cfg);
    (this.res as WithExchange)[kExchange] = this;
    this.res.once('close', onClientClose);
    if (body === 'buffer') {
      (this.req as WithExchange)[kExchange] = this;
      this.bodyChunks = [];
      this.req.on('data', onBodyChunk);
      this.req.once('end', onBodyEnd);
      return;
    }
    this.start(body === 'none' ? null : body);
  }

  bodyChunk(chunk: Buffer): void {
    this.bodyChunks?.push(chunk);
  }

  bodyEnd(): void {
    const chunks = this.bodyChunks ?? [];
    this.bodyChunks = null;
    this.start(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  private start(body: Buffer | Readable | null): void {
    if (!this.pending) return; // the client left while its body was read
    const d = this.decision;
    if (d.upstream.shadow && this.ctx.shadow) {
      const shadow = this.ctx.shadow.admit(d, this.req as { method: string; url: string; headers: IncomingMessage['headers'] }, body ?? undefined);
      if (shadow) {
        if (shadow.body && !Buffer.isBuffer(body)) body = shadow.body as Readable;
        shadow.forwardedHeaders(this.headers);
        this.shadow = shadow;
      }
    }
    this.body = body;
    this.ctx.retryTokens = Math.min(RETRY_TOKEN_CAP, this.ctx.retryTokens + this.retry.budget);
    this.send();
  }

  private send(): void {
    // The upstream cannot be expected to answer before it has the whole request: for a
    // streamed body the clock starts once it is sent (the client's own pace is bounded by
    // limits.requestTimeout); otherwise it starts now, connecting and queueing included.
    if (this.body === null || Buffer.isBuffer(this.body)) this.ctx.deadlines.track(this, this.timeout);
    if (this.fresh) {
      // A connection of its own, closed once this request is done.
      const client = new Client(this.origin, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
      client.dispatch(this, this);
      void client.close().catch(() => undefined);
    } else {
      this.ctx.dispatcher.dispatch(this, this);
    }
  }

  // --- undici's handler -------------------------------------------------------------

  onConnect(abort: (err?: Error) => void): void {
    if (!this.pending) return abort(new ClientGone());
    this.abortUpstream = abort;
  }

  onRequestSent(): void {
    if (this.pending && this.body !== null && !Buffer.isBuffer(this.body)) this.ctx.deadlines.track(this, this.timeout);
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // other 1xx: informational, skipped
    if (!this.pending) return false;
    if (this.shouldRetryStatus(statusCode, headers)) {
      this.abortUpstream?.(new RetryAfterStatus());
      return false;
    }
    this.receiveResponse(statusCode, headers, resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.pending) return false;
    this.chunks++;
    if (!this.headWritten) this.writeHead();
    this.shadow?.primaryData(chunk);
    const more = this.res.write(chunk);
    if (!more) this.res.once('drain', onClientDrain);
    return more;
  }

  onComplete(): void {
    if (!this.pending) return;
    this.pending = false;
    if (!this.headWritten) this.writeHead();
    this.shadow?.primaryEnd();
    this.res.end();
  }

  onError(err: Error): void {
    if (!this.pending) return;
    if (err instanceof RetryAfterStatus) return this.retryLater();
    if (!this.headWritten && this.mayResendAfter(err)) {
      // Reused connection failed before any byte of a response: once more, on a new one.
      this.fresh = true;
      this.attempt++;
      this.abortUpstream = undefined;
      return this.send();
    }
    this.pending = false;
    this.failed(err);
  }

  // --- the response -----------------------------------------------------------------

  /**
   * The upstream's response head has arrived: this is where a response is received, before
   * anything goes to the client. The head is kept until the first body byte.
   */
  private receiveResponse(statusCode: number, headers: Buffer[], resume: () => void): void {
    this.status = statusCode;
    this.upstreamHeaders = headers;
    this.resumeUpstream = resume;
    this.receiving = true;
    // From here the timeout is the longest silence within the body.
    this.ctx.deadlines.track(this, this.timeout);
    this.shadow?.primaryStart(statusCode, headers);
  }

  private writeHead(): void {
    this.headWritten = true;
    this.res.writeHead(this.status, clientResponseHeaders(this.upstreamHeaders!, this.decision.headers, this.ctx.draining()));
  }

  /** The upstream's clock ran out: before the head it is a 504, within the body a cut. */
  expire(now: number): void {
    if (this.receiving && this.chunks !== this.chunksAtCheck) {
      this.chunksAtCheck = this.chunks;
      this.ctx.deadlines.track(this, this.timeout, now);
      return;
    }
    this.pending = false;
    this.abortUpstream?.(new UpstreamTimeout());
    this.failed(new UpstreamTimeout());
  }

  resumeAfterDrain(): void {
    this.resumeUpstream?.();
  }

  finishedWith(): void {
    this.ctx.finished(this);
    // The client's response is flushed (or abandoned): only now may shadow work begin.
    this.shadow?.responseClosed();
  }

  clientLeft(): void {
    if (!this.pending) return;
    this.pending = false;
    this.abortUpstream?.(new ClientGone());
  }

  private failed(err: Error): void {
    const d = this.decision;
    const res = this.res;
    if (this.headWritten || res.headersSent) {
      // Part of the response went out: the client must see it cut, not complete.
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    const kind = classifyUpstreamError(err);
    if (kind === 'body-too-large') {
      writeProblem(this.req, res, bodyTooLargeProblem(this.cfg.gateway.limits.bodyLimit), d.headers, true);
      return;
    }
    this.ctx.metrics.upstreamErrors.inc({ route: d.route.name, version: d.version.id, arm: d.arm, kind });
    this.ctx.logger.warn({ err, route: d.route.name, version: d.version.id, arm: d.arm, kind }, 'upstream request failed');
    writeProblem(
      this.req,
      res,
      upstreamProblem(kind, `${d.route.name} ${d.version.id}${d.arm === 'canary' ? ' (canary)' : ''}`),
      d.headers,
      this.ctx.draining(),
    );
  }

  // --- retries ----------------------------------------------------------------------

  private replayable(): boolean {
    return isIdempotent(this.method) && (this.body === null || Buffer.isBuffer(this.body));
  }

  private mayResendAfter(err: Error): boolean {
    if (this.attempt > 0 || this.fresh || this.status !== 0 || !this.replayable()) return false;
    return classifyUpstreamError(err) === 'reset';
  }

  private shouldRetryStatus(statusCode: number, headers: Buffer[]): boolean {
    const r = this.retry;
    if (r.attempts === 0 || this.attempt >= r.attempts || !r.statuses.has(statusCode) || !this.replayable()) return false;
    const delay = retryAfterMs(headers, this.decision.now);
    if (delay > r.maxDelay) return false; // the upstream asked for longer than we would wait
    if (this.ctx.retryTokens < 1) return false;
    this.ctx.retryTokens -= 1;
    this.retryDelay = delay;
    return true;
  }

  private retryLater(): void {
    this.attempt++;
    this.abortUpstream = undefined;
    if (this.retryDelay > 0) setTimeout(resendLater, this.retryDelay, this).unref();
    else this.send();
  }

  resend(): void {
    if (this.pending) this.send();
  }
}

function resendLater(x: UpstreamExchange): void {
  x.resend();
}

function onClientClose(this: ServerResponse): void {
  const x = (this as WithExchange)[kExchange];
  if (!x) return;
  x.clientLeft();
  x.finishedWith();
}

function onBodyChunk(this: IncomingMessage, chunk: Buffer): void {
  (this as WithExchange)[kExchange]?.bodyChunk(chunk);
}

function onBodyEnd(this: IncomingMessage): void {
  (this as WithExchange)[kExchange]?.bodyEnd();
}

function onClientDrain(this: ServerResponse): void {
  (this as WithExchange)[kExchange]?.resumeAfterDrain();
}

/** Retry-After in milliseconds: delay-seconds (RFC 9110 section 10.2.3) or an HTTP-date; 0 when absent. */
export function retryAfterMs(headers: Buffer[], now: number): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i].length !== 11 || headers[i].toString('latin1').toLowerCase() !== 'retry-after') continue;
    const value = headers[i + 1].toString('latin1').trim();
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? 0 : Math.max(0, at - now);
  }
  return 0;
}
