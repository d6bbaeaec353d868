// An open-loop load at a constant rate, with latencies to the microsecond: the fixed-rate
// case's client. autocannon's overallRate paces requests too, but it records latencies in
// whole milliseconds, so at a p50 of 2 ms one step of its histogram is 50%, and a target of
// "within 10%" cannot be read off it. wrk measures in microseconds but cannot hold a rate.
//
// Requests are sent on schedule (i / rate after the start) whether or not earlier ones have
// been answered, on undici's dispatcher API over `connections` keep-alive connections. A
// request that finds every connection busy waits in undici's queue, and that wait is part
// of its latency: a slow answer is charged to the requests held up behind it as well (no
// coordinated omission). The client's own timer (1 ms ticks) is not charged: latency runs
// from when a request is handed to undici. The first second warms the client's JIT and
// its connections, and is not recorded.
//
// Run as its own process (`node dist/bench/fixed-rate.js URL RATE SECONDS CONNECTIONS`),
// so its event loop is nobody else's; it prints one JSON line, a LoadResult.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool, type Dispatcher } from 'undici';
import type { LoadResult } from './load.js';

class Timed implements Dispatcher.DispatchHandler {
  constructor(
    private readonly run: FixedRateRun,
    private readonly sent: number,
    private readonly recorded: boolean,
  ) {}
  onConnect(): void {}
  onHeaders(status: number): boolean {
    if (this.recorded && (status < 200 || status >= 300)) this.run.errors++;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.run.done(this.recorded ? performance.now() - this.sent : undefined);
  }
  onError(): void {
    if (this.recorded) this.run.errors++;
    this.run.done(undefined);
  }
}

class FixedRateRun {
  errors = 0;
  private readonly latencies: Float64Array;
  private recorded = 0;
  private finished = 0;
  private sent = 0;
  private resolve!: (r: LoadResult) => void;
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly path: string;
  private start = 0;
  private measuredFrom = 0;
  private readonly warmUp: number;
  private readonly total: number;

  constructor(
    url: string,
    private readonly rate: number,
    private readonly seconds: number,
    connections: number,
    warmUpSeconds: number,
  ) {
    const u = new URL(url);
    this.origin = u.origin;
    this.path = u.pathname + u.search;
    this.pool = new Pool(this.origin, { connections, pipelining: 1 });
    this.warmUp = Math.ceil(rate * warmUpSeconds);
    this.total = this.warmUp + Math.ceil(rate * seconds);
    this.latencies = new Float64Array(this.total - this.warmUp);
  }

  result(): Promise<LoadResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.start = performance.now();
      this.tick();
    });
  }

  /** Sends every request whose time has come; the timer's lateness is made up at once. */
  private tick(): void {
    const now = performance.now();
    const due = Math.min(this.total, Math.floor(((now - this.start) * this.rate) / 1000) + 1);
    while (this.sent < due) {
      const recorded = this.sent >= this.warmUp;
      if (this.sent === this.warmUp) this.measuredFrom = now;
      this.sent++;
      this.pool.dispatch({ origin: this.origin, path: this.path, method: 'GET' }, new Timed(this, now, recorded));
    }
    if (this.sent < this.total) setTimeout(() => this.tick(), 1);
  }

  done(latency: number | undefined): void {
    if (latency !== undefined) this.latencies[this.recorded++] = latency;
    if (++this.finished < this.total) return;
    const elapsed = (performance.now() - this.measuredFrom) / 1000;
    const sorted = this.latencies.subarray(0, this.recorded).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
    void this.pool.close();
    const measured = this.total - this.warmUp;
    this.resolve({ rps: measured / elapsed, p50ms: at(0.5), p99ms: at(0.99), requests: measured, errors: this.errors });
  }
}

/**
 * `rate` requests per second for `warmUpSeconds` (not recorded), then for `seconds`: the
 * result counts only the second part.
 */
export function fixedRateLoad(url: string, rate: number, seconds: number, connections: number, warmUpSeconds = 1): Promise<LoadResult> {
  return new FixedRateRun(url, rate, seconds, connections, warmUpSeconds).result();
}

/** fixedRateLoad() in a process of its own, so that the bench's own loop does not pace it. */
export function runFixedRate(url: string, rate: number, seconds: number, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(import.meta.url), url, String(rate), String(seconds), String(connections)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`the fixed-rate load exited with ${code} and printed: ${out}`));
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, rate, seconds, connections] = process.argv.slice(2);
  const result = await fixedRateLoad(url, Number(rate), Number(seconds), Number(connections));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
