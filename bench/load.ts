// The load generator: wrk when it is installed, else autocannon, with a fixed number of
// connections. Both report requests per second and latency percentiles.
import { spawn } from 'node:child_process';

export interface LoadResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

export function runWrk(binary: string, o: LoadOptions): Promise<LoadResult> {
  const args = ['-t', '2', '-c', String(o.connections), '-d', `${o.seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)/m.exec(out);
      const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)/m.exec(out);
      const total = /(\d+) requests in/.exec(out);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      if (!rps || !p50 || !p99) return reject(new Error(`cannot read wrk's output:\n${out}`));
      const socketErrors = socket ? socket.slice(1).reduce((s, x) => s + Number(x), 0) : 0;
      resolve({
        rps: Number(rps[1]),
        p50ms: toMs(p50[1], p50[2]),
        p99ms: toMs(p99[1], p99[2]),
        requests: total ? Number(total[1]) : 0,
        errors: (non2xx ? Number(non2xx[1]) : 0) + socketErrors,
      });
    });
  });
}

export async function runAutocannon(o: LoadOptions): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url: o.url, connections: o.connections, duration: o.seconds, headers: o.headers });
  return {
    rps: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Sends exactly `count` requests (for the soak), with autocannon's amount mode. */
export async function runCount(url: string, connections: number, count: number): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, connections, amount: count });
  return {
    rps: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}
