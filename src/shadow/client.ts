// Sends mirror requests on undici's dispatcher API, as the primary path does: connections
// of their own per shadow origin (Lanes, below), separate from the primary's, so a slow or
// dead shadow can only fill its own connections. A mirror is one MirrorCall, which is at
// once undici's request options, its handler and an entry in the timeout queue
// (gateway/deadlines.ts): no promise, stream, abort signal, timer or closure per mirror.
// Every failure is kept as a kind, never thrown: nothing here reaches the client.
import { Client, buildConnector, type Dispatcher } from 'undici';
import type { Socket } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { Deadlines, type Expirable } from '../gateway/deadlines.js';
import { isIdempotent } from '../gateway/idempotent.js';
import { classifyUpstreamError } from '../gateway/upstream-errors.js';
import { capturedOf, type RawResponse } from './raw-response.js';
import type { CapturedResponse } from './flatten.js';
import type { ShadowTarget } from './types.js';

export type MirrorError = 'timeout' | 'refused' | 'reset' | 'other' | 'too-large' | 'misfit';
export type MirrorResult = { ok: true; response: CapturedResponse } | { ok: false; error: MirrorError };

export interface MirrorRequest {
  method: string;
  /** Path and query, after the target's base path. */
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
}

/** Who is told when a call is over (answered whole, failed, or timed out). */
export interface MirrorOwner {
  mirrorDone(call: MirrorCall): void;
}

/** Headers a mirror never carries from the primary's request: its own Host, length and mark. */
function skippedInMirror(name: string): boolean {
  switch (name.length) {
    case 4:
    case 6:
    case 14:
    case 17: {
      const lower = name.toLowerCase();
      return lower === 'host' || lower === 'expect' || lower === 'content-length' || lower === 'sundial-shadow' || lower === 'transfer-encoding';
    }
    default:
      return false;
  }
}

/**
 * The request headers of a mirror as undici's flat name/value array: the primary's, as
 * forwarded (request-headers.ts), re-addressed to `host`, with the body's length and
 * `sundial-shadow: 1`.
 */
export function mirrorHeaderPairs(forwarded: readonly string[], host: string, bodyLength: number): string[] {
  const out = ['host', host];
  for (let i = 0; i < forwarded.length; i += 2) {
    if (!skippedInMirror(forwarded[i])) out.push(forwarded[i], forwarded[i + 1]);
  }
  if (bodyLength > 0) out.push('content-length', String(bodyLength));
  out.push('sundial-shadow', '1');
  return out;
}

/** Headers of a mirror as an object (for the transformed path, which rewrites them). */
export function mirrorHeaders(forwarded: IncomingHttpHeaders | readonly string[], bodyLength: number): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[] | undefined) => {
    if (value === undefined || skippedInMirror(name)) return;
    const prior = headers[name];
    headers[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), ...(Array.isArray(value) ? value : [value])];
  };
  if (Array.isArray(forwarded)) {
    for (let i = 0; i < forwarded.length; i += 2) add(forwarded[i].toLowerCase(), forwarded[i + 1]);
  } else {
    for (const [name, value] of Object.entries(forwarded as IncomingHttpHeaders)) add(name, value);
  }
  if (bodyLength > 0) headers['content-length'] = String(bodyLength);
  headers['sundial-shadow'] = '1';
  return headers;
}

class MirrorTimeout extends Error {
  readonly code = 'SUNDIAL_UPSTREAM_TIMEOUT';
}
class MirrorCancelled extends Error {
  readonly code = 'SUNDIAL_SHADOW_CANCELLED';
}
const NO_BODY: Buffer = Buffer.alloc(0);

/** One request to a candidate or secondary, and its answer. */
export class MirrorCall implements Dispatcher.DispatchHandler, Expirable {
  // undici's request options: this object is passed as both options and handler.
  readonly origin: string;
  readonly path: string;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: string[];
  readonly body: Buffer | null;
  /** Mirrors may be pipelined behind one another (undici holds back any "blocking" request). */
  readonly blocking = false;

  // Expirable
  deadline = 0;
  pending = true;

  status = 0;
  rawHeaders: Buffer[] | undefined;
  /** Set once the call is over without a whole answer. */
  error: MirrorError | undefined;
  /** The connection it was sent on, once sent. */
  lane: Lane | undefined = undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private abortRequest: ((err?: Error) => void) | undefined;

  constructor(
    private readonly owner: MirrorOwner,
    target: ShadowTarget,
    method: string,
    path: string,
    headers: string[],
    body: Buffer | undefined,
    private readonly maxBytes: number,
  ) {
    this.origin = target.origin;
    this.path = target.basePath + path;
    this.method = method as Dispatcher.HttpMethod;
    this.headers = headers;
    this.body = body ?? null;
  }

  /** The answer's body, whole. */
  responseBody(): Buffer {
    const c = this.chunks;
    return c.length === 0 ? NO_BODY : c.length === 1 ? c[0] : Buffer.concat(c, this.size);
  }

  /** The answer as undici gave it. */
  raw(): RawResponse {
    return { status: this.status, headers: this.rawHeaders ?? [], body: this.responseBody() };
  }

  /** The answer with its head parsed. */
  response(): CapturedResponse {
    return capturedOf(this.raw());
  }

  onConnect(abort: (err?: Error) => void): void {
    if (!this.pending) return abort(new MirrorCancelled());
    this.abortRequest = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    if (statusCode < 200) return true; // informational
    if (!this.pending) return false;
    this.status = statusCode;
    this.rawHeaders = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.pending) return false;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.over('too-large');
      this.abortRequest?.(new MirrorCancelled());
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.pending) this.over(undefined);
  }

  onError(err: Error): void {
    if (!this.pending) return;
    const kind = classifyUpstreamError(err);
    this.over(kind === 'body-too-large' ? 'other' : kind);
  }

  expire(): void {
    this.over('timeout');
    this.abortRequest?.(new MirrorTimeout());
  }

  private over(error: MirrorError | undefined): void {
    this.pending = false;
    if (this.lane) this.lane.inFlight--;
    this.error = error;
    if (error) this.chunks = [];
    this.owner.mirrorDone(this);
  }
}

/** Resolves a promise when a call is over: for the transformed path's send(). */
class Settle implements MirrorOwner {
  constructor(private readonly resolve: (r: MirrorResult) => void) {}
  mirrorDone(call: MirrorCall): void {
    this.resolve(call.error ? { ok: false, error: call.error } : { ok: true, response: call.response() });
  }
}

/**
 * Mirrors are sent in batches (batch.ts): every mirror of one loop turn at once. Each write
 * to a socket is a system call, and on a loopback or LAN connection the kernel's work for a
 * small request costs about as much as all of the mirror's JavaScript. So the batch holds
 * (corks) the writes to every shadow socket while it dispatches, and the mirrors that share
 * a connection leave in one writev; HTTP/1.1 pipelining (up to PIPELINING requests on a
 * connection, for idempotent methods: undici sends the others one at a time) is what lets
 * several share one, and lets their answers arrive in one read. A slow answer delays the
 * mirrors behind it on its connection, never a client.
 *
 * The sockets are uncorked on the next turn's setImmediate, not at the end of the batch:
 * before it writes to a keep-alive connection that has been idle, undici first lets the
 * loop read whatever that connection may have received (a close, stray bytes), and writes
 * the requests it held back from a setImmediate of its own, queued during the batch and so
 * run before ours. Uncorked at once, each of those would be a write of its own.
 */
const PIPELINING = 8;

function uncorkOne(socket: Socket): void {
  socket.uncork();
}

function uncorkAll(sockets: Set<Socket>): void {
  for (const socket of sockets) socket.uncork();
}

/** One connection to a shadow origin, and how many mirrors it carries. */
export class Lane {
  inFlight = 0;
  constructor(readonly client: Client) {}
}

/**
 * The connections to one shadow origin, up to `max`. undici's Pool gives each request to
 * the first connection that is not busy, and a keep-alive connection that has been idle is
 * busy until it has been validated (the read-first above): so when the connections are
 * idle, as they are between batches at any but the highest rates, the Pool put each mirror
 * of a batch on a connection of its own, a write, a read and a wake-up each. Here a batch
 * fills one connection's pipeline (undici queues what it cannot write yet) before it moves
 * to the next, and a connection is opened only when every open one is full.
 */
class Lanes {
  private readonly lanes: Lane[] = [];
  private current = 0;

  constructor(
    private readonly origin: string,
    private readonly max: number,
    private readonly connect: buildConnector.connector,
  ) {}

  pick(method: string): Lane {
    const lanes = this.lanes;
    // Only idempotent requests are pipelined; any other waits for an empty connection.
    const room = isIdempotent(method) ? PIPELINING : 1;
    const now = lanes[this.current];
    if (now !== undefined && now.inFlight < room) return now;
    let least: Lane | undefined;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i];
      if (lane.inFlight < room) {
        this.current = i;
        return lane;
      }
      if (!least || lane.inFlight < least.inFlight) least = lane;
    }
    if (lanes.length < this.max) {
      const lane = new Lane(
        new Client(this.origin, {
          pipelining: PIPELINING,
          // Timeouts are the mirror's own (the deadline queue), so undici's are off.
          headersTimeout: 0,
          bodyTimeout: 0,
          connect: this.connect,
        }),
      );
      this.current = lanes.push(lane) - 1;
      return lane;
    }
    // Every connection is full: the mirror waits in the least busy one's queue.
    return least!;
  }

  close(): Promise<unknown> {
    return Promise.all(this.lanes.map((l) => l.client.destroy().catch(() => undefined)));
  }
}

export class ShadowClient {
  private readonly origins = new Map<string, Lanes>();
  private readonly deadlines = new Deadlines();
  /** The open sockets of every connection, corked while a batch is dispatched. */
  private readonly sockets = new Set<Socket>();
  private readonly connect: buildConnector.connector;
  private closed = false;

  constructor(private readonly connections = 32) {
    const connect = buildConnector({});
    const sockets = this.sockets;
    const forget = function (this: Socket) {
      sockets.delete(this);
    };
    this.connect = (options, callback) =>
      connect(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        sockets.add(socket as Socket);
        socket.once('close', forget);
        // undici writes the requests that waited for this connection as soon as it is
        // given the socket: corked until the next turn, they leave together.
        socket.cork();
        setImmediate(uncorkOne, socket);
        callback(null, socket);
      });
  }

  private lanes(origin: string): Lanes {
    let lanes = this.origins.get(origin);
    if (!lanes) {
      lanes = new Lanes(origin, this.connections, this.connect);
      this.origins.set(origin, lanes);
    }
    return lanes;
  }

  /** Holds the writes to every shadow socket until after(): the batch leaves together. */
  before(): void {
    for (const socket of this.sockets) socket.cork();
  }

  /**
   * Sends what the batch wrote, once the requests undici held back for idle connections
   * are written too (see above). Every before() is followed by one uncork of each socket
   * in the set, so a socket is never left corked: one opened since before() was not corked,
   * and uncork() on it does nothing; one closed since has left the set and sends nothing.
   */
  after(): void {
    setImmediate(uncorkAll, this.sockets);
  }

  /** Sends `call`; its owner is told when it is over, within `timeout` ms. */
  dispatch(call: MirrorCall, timeout: number): void {
    if (this.closed) return call.onError(new MirrorCancelled());
    this.deadlines.track(call, timeout);
    const lane = this.lanes(call.origin).pick(call.method);
    lane.inFlight++;
    call.lane = lane;
    lane.client.dispatch(call, call);
  }

  /** One request as a promise, for callers off the hot path (the transformed shadow). */
  send(target: ShadowTarget, req: MirrorRequest, maxBytes: number, timeout: number, signal?: AbortSignal): Promise<MirrorResult> {
    return new Promise((resolve) => {
      const pairs: string[] = [];
      for (const [name, value] of Object.entries(req.headers)) {
        if (name === 'host') continue;
        for (const v of Array.isArray(value) ? value : [value]) pairs.push(name, v);
      }
      const call = new MirrorCall(new Settle(resolve), target, req.method, req.path, ['host', target.host, ...pairs], req.body, maxBytes);
      if (signal?.aborted) return call.expire();
      signal?.addEventListener('abort', () => call.pending && call.expire(), { once: true });
      this.dispatch(call, timeout);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const origins = [...this.origins.values()];
    this.origins.clear();
    await Promise.all(origins.map((o) => o.close()));
  }
}
