// How admin commands (`sundial rollout`, ...) reach a running gateway: --admin URL, or the
// admin address in the config of --dir DIR (default: the current directory). The token
// comes from SUNDIAL_ADMIN_TOKEN, or from that config.
import { request } from 'undici';
import { loadConfig } from '../config/load.js';

export interface AdminTarget {
  url: string;
  token?: string;
}

export const ADMIN_OPTIONS = {
  dir: { type: 'string', default: '.' },
  admin: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function adminTarget(options: { dir?: string; admin?: string }, env: NodeJS.ProcessEnv = process.env): AdminTarget {
  if (options.admin) return { url: options.admin.replace(/\/+$/, ''), token: env.SUNDIAL_ADMIN_TOKEN || undefined };
  const cfg = loadConfig(options.dir ?? '.', { env });
  const { host, port, token } = cfg.gateway.admin;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${reachable}:${port}`, token: env.SUNDIAL_ADMIN_TOKEN || token || undefined };
}

export async function adminCall(target: AdminTarget, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  let res;
  try {
    res = await request(`${target.url}${path}`, {
      method,
      headers: {
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`cannot reach the gateway's admin API at ${target.url}: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.body.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (res.statusCode >= 400) {
    const detail = parsed && typeof parsed === 'object' && 'detail' in parsed ? (parsed as { detail: string }).detail : text;
    const hint = res.statusCode === 401 ? `\n  set SUNDIAL_ADMIN_TOKEN to the gateway's admin token${target.token ? ' (the one sent was refused)' : ''}` : '';
    throw new Error(`${method} ${path}: ${res.statusCode}: ${detail}${hint}`);
  }
  return parsed;
}
