// Sends mirror requests with undici: one Pool per shadow origin, separate from the
// primary's, so a slow or dead shadow can only fill its own connections. Every failure is
// returned as a kind, never thrown: nothing here reaches the client.
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { classifyUpstreamError } from '../gateway/upstream-errors.js';
import type { CapturedResponse } from './flatten.js';
import type { ShadowTarget } from './types.js';

export type MirrorResult = { ok: true; response: CapturedResponse } | { ok: false; error: 'timeout' | 'refused' | 'reset' | 'other' | 'too-large' | 'misfit' };

export interface MirrorRequest {
  method: string;
  /** Path and query, after the target's base path. */
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
}

/** Headers of a request to the candidate or secondary: the primary's, re-addressed and marked. */
export function mirrorHeaders(forwarded: IncomingHttpHeaders | readonly string[], bodyLength: number): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[] | undefined) => {
    if (value === undefined || name === 'host' || name === 'content-length' || name === 'transfer-encoding' || name === 'expect') return;
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

export class ShadowClient {
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(private readonly connections = 128) {}

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: this.connections, pipelining: 1 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async send(target: ShadowTarget, req: MirrorRequest, maxBytes: number, timeout: number, signal: AbortSignal): Promise<MirrorResult> {
    if (this.closed) return { ok: false, error: 'other' };
    try {
      const res = await this.pool(target.origin).request({
        method: req.method as 'GET',
        path: target.basePath + req.path,
        headers: { ...req.headers, host: target.host },
        body: req.body,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          res.body.destroy();
          return { ok: false, error: 'too-large' };
        }
        chunks.push(chunk);
      }
      return { ok: true, response: { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) } };
    } catch (err) {
      if (signal.aborted) return { ok: false, error: 'timeout' };
      const kind = classifyUpstreamError(err);
      return { ok: false, error: kind === 'body-too-large' ? 'other' : kind };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
