// The proxy path of a version served from its successor's upstream through transforms
// (`upstream: { via: v2 }`, src/transform). It is off the hot path of plain proxying: the
// request may be rewritten (path, query, headers, and the body when a request lens needs it),
// and the answer is given to src/transform/proxy.ts, which streams it through untouched
// unless a response lens must read it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CompiledConfig } from '../config/compiled.js';
import type { ProxyDecision } from './decide.js';
import { stripHopByHop } from './hop-by-hop.js';
import { writeProblem } from './raw-problem.js';
import { bodyTooLargeProblem, classifyUpstreamError, upstreamProblem } from './upstream-errors.js';
import { answerResponse, prepareRequest, type TransformObserver } from '../transform/proxy.js';
import type { Headers } from '../transform/chain.js';

export interface TransformedForward {
  dispatcher: Dispatcher;
  observer: TransformObserver;
  draining(): boolean;
  /** Called once the exchange is over, with the status the client got (499 if it left first). */
  finished(status: number): void;
}

/** Flat [name, value, ...] pairs (as upstreamRequestHeaders gives them) to one header object. */
function headerObject(pairs: readonly string[]): Headers {
  const out: Headers = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i].toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? pairs[i + 1] : Array.isArray(prev) ? [...prev, pairs[i + 1]] : [String(prev), pairs[i + 1]];
  }
  return out;
}

export async function forwardTransformed(
  fx: TransformedForward,
  cfg: CompiledConfig,
  req: IncomingMessage,
  res: ServerResponse,
  d: ProxyDecision,
  forwardedHeaders: readonly string[],
  hasBody: boolean,
): Promise<void> {
  const chain = d.upstream.transform!;
  const upstreamName = `${d.route.name}/${d.version.id}`;
  const abort = new AbortController();
  // A client that leaves aborts its upstream request at once, as on the plain path.
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once('close', onClose);
  const timeoutMs = d.upstream.timeout ?? cfg.gateway.upstream.timeout;
  const timer = setTimeout(() => abort.abort(Object.assign(new Error('upstream timeout'), { code: 'SUNDIAL_UPSTREAM_TIMEOUT' })), timeoutMs);
  try {
    const prepared = await prepareRequest(
      chain,
      {
        method: req.method!,
        forwardPath: d.forwardPath,
        query: d.query,
        headers: headerObject(forwardedHeaders),
        body: hasBody ? req : undefined,
      },
      fx.observer,
    );
    if (!prepared.ok) return writeProblem(req, res, prepared.problem, d.headers, true);
    const up = prepared.request;
    const base = new URL(d.upstream.base);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v : String(v);
    stripHopByHop(headers);
    headers.host = base.host;
    const body = up.body ?? (hasBody ? req : undefined);
    if (up.body === undefined && hasBody && req.headers['transfer-encoding'] !== undefined) delete headers['content-length'];
    const answer = await fx.dispatcher.request({
      origin: base.origin,
      path: (base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '')) + up.pathAndQuery,
      method: req.method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: abort.signal,
    });
    const out = await answerResponse(
      chain,
      up.plan,
      req.method!,
      {
        statusCode: answer.statusCode,
        headers: answer.headers as Headers,
        stream: answer.body as unknown as Readable,
      },
      fx.observer,
    );
    if (out.kind === 'problem') return writeProblem(req, res, out.problem, d.headers, fx.draining());
    res.statusCode = out.statusCode;
    const answerHeaders = { ...out.headers };
    stripHopByHop(answerHeaders);
    for (const [k, v] of Object.entries(answerHeaders)) {
      if (v !== undefined) res.setHeader(k, Array.isArray(v) ? v : String(v));
    }
    for (let i = 0; i < d.headers.length; i += 2) {
      // The verdict's Link joins the upstream's, as on the plain path (response-headers.ts).
      const name = d.headers[i];
      const prev = name === 'link' ? res.getHeader('link') : undefined;
      res.setHeader(name, prev === undefined ? d.headers[i + 1] : `${String(prev)}, ${d.headers[i + 1]}`);
    }
    if (fx.draining()) res.setHeader('connection', 'close');
    if (Buffer.isBuffer(out.body)) res.end(out.body);
    else await pipeline(out.body, res);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (abort.signal.aborted && res.destroyed) return; // the client left
    const kind = classifyUpstreamError(abort.signal.reason ?? err);
    const problem = kind === 'body-too-large' ? bodyTooLargeProblem(cfg.gateway.limits.bodyLimit) : upstreamProblem(kind, upstreamName);
    writeProblem(req, res, problem, d.headers, true);
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
    fx.finished(res.headersSent ? res.statusCode : 499);
  }
}
