// The gateway's side of transforms: what the proxy calls for an upstream that serves an
// older version through transforms (`via:`). It knows streams and buffers, not fastify or
// the HTTP client: the proxy hands it the client's request and the upstream's response,
// and carries out what it returns.
//   - request: the path, query and headers are rewritten; the body is buffered (capped)
//     only when a request lens applies to it;
//   - response: status and headers are rewritten; the body is buffered (capped) and
//     transformed only when a response lens applies, else it streams through untouched.
// A misfit gets the transform's behaviour (passthrough, or a 502 problem), is counted in
// sundial_transform_misfits_total and logged with route, version and step.
import type { Readable } from 'node:stream';
import { ERR_TRANSFORM_MISFIT, ERR_TRANSFORM_REQUEST_TOO_LARGE, ERR_TRANSFORM_TOO_LARGE } from '../errors.js';
import { problem, type Problem } from '../gateway/problem.js';
import { planRequest, responseNeedsBody, transformRequest, transformResponse, type CompiledChain, type Headers, type MisfitReport } from './chain.js';
import type { StepRules } from './rules.js';

export interface TransformObserver {
  misfit(chain: CompiledChain, report: MisfitReport, behaviour: 'passthrough' | '502' | 'too-large'): void;
}

/** Counts a misfit and logs it: the hook the gateway gives this module. */
export function misfitObserver(
  metrics: { transformMisfits: { inc(labels: Record<string, string>): void } },
  log: { warn(obj: object, msg: string): void },
): TransformObserver {
  return {
    misfit(chain, r, behaviour) {
      metrics.transformMisfits.inc({ route: chain.route, version: chain.from, step: r.step, direction: r.direction, behaviour });
      log.warn(
        { route: chain.route, version: chain.from, via: chain.to, step: r.step, direction: r.direction, part: r.part, at: r.at, op: r.op, behaviour },
        `transform misfit: ${r.message}`,
      );
    },
  };
}

/** Reads a stream whole, unless it passes `max` bytes. */
export async function readCapped(stream: AsyncIterable<Buffer | string>, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > max) {
      (stream as Readable).destroy?.();
      return 'too-large';
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export interface ClientRequest {
  method: string;
  forwardPath: string;
  query: string;
  headers: Headers;
  /** The request body stream, when it has one. */
  body?: unknown;
}

export interface UpstreamRequest {
  /** Path and query for the successor's upstream. */
  pathAndQuery: string;
  /** The headers to forward (before the proxy's own X-Forwarded-* and hop-by-hop work). */
  headers: Headers;
  /** A new body; absent to forward the client's stream as it is. */
  body?: Buffer;
  plan: StepRules[];
}

export type Prepared = { ok: true; request: UpstreamRequest } | { ok: false; problem: Problem };

function misfitProblem(chain: CompiledChain, r: MisfitReport): Problem {
  const what = r.part === 'json' ? `${r.direction} body` : `${r.direction} ${r.part}`;
  return problem(ERR_TRANSFORM_MISFIT, `The ${what} does not fit the transform ${r.step} that serves ${chain.from} from ${chain.to}'s upstream: ${r.message}`, {
    route: chain.route,
    version: chain.from,
    step: r.step,
    direction: r.direction,
    at: r.at || undefined,
  });
}

/** A body past the transform's read limit: counted as a misfit, and answered with the limit. */
function bodyTooLarge(chain: CompiledChain, observer: TransformObserver, direction: 'request' | 'response'): Problem {
  const limit = chain.maxBodyBytes;
  observer.misfit(chain, { step: chain.label, direction, part: 'body', at: '', op: 'limits', message: `larger than ${limit} bytes` }, 'too-large');
  const p =
    direction === 'request'
      ? problem(ERR_TRANSFORM_REQUEST_TOO_LARGE, `The request body is larger than the ${limit} bytes the transform ${chain.label} will read.`)
      : problem(ERR_TRANSFORM_TOO_LARGE, `The upstream's answer is larger than the ${limit} bytes the transform ${chain.label} will read.`);
  return { ...p, limit };
}

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/** Transforms a client's request for the successor's upstream. */
export async function prepareRequest(chain: CompiledChain, req: ClientRequest, observer: TransformObserver): Promise<Prepared> {
  const planned = planRequest(chain, req.method, req.forwardPath);
  let body: Buffer | undefined;
  // GET and HEAD carry no body to rewrite (and a proxy may not send one).
  const wantsBody = chain.requestBodies && req.method !== 'GET' && req.method !== 'HEAD' && planned.plan.some((r) => r.request !== undefined);
  if (wantsBody && req.body && typeof (req.body as Readable).pipe === 'function') {
    // A stream cut by the gateway's own body limit throws its 413 error to the caller.
    const read = await readCapped(req.body as Readable, chain.maxBodyBytes);
    if (read === 'too-large') {
      return { ok: false, problem: bodyTooLarge(chain, observer, 'request') };
    }
    body = read;
  }
  // Bodies the response lenses must read are asked for unencoded.
  const headers = { ...req.headers };
  if (chain.responseBodies && planned.plan.some((r) => r.response !== undefined)) delete headers['accept-encoding'];
  const out = await transformRequest(chain, { method: req.method, path: req.forwardPath, query: req.query, headers, body });
  if (!out.ok) {
    observer.misfit(chain, out.misfit, chain.onMisfit);
    if (chain.onMisfit === '502') return { ok: false, problem: misfitProblem(chain, out.misfit) };
    // Passthrough: the request goes on as the client sent it, to the rewritten path.
    return { ok: true, request: { pathAndQuery: withQuery(planned.path, req.query), headers, body, plan: planned.plan } };
  }
  const v = out.value;
  if (body !== undefined && v.body !== undefined) {
    v.headers['content-length'] = String(v.body.length);
    delete v.headers['transfer-encoding'];
  }
  return { ok: true, request: { pathAndQuery: withQuery(v.path, v.query), headers: v.headers, body: v.body, plan: v.plan } };
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Headers;
  stream: Readable;
}

export type Answer = { kind: 'response'; statusCode: number; headers: Headers; body: Buffer | Readable } | { kind: 'problem'; problem: Problem };

/** Transforms the successor's answer back into the client's version. */
export async function answerResponse(
  chain: CompiledChain,
  plan: readonly StepRules[],
  method: string,
  res: UpstreamResponse,
  observer: TransformObserver,
): Promise<Answer> {
  if (!responseNeedsBody(plan, res.statusCode, method)) {
    // No body change: status and headers only, and the body streams through untouched.
    const out = await transformResponse(chain, plan, { statusCode: res.statusCode, headers: res.headers }, method);
    if (out.ok) return { kind: 'response', statusCode: out.value.statusCode, headers: out.value.headers, body: res.stream };
    observer.misfit(chain, out.misfit, chain.onMisfit);
    if (chain.onMisfit === 'passthrough') return { kind: 'response', statusCode: res.statusCode, headers: res.headers, body: res.stream };
    res.stream.destroy();
    return { kind: 'problem', problem: misfitProblem(chain, out.misfit) };
  }
  const body = await readCapped(res.stream, chain.maxBodyBytes);
  if (body === 'too-large') {
    return { kind: 'problem', problem: bodyTooLarge(chain, observer, 'response') };
  }
  const out = await transformResponse(chain, plan, { statusCode: res.statusCode, headers: res.headers, body }, method);
  if (!out.ok) {
    observer.misfit(chain, out.misfit, chain.onMisfit);
    if (chain.onMisfit === 'passthrough') return { kind: 'response', statusCode: res.statusCode, headers: res.headers, body };
    return { kind: 'problem', problem: misfitProblem(chain, out.misfit) };
  }
  const headers = { ...out.value.headers };
  const newBody = out.value.body ?? body;
  headers['content-length'] = String(newBody.length);
  delete headers['transfer-encoding'];
  // The body changed, so the upstream's validators no longer describe it.
  delete headers.etag;
  delete headers['content-md5'];
  return { kind: 'response', statusCode: out.value.statusCode, headers, body: newBody };
}

/** The few things a reply must let this module do, whichever HTTP stack carries it. */
export interface ReplyLike {
  code(status: number): unknown;
  header(name: string, value: string | string[]): unknown;
  removeHeader(name: string): unknown;
}

/**
 * Applies an answer's status and headers to a reply that already carries the upstream's
 * headers (`sent`), changing only what the transform changed, so that the gateway's own
 * headers (lifecycle, arm) stay. For a problem, the upstream's headers are dropped except
 * those the gateway added (`keep`).
 */
export function applyAnswerHeaders(reply: ReplyLike, sent: Headers, answer: Answer, keep: ReadonlySet<string>): void {
  if (answer.kind === 'problem') {
    for (const k of Object.keys(sent)) if (!keep.has(k)) reply.removeHeader(k);
    return;
  }
  reply.code(answer.statusCode);
  for (const k of Object.keys(sent)) if (answer.headers[k] === undefined) reply.removeHeader(k);
  for (const [k, v] of Object.entries(answer.headers)) {
    if (v === undefined || v === sent[k]) continue;
    reply.header(k, Array.isArray(v) ? v : String(v));
  }
}
