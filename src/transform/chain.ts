// A chain of transform steps, v1 -> v2 -> v3, for one route: a request is carried forward
// through every step in order (each step's output is the next one's input), its response
// backward through them in reverse. Each step is written once, in its own version file.
// Pure over (chain, request or response as data); streams and sockets are in proxy.ts.
import { TransformMisfit } from './misfit.js';
import { rewritePath } from './path-rewrite.js';
import { rulesAt, type RouteStep, type StepRules } from './rules.js';

export interface CompiledChain {
  route: string;
  /** The version the client asked for, and the one whose upstream serves it. */
  from: string;
  to: string;
  steps: readonly RouteStep[];
  /** "v1→v2→v3", for logs, metrics and reports. */
  label: string;
  onMisfit: 'passthrough' | '502';
  maxBodyBytes: number;
  /** Whether any step rewrites request or response bodies, decided at load. */
  requestBodies: boolean;
  responseBodies: boolean;
}

export type Part = 'path' | 'query' | 'headers' | 'body' | 'json';

/** Where a misfit happened: the step, the direction and the part of the message. */
export interface MisfitReport {
  step: string;
  direction: 'request' | 'response';
  part: Part;
  at: string;
  op: string;
  message: string;
}

export type Headers = Record<string, string | string[] | number | undefined>;

export interface RequestIn {
  method: string;
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  headers: Headers;
  /** The buffered body, when the chain rewrites request bodies and there is one. */
  body?: Buffer;
}

export interface RequestOut {
  path: string;
  query: string;
  headers: Headers;
  body?: Buffer;
  /** The rules met at each step, kept for the response. */
  plan: StepRules[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; misfit: MisfitReport };

function stepLabel(step: RouteStep): string {
  return `${step.from}→${step.to}`;
}

function misfit(step: RouteStep, direction: 'request' | 'response', part: Part, err: unknown): { ok: false; misfit: MisfitReport } {
  if (err instanceof TransformMisfit) return { ok: false, misfit: { step: stepLabel(step), direction, part, at: err.at, op: err.op, message: err.message } };
  throw err;
}

/** Steps' rules for a request, without touching anything: also tells whether bodies change. */
export function planRequest(chain: CompiledChain, method: string, path: string): { plan: StepRules[]; path: string } {
  const plan: StepRules[] = [];
  let p = path;
  for (const step of chain.steps) {
    const rules = rulesAt(step, method, p);
    plan.push(rules);
    p = rewritePath(rules.path, p);
  }
  return { plan, path: p };
}

function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prior = out[k];
    out[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  return out;
}

function queryString(obj: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return params.toString();
}

function headerObject(headers: Headers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}

function asHeaders(obj: Record<string, unknown>): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (err) {
    return { ok: false, message: `the body is not JSON: ${(err as Error).message}` };
  }
}

/** Carries a request forward through the chain: path, query, headers and body. */
export async function transformRequest(chain: CompiledChain, req: RequestIn): Promise<Outcome<RequestOut>> {
  const { plan, path } = planRequest(chain, req.method, req.path);
  let query = req.query;
  let headers = req.headers;
  let doc: unknown;
  let parsed = false;
  for (let i = 0; i < chain.steps.length; i++) {
    const step = chain.steps[i];
    const rules = plan[i];
    if (rules.query) {
      try {
        query = queryString((await rules.query.forward(queryObject(query))) as Record<string, unknown>);
      } catch (err) {
        return misfit(step, 'request', 'query', err);
      }
    }
    if (rules.requestHeaders) {
      try {
        headers = asHeaders((await rules.requestHeaders.forward(headerObject(headers))) as Record<string, unknown>);
      } catch (err) {
        return misfit(step, 'request', 'headers', err);
      }
    }
    if (rules.request && req.body && req.body.length > 0) {
      if (!parsed) {
        const j = parseJson(req.body);
        if (!j.ok) return misfit(step, 'request', 'json', new TransformMisfit('', 'parse', j.message));
        doc = j.value;
        parsed = true;
      }
      try {
        doc = await rules.request.forward(doc);
      } catch (err) {
        return misfit(step, 'request', 'body', err);
      }
    }
  }
  const body = parsed ? Buffer.from(JSON.stringify(doc)) : req.body;
  return { ok: true, value: { path, query, headers, body, plan } };
}

export interface ResponseIn {
  statusCode: number;
  headers: Headers;
  /** The buffered body, when `responseNeedsBody` said so. */
  body?: Buffer;
}

export interface ResponseOut {
  statusCode: number;
  headers: Headers;
  /** The new body; absent when the body was not touched. */
  body?: Buffer;
}

/** Response body lenses apply to successful JSON answers; errors pass as they are. */
export function responseNeedsBody(plan: readonly StepRules[], statusCode: number, method: string): boolean {
  if (method === 'HEAD' || statusCode < 200 || statusCode >= 300 || statusCode === 204) return false;
  return plan.some((r) => r.response !== undefined);
}

/** Carries a response backward through the chain, last step first. */
export async function transformResponse(chain: CompiledChain, plan: readonly StepRules[], res: ResponseIn, method: string): Promise<Outcome<ResponseOut>> {
  let status = res.statusCode;
  let headers = res.headers;
  const bodies = res.body !== undefined && responseNeedsBody(plan, res.statusCode, method);
  let doc: unknown;
  let parsed = false;
  for (let i = chain.steps.length - 1; i >= 0; i--) {
    const step = chain.steps[i];
    const rules = plan[i];
    if (bodies && rules.response) {
      if (!parsed) {
        const j = parseJson(res.body!);
        if (!j.ok) return misfit(step, 'response', 'json', new TransformMisfit('', 'parse', j.message));
        doc = j.value;
        parsed = true;
      }
      try {
        doc = await rules.response.backward(doc);
      } catch (err) {
        return misfit(step, 'response', 'body', err);
      }
    }
    if (rules.responseHeaders) {
      try {
        headers = asHeaders((await rules.responseHeaders.backward(headerObject(headers))) as Record<string, unknown>);
      } catch (err) {
        return misfit(step, 'response', 'headers', err);
      }
    }
    status = rules.statusBack.get(status) ?? status;
  }
  return { ok: true, value: { statusCode: status, headers, body: parsed ? Buffer.from(JSON.stringify(doc)) : undefined } };
}
