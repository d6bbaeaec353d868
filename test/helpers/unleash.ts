// A real Unleash server for a test: test/unleash/start.mjs runs unleash-server over an
// embedded PostgreSQL in a child process; this starts it and stops it in teardown.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { request } from 'undici';

const START = fileURLToPath(new URL('../../../test/unleash/start.mjs', import.meta.url));

export interface UnleashServer {
  url: string;
  /** The client API URL, as unleash-client and sundial's config take it. */
  api: string;
  adminToken: string;
  clientToken: string;
  admin(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<any>;
  /** Stops the server (and its database) now, for tests of an unreachable Unleash. */
  stop(): Promise<void>;
}

export async function startUnleash(t: Test): Promise<UnleashServer> {
  const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  t.teardown(stop);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the Unleash server exited (${code}) before it was ready:\n${stderr.slice(-2000)}`)));
  });
  const info = JSON.parse(line) as { url: string; adminToken: string; clientToken: string };
  const admin = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) => {
    const res = await request(`${info.url}/api/admin${path}`, {
      method,
      headers: { authorization: info.adminToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { ...info, api: `${info.url}/api`, admin, stop };
}
