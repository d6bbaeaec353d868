// How CLI commands find a running gateway's admin API: `--admin URL`, or `--dir DIR`, whose
// config/gateway.yaml names the admin host, port and token. The token may also come from
// SUNDIAL_ADMIN_TOKEN, which wins.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { substituteEnv, type EnvProblem } from '../config/env.js';
import { formatPath } from '../config/errors.js';
import { gatewaySchema } from '../config/schema.js';

export interface AdminEndpoint {
  url: string;
  token?: string;
}

function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The admin endpoint named by a config directory's config/gateway.yaml. */
export function adminFromDir(dir: string, env: NodeJS.ProcessEnv = process.env): AdminEndpoint {
  const file = ['config/gateway.yaml', 'config/gateway.yml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`no config/gateway.yaml in ${dir}`);
  const problems: EnvProblem[] = [];
  const raw = substituteEnv(parse(readFileSync(file, 'utf8')) ?? {}, { SUNDIAL_ADMIN_TOKEN: '', ...env }, problems);
  const parsed = gatewaySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${formatPath(issue.path as (string | number)[])}: ${issue.message}`);
  }
  const admin = parsed.data.admin;
  return { url: `http://${connectHost(admin.host)}:${admin.port}`, token: env.SUNDIAL_ADMIN_TOKEN || admin.token || undefined };
}

/** GETs an admin path as JSON, with the bearer token. */
export async function adminGet(endpoint: AdminEndpoint, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(path, endpoint.url.endsWith('/') ? endpoint.url : `${endpoint.url}/`), {
    headers: endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {},
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
