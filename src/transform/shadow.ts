// Shadow traffic as the test of a transform: a mirrored request to a `via:` candidate is
// carried forward through the chain, sent to the successor's upstream, and its answer
// carried back, so the comparison with the old version's real answer tells whether the
// transform is faithful. A misfit on either side is a candidate error of kind `misfit`.
import type { MirrorRequest, MirrorResult, ShadowClient } from '../shadow/client.js';
import type { ShadowTarget } from '../shadow/types.js';
import { transformRequest, transformResponse, type CompiledChain } from './chain.js';

export async function sendThroughTransform(
  chain: CompiledChain,
  client: ShadowClient,
  target: ShadowTarget,
  req: MirrorRequest,
  maxBytes: number,
  timeout: number,
  signal: AbortSignal,
): Promise<MirrorResult> {
  const q = req.path.indexOf('?');
  const path = q === -1 ? req.path : req.path.slice(0, q);
  const query = q === -1 ? '' : req.path.slice(q + 1);
  const headers: Record<string, string | string[]> = { ...req.headers };
  if (chain.responseBodies) delete headers['accept-encoding'];
  const up = await transformRequest(chain, { method: req.method, path, query, headers, body: req.body });
  if (!up.ok) return { ok: false, error: 'misfit' };
  const out = up.value;
  const sent: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(out.headers)) if (v !== undefined) sent[k] = typeof v === 'number' ? String(v) : v;
  if (out.body && out.body.length) sent['content-length'] = String(out.body.length);
  const result = await client.send(
    target,
    { method: req.method, path: out.query ? `${out.path}?${out.query}` : out.path, headers: sent, body: out.body },
    maxBytes,
    timeout,
    signal,
  );
  if (!result.ok) return result;
  const back = await transformResponse(
    chain,
    out.plan,
    { statusCode: result.response.status, headers: result.response.headers, body: result.response.body },
    req.method,
  );
  if (!back.ok) return { ok: false, error: 'misfit' };
  return { ok: true, response: { status: back.value.statusCode, headers: back.value.headers, body: back.value.body ?? result.response.body } };
}

export interface TransformVerdict {
  /** "v1→v2": the chain under test. */
  chain: string;
  /** No real difference and no misfit, over at least one comparison. */
  faithful: boolean;
  compared: number;
  misfits: number;
  /** Fields with real differences: the transform does not reproduce them. */
  unfaithful: string[];
  /** Fields that differ as much as two answers of the old version itself do. */
  noise: string[];
}

/** The verdict on a transform, from a shadow report's counts and fields. */
export function transformVerdict(
  chain: CompiledChain,
  report: { compared: number; errorKinds: Record<string, number>; fields: Record<string, { real: boolean }> },
): TransformVerdict {
  const unfaithful = Object.entries(report.fields)
    .filter(([, f]) => f.real)
    .map(([k]) => k);
  const noise = Object.entries(report.fields)
    .filter(([, f]) => !f.real)
    .map(([k]) => k);
  const misfits = report.errorKinds['candidate-misfit'] ?? 0;
  return {
    chain: chain.label,
    faithful: report.compared > 0 && unfaithful.length === 0 && misfits === 0,
    compared: report.compared,
    misfits,
    unfaithful,
    noise,
  };
}
