// Helpers for the shadow tests: JSON upstreams whose answers a test scripts, a config with
// a shadow on orders v2, and polling the admin report until the mirrors have settled.
import type { Test } from 'tap';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { ShadowReportJson } from '../../src/shadow/report.js';
import { configDir, orderFiles } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { startUpstream, type TestUpstream } from '../helpers/upstream.js';

export const AUTH = { authorization: 'Bearer test-admin-token' };
export const NOW = () => Date.parse('2026-11-23T12:00:00Z');

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Answer = { status?: number; headers?: Record<string, string>; body: unknown } | 'reset';
export type Responder = (req: Received, n: number) => Answer | Promise<Answer>;

export interface JsonUpstream extends TestUpstream {
  received: Received[];
}

/** An upstream that answers each request with what `respond` returns, as JSON. */
export async function jsonUpstream(t: Test, name: string, respond: Responder): Promise<JsonUpstream> {
  const received: Received[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const answer = await respond(r, received.length);
      if (answer === 'reset') return void req.socket.destroy();
      if (res.destroyed) return;
      const body = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
    return true;
  };
  const up = await startUpstream(name, handle);
  t.teardown(() => up.close());
  return Object.assign(up, { received });
}

export interface ShadowSetup {
  url: string;
  adminUrl: string;
  dir: string;
  write(file: string, content: unknown): void;
  reload(): Promise<unknown>;
}

/** A gateway whose orders v2 goes to `primary` and is shadowed as `shadow` says. */
export async function shadowGateway(t: Test, primary: string, shadow: Record<string, unknown>): Promise<ShadowSetup> {
  const files = orderFiles({ v1: primary, v2: primary });
  files['routes/orders.yaml'] = { name: 'orders', prefix: '/orders', versions: { v1: { upstream: primary }, v2: { upstream: primary, shadow } } };
  const dir = configDir(files);
  t.teardown(() => dir.remove());
  const gw = await startGateway(t, { dir: dir.dir, clock: NOW });
  return { url: gw.url, adminUrl: gw.adminUrl, dir: dir.dir, write: dir.write, reload: () => gw.gateway.reload('test') };
}

export async function shadowReport(adminUrl: string): Promise<ShadowReportJson> {
  const res = await request(`${adminUrl}/admin/shadow`, { headers: AUTH });
  const doc = (await res.body.json()) as { shadows: ShadowReportJson[] };
  return doc.shadows[0];
}

/** Settled mirrors: compared, errors and skips. */
export function settled(r: ShadowReportJson): number {
  return r.compared + r.errors + Object.values(r.skipped).reduce((a, b) => a + b, 0);
}

/** Polls the report until `until` holds; the test's own timeout bounds the wait. */
export async function waitForReport(adminUrl: string, until: (r: ShadowReportJson) => boolean): Promise<ShadowReportJson> {
  for (;;) {
    const r = await shadowReport(adminUrl);
    if (until(r)) return r;
    await sleep(10);
  }
}

/** Sends `n` GETs one after another and returns the report once all n have settled. */
export async function getAndSettle(s: ShadowSetup, n: number, path = '/v2/orders/1'): Promise<ShadowReportJson> {
  const before = settled(await shadowReport(s.adminUrl));
  for (let i = 0; i < n; i++) {
    const res = await request(s.url + path);
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`client got ${res.statusCode}`);
  }
  return waitForReport(s.adminUrl, (r) => settled(r) >= before + n && r.inFlight === 0);
}
