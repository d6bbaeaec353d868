// `npm run bench`: sundial side by side with its peers on loopback, ratios measured in one
// run. Cases, each behind the same fast upstream:
//   (a) direct to the upstream            (b) nginx reverse proxy, adding the same headers
//   (c) bare @fastify/http-proxy          (d) sundial, core features on
//   (e) sundial, 50% canary               (f) sundial, 100% GET shadowing and comparison
//   (g) sundial --workers 2 (core)       (h) sundial, 10% GET shadowing
// and a fixed-rate pair: (d) and (f) at half of (d)'s measured rate, where the client must
// not pay for the shadow (bench/fixed-rate.ts).
//   (i) sundial, v1 served via v2 through a body transform
// Options: --rounds N (3) --seconds N (5) --warmup-seconds N (20) --rewarm-seconds N (2) --connections N (50)
//          --only a,c,d --soak
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runFixedRate } from './fixed-rate.js';
import { instructionsPerRequest } from './instructions.js';
import type { ShadowStage } from './shadow-stages.js';
import { runAutocannon, runCount, runWrk, type LoadResult } from './load.js';
import { nginxProxy, nginxUpstream } from './nginx.js';
import { cpuSeconds, freePort, ioSyscalls, peakRss, rss, startProcess, waitForPort, which, type Managed } from './processes.js';
import { DEPRECATION_HEADERS, sundialConfig, type SundialCase } from './sundial-configs.js';

// --backfill: the schema-migration backfill bench instead of the proxy cases.
if (process.argv.includes('--backfill')) process.exit(await (await import('./backfill.js')).main(process.argv.slice(2)));
// --pgroll DIR: run a directory of pgroll-format migration files, one result line per file.
// --openapi DIR: breaking-change accuracy of the OpenAPI diff on a labelled corpus of document pairs.
if (process.argv.includes('--openapi')) process.exit(await (await import('./openapi-accuracy.js')).main(process.argv.slice(2)));
if (process.argv.includes('--pgroll')) process.exit(await (await import('./pgroll-dir.js')).main(process.argv.slice(2)));

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    'warmup-seconds': { type: 'string', default: '20' },
    'rewarm-seconds': { type: 'string', default: '2' },
    only: { type: 'string' },
    soak: { type: 'boolean', default: false },
    instructions: { type: 'boolean', default: false },
    'soak-requests': { type: 'string', default: '200000' },
    // --instructions: requests counted per case, after a warm-up that lets the JIT settle.
    requests: { type: 'string', default: '2500' },
    warmup: { type: 'string', default: '1000' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  process.stdout.write(
    'npm run bench -- [--rounds 3] [--seconds 5] [--warmup-seconds 20] [--rewarm-seconds 2] [--connections 50] [--only a,b,c,d,e,f,g,h] [--soak [--soak-requests 200000]] [--instructions [--requests 2500] [--warmup 1000]]\n',
  );
  process.exit(0);
}

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = join(here, '../src/cli.js');
const root = mkdtempSync(join(tmpdir(), 'sundial-bench-'));
const managed: Managed[] = [];
const notes: string[] = [];

const nginx = which('nginx');
const wrk = which('wrk');
if (!nginx) notes.push('nginx is not installed, so the upstream is a node server and case (b) is skipped. Install it with: apt-get install nginx-light');
if (!wrk)
  notes.push(
    'wrk is not installed, so autocannon generates the load (it shares the 2 cores with the proxies and tops out lower). Install it with: apt-get install wrk',
  );

interface Case {
  id: string;
  name: string;
  url: string;
  process?: Managed;
}

async function cleanup() {
  await Promise.all(managed.map((m) => m.stop()));
  rmSync(root, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

async function startSundial(kind: SundialCase, upstream: string, second: string, workers = 1): Promise<{ url: string; admin: string; process: Managed }> {
  const port = await freePort();
  const adminPort = await freePort();
  const dir = sundialConfig(root, kind, port, adminPort, upstream, second);
  const args = [CLI, 'start', '--dir', dir];
  if (workers > 1) args.push('--workers', String(workers));
  const { child, managed: m } = startProcess(`sundial ${kind}${workers > 1 ? ` x${workers}` : ''}`, process.execPath, args);
  managed.push(m);
  await waitForPort(port, child);
  return { url: `http://127.0.0.1:${port}`, admin: `http://127.0.0.1:${adminPort}`, process: m };
}

/** The fast upstream, on two ports (the second serves canaries and shadows). */
async function startUpstreams(): Promise<[number, string, string]> {
  const [u1, u2] = [await freePort(), await freePort()];
  if (nginx) {
    const dir = join(root, 'nginx-upstream');
    mkdirSync(dir);
    managed.push(nginxUpstream(nginx, dir, [u1, u2]));
  } else {
    managed.push(startProcess('node upstream', process.execPath, [join(here, 'fast-upstream.js'), String(u1), String(u2)]).managed);
  }
  await waitForPort(u1);
  await waitForPort(u2);
  return [u1, `http://127.0.0.1:${u1}`, `http://127.0.0.1:${u2}`];
}

async function setup(): Promise<Case[]> {
  const [u1, upstream, second] = await startUpstreams();
  const want = (id: string) => !opts.only || opts.only.split(',').includes(id);
  const cases: Case[] = [];

  if (want('a')) cases.push({ id: 'a', name: 'direct to the upstream', url: `${upstream}/orders/1` });
  if (want('b') && nginx) {
    const port = await freePort();
    const dir = join(root, 'nginx-proxy');
    mkdirSync(dir);
    const m = nginxProxy(nginx, dir, port, u1, DEPRECATION_HEADERS);
    managed.push(m);
    await waitForPort(port);
    cases.push({ id: 'b', name: 'nginx proxy, same headers', url: `http://127.0.0.1:${port}/v1/orders/1`, process: m });
  }
  if (want('c')) {
    const port = await freePort();
    const { child, managed: m } = startProcess('bare http-proxy', process.execPath, [join(here, 'bare-proxy.js'), String(port), upstream]);
    managed.push(m);
    await waitForPort(port, child);
    cases.push({ id: 'c', name: 'bare @fastify/http-proxy', url: `http://127.0.0.1:${port}/v1/orders/1`, process: m });
  }
  const sundialCases: [string, string, SundialCase, number][] = [
    // (h) runs right after (d), the case it is measured against (see the targets).
    ['d', 'sundial: version, lifecycle, metrics', 'core', 1],
    ['h', 'sundial: + 10% GET shadow, compared', 'shadow10', 1],
    ['e', 'sundial: + 50% canary', 'canary', 1],
    ['f', 'sundial: + 100% GET shadow, compared', 'shadow', 1],
    ['g', 'sundial --workers 2', 'core', 2],
    ['i', 'sundial: v1 via v2, body transformed', 'transform', 1],
  ];
  for (const [id, name, kind, workers] of sundialCases) {
    if (!want(id)) continue;
    try {
      const s = await startSundial(kind, upstream, second, workers);
      cases.push({ id, name, url: `${s.url}/v1/orders/1`, process: s.process });
    } catch (err) {
      notes.push(`case (${id}) could not start: ${(err as Error).message}`);
    }
  }
  return cases;
}

const load = (url: string, seconds: number): Promise<LoadResult> => {
  const o = { url, connections: Number(opts.connections), seconds };
  return wrk ? runWrk(wrk, o) : runAutocannon(o);
};

type MeasuredLoad = LoadResult & { cpuUsPerRequest?: number; syscallsPerRequest?: number };
const rewarmSeconds = Number(opts['rewarm-seconds']);

/**
 * One measured spell of load on `c` (`run`), with the CPU time and the system calls its
 * processes spent over the `served` requests they answered in it.
 */
async function measure(c: Case, run: () => Promise<LoadResult>, served = (res: LoadResult) => res.requests): Promise<MeasuredLoad> {
  // Each case waits idle while the others run, and the first second or so of load after
  // an idle spell costs far more than the steady state (a 2 s window after 3 s idle
  // measured 85 µs per request against 45 with one second of load before it): so every
  // measured spell is preceded by an unmeasured one.
  if (rewarmSeconds > 0) await load(c.url, rewarmSeconds);
  const pids = c.process?.pids() ?? [];
  const cpuBefore = cpuSeconds(pids);
  const callsBefore = ioSyscalls(pids);
  const res = await run();
  const n = served(res);
  if (!pids.length || !n) return res;
  return {
    ...res,
    // CPU time per request is steadier than req/s on a shared machine: it does not depend
    // on how much of the machine the proxy was given, only on what it spent.
    cpuUsPerRequest: ((cpuSeconds(pids) - cpuBefore) * 1e6) / n,
    // Reads and writes per request: what the kernel is asked for, whatever the machine's load.
    syscallsPerRequest: (ioSyscalls(pids) - callsBefore) / n || undefined,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const ratio = (x: number | undefined, y: number | undefined) => (x !== undefined && y ? (x / y).toFixed(2) : '-');

async function benchmark() {
  const cases = await setup();
  const rounds = Number(opts.rounds);
  const seconds = Number(opts.seconds);
  // V8 is still optimizing, and undoing optimizations, for the first seconds under load:
  // `node --trace-opt --trace-deopt` shows (d) settling after about 8 s and (h), whose
  // mirror path is rarer, after about 12 s. A shorter warm-up measures the JIT, not the proxy.
  const warmUp = Number(opts['warmup-seconds']);
  process.stderr.write(`warming up ${cases.length} cases, ${warmUp} s each...\n`);
  for (const c of cases) await load(c.url, warmUp);
  const results = new Map<string, MeasuredLoad[]>(cases.map((c) => [c.id, []]));
  for (let r = 1; r <= rounds; r++) {
    // Interleaved (A B C ... A B C ...), so a slow patch of the machine hits every case.
    for (const c of cases) {
      const res = await measure(c, () => load(c.url, seconds));
      const cpuUsPerRequest = res.cpuUsPerRequest;
      results.get(c.id)!.push(res);
      process.stderr.write(
        `round ${r}/${rounds} (${c.id}) ${c.name}: ${res.rps.toFixed(0)} req/s, p99 ${res.p99ms.toFixed(2)} ms${cpuUsPerRequest ? `, ${cpuUsPerRequest.toFixed(0)} µs CPU/req` : ''}${res.errors ? `, ${res.errors} errors` : ''}\n`,
      );
    }
  }
  const summary = cases.map((c) => {
    const rs = results.get(c.id)!;
    return {
      id: c.id,
      name: c.name,
      rps: median(rs.map((x) => x.rps)),
      p50ms: median(rs.map((x) => x.p50ms)),
      p99ms: median(rs.map((x) => x.p99ms)),
      errors: rs.reduce((s, x) => s + x.errors, 0),
      cpuUsPerRequest: rs.every((x) => x.cpuUsPerRequest !== undefined) ? median(rs.map((x) => x.cpuUsPerRequest!)) : undefined,
      syscallsPerRequest: rs.every((x) => x.syscallsPerRequest !== undefined) ? median(rs.map((x) => x.syscallsPerRequest!)) : undefined,
      peakRssBytes: c.process ? peakRss(c.process.pids()) : undefined,
      rounds: rs,
    };
  });
  const by = (id: string) => summary.find((s) => s.id === id);
  const fixed = await fixedRate(cases, by('d')?.rps);
  const lines = [
    '| case | req/s | p50 ms | p99 ms | CPU µs/req | syscalls/req | peak RSS MB | req/s ÷ (c) | req/s ÷ (b) | p99 ÷ (c) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[...summary]
      .sort((x, y) => x.id.localeCompare(y.id))
      .map(
        (s) =>
          `| (${s.id}) ${s.name} | ${s.rps.toFixed(0)} | ${s.p50ms.toFixed(2)} | ${s.p99ms.toFixed(2)} | ${s.cpuUsPerRequest?.toFixed(0) ?? '-'} | ${s.syscallsPerRequest?.toFixed(2) ?? '-'} | ${s.peakRssBytes ? mb(s.peakRssBytes) : '-'} | ${ratio(s.rps, by('c')?.rps)} | ${ratio(s.rps, by('b')?.rps)} | ${ratio(s.p99ms, by('c')?.p99ms)} |`,
      ),
  ];
  if (fixed) {
    lines.push(
      '',
      `Fixed rate: ${fixed.rate} req/s offered (half of (d)'s rate), an open-loop client timing each request to the microsecond (bench/fixed-rate.ts), ${opts.connections} connections, ${fixed.seconds} s each:`,
      '',
      '| case | req/s | p50 ms | p99 ms | CPU µs/req | syscalls/req |',
      '|---|---:|---:|---:|---:|---:|',
      ...fixed.results.map(
        (r) =>
          `| (${r.id}) at a fixed rate | ${r.rps.toFixed(0)} | ${r.p50ms.toFixed(3)} | ${r.p99ms.toFixed(3)} | ${r.cpuUsPerRequest?.toFixed(0) ?? '-'} | ${r.syscallsPerRequest?.toFixed(2) ?? '-'} |`,
      ),
    );
  }
  const targets: string[] = [];
  const check = (label: string, value: number | undefined, goal: number, atLeast: boolean) => {
    if (value === undefined || !Number.isFinite(value)) return;
    const met = atLeast ? value >= goal : value <= goal;
    targets.push(`- ${label}: ${value.toFixed(2)} (target ${atLeast ? '≥' : '≤'} ${goal}) ${met ? 'met' : 'NOT met'}`);
  };
  // Each target is judged on the median of its per-round ratios: the two cases of one round
  // ran seconds apart, so a slow patch of this shared machine weighs on both sides of a
  // ratio; the ratio of the medians, shown beside it, can set one case's good round
  // against the other's bad one.
  type Figure = 'rps' | 'p50ms' | 'p99ms' | 'cpuUsPerRequest';
  type Measured = Partial<Record<Figure, number>>;
  const judge = (label: string, xs: Measured[], ys: Measured[], key: Figure, goal: number, atLeast: boolean) => {
    const perRound = xs.map((x, i) => (x[key] ?? NaN) / (ys[i]?.[key] ?? NaN)).filter(Number.isFinite);
    const of = (ms: Measured[]) => median(ms.map((m) => m[key] ?? NaN));
    const ofMedians = xs.length && ys.length ? of(xs) / of(ys) : NaN;
    const shown = Number.isFinite(ofMedians) ? ofMedians.toFixed(2) : '-';
    check(`${label}, median of ${perRound.length} rounds' ratios (ratio of medians ${shown})`, perRound.length ? median(perRound) : undefined, goal, atLeast);
  };
  const roundsOf = (id: string) => results.get(id) ?? [];
  judge('(d) CPU/req ÷ (c) CPU/req', roundsOf('d'), roundsOf('c'), 'cpuUsPerRequest', 1.0, false);
  judge('(d) req/s ÷ (c) req/s', roundsOf('d'), roundsOf('c'), 'rps', 1.0, true);
  judge('(d) p99 ÷ (c) p99', roundsOf('d'), roundsOf('c'), 'p99ms', 1.1, false);
  judge('(e) req/s ÷ (d) req/s', roundsOf('e'), roundsOf('d'), 'rps', 0.95, true);
  judge('(h) req/s ÷ (d) req/s', roundsOf('h'), roundsOf('d'), 'rps', 0.95, true);
  judge('(f) CPU/req ÷ (d) CPU/req', roundsOf('f'), roundsOf('d'), 'cpuUsPerRequest', 1.5, false);
  judge('(f) req/s ÷ (d) req/s', roundsOf('f'), roundsOf('d'), 'rps', 0.65, true);
  judge('(g) req/s ÷ (b) req/s', roundsOf('g'), roundsOf('b'), 'rps', 0.5, true);
  if (fixed) {
    judge('fixed rate: (f) p50 ÷ (d) p50', fixed.rounds.f, fixed.rounds.d, 'p50ms', 1.1, false);
    judge('fixed rate: (f) p99 ÷ (d) p99', fixed.rounds.f, fixed.rounds.d, 'p99ms', 1.1, false);
  }
  return { lines, targets, summary: { cases: summary, fixedRate: fixed } };
}

/** (d) and (f) at half of (d)'s measured maximum, the same constant rate for both. */
async function fixedRate(cases: Case[], dRps: number | undefined) {
  const d = cases.find((c) => c.id === 'd');
  const f = cases.find((c) => c.id === 'f');
  if (!d || !f || !dRps) return undefined;
  const rate = Math.round(dRps / 2);
  const seconds = Math.max(5, Number(opts.seconds));
  // Round by round, (d) then (f): each round's pair is judged together (the targets).
  const rounds: Record<'d' | 'f', MeasuredLoad[]> = { d: [], f: [] };
  for (let r = 0; r < Number(opts.rounds); r++) {
    for (const c of [d, f]) {
      // The process also served the client's own second of warm-up at the fixed rate.
      const res = await measure(
        c,
        () => runFixedRate(c.url, rate, seconds, Number(opts.connections)),
        (x) => Math.ceil(rate) + x.requests,
      );
      process.stderr.write(
        `fixed rate ${rate}/s (${c.id}): p50 ${res.p50ms.toFixed(3)} ms, p99 ${res.p99ms.toFixed(3)} ms${res.cpuUsPerRequest ? `, ${res.cpuUsPerRequest.toFixed(0)} µs CPU/req` : ''}\n`,
      );
      rounds[c.id as 'd' | 'f'].push(res);
    }
  }
  const med = (id: 'd' | 'f', k: 'rps' | 'p50ms' | 'p99ms' | 'cpuUsPerRequest' | 'syscallsPerRequest') => {
    const xs = rounds[id].map((x) => x[k]);
    return xs.every((x) => x !== undefined) ? median(xs as number[]) : undefined;
  };
  return {
    rate,
    seconds,
    rounds,
    results: (['d', 'f'] as const).map((id) => ({
      id,
      rps: med(id, 'rps')!,
      p50ms: med(id, 'p50ms')!,
      p99ms: med(id, 'p99ms')!,
      cpuUsPerRequest: med(id, 'cpuUsPerRequest'),
      syscallsPerRequest: med(id, 'syscallsPerRequest'),
      requests: 0,
      errors: 0,
    })),
  };
}

async function soak() {
  const [, upstream, second] = await startUpstreams();
  const s = await startSundial('shadow', upstream, second);
  const url = `${s.url}/v1/orders/1`;
  const total = Number(opts['soak-requests']);
  const connections = Number(opts.connections);
  await runCount(url, connections, 5000);
  const samples: { after: number; rssBytes: number }[] = [{ after: 0, rssBytes: rss(s.process.pids()) }];
  let sent = 0;
  let errors = 0;
  for (const chunk of [total / 2, total / 2]) {
    const r = await runCount(url, connections, chunk);
    sent += chunk;
    errors += r.errors;
    samples.push({ after: sent, rssBytes: rss(s.process.pids()) });
    process.stderr.write(`soak: ${sent} requests, RSS ${mb(samples[samples.length - 1].rssBytes)} MB\n`);
  }
  const [start, middle, end] = samples;
  const growth = (end.rssBytes - middle.rssBytes) / middle.rssBytes;
  const report = await fetch(`${s.admin}/admin/shadow`, { headers: { authorization: 'Bearer bench-admin-token' } })
    .then((r) => r.json())
    .catch(() => undefined);
  const lines = [
    `| point | requests | RSS MB |`,
    `|---|---:|---:|`,
    `| start | ${start.after} | ${mb(start.rssBytes)} |`,
    `| middle | ${middle.after} | ${mb(middle.rssBytes)} |`,
    `| end | ${end.after} | ${mb(end.rssBytes)} |`,
  ];
  const targets = [`- RSS growth, middle to end: ${(growth * 100).toFixed(1)}% (target < 20%) ${growth < 0.2 ? 'met' : 'NOT met'}`, `- errors: ${errors}`];
  return { lines, targets, summary: { samples, growth, errors, shadow: report } };
}

async function instructions() {
  const [u1, upstream, second] = await startUpstreams();
  void u1;
  const sundialCase = (id: string, name: string, kind: SundialCase) => ({
    id,
    name,
    path: '/v1/orders/1',
    command: (port: number) => [process.execPath, CLI, 'start', '--dir', sundialConfig(root, kind, port, 0, upstream, second)],
  });
  const stagesCase = (id: string, name: string, stage: ShadowStage) => ({
    id,
    name,
    path: '/v1/orders/1',
    command: (port: number) => [process.execPath, join(here, 'shadow-stages.js'), sundialConfig(root, 'shadow', port, 0, upstream, second), stage],
  });
  const all = [
    {
      id: 'c',
      name: 'bare @fastify/http-proxy',
      path: '/v1/orders/1',
      command: (port: number) => [process.execPath, join(here, 'bare-proxy.js'), String(port), upstream],
    },
    sundialCase('d', 'sundial: version, lifecycle, metrics', 'core'),
    sundialCase('e', 'sundial: + 50% canary', 'canary'),
    sundialCase('h', 'sundial: + 10% GET shadow, compared', 'shadow10'),
    // (f) in stages (shadow-stages.ts): each adds one stage of a mirrored request.
    stagesCase('f1', '(f) capture only: admitted, the answer copied, no mirror', 'capture'),
    stagesCase('f2', '(f) + the mirror request, not compared', 'mirror'),
    stagesCase('f', 'sundial: + 100% GET shadow, compared', 'full'),
  ];
  const wanted = opts.only ? all.filter((c) => opts.only!.split(',').includes(c.id)) : all;
  const result = await instructionsPerRequest(root, wanted, Number(opts.requests), Number(opts.warmup));
  if (typeof result === 'string') {
    notes.push(result);
    return { lines: [], targets: [], summary: [] };
  }
  const per = (id: string) => result.find((r) => r.id === id)?.instructionsPerRequest;
  const lines = [
    '| case | instructions per request | ÷ (c) | ÷ (d) |',
    '|---|---:|---:|---:|',
    ...result.map(
      (r) =>
        `| (${r.id}) ${r.name} | ${r.instructionsPerRequest} | ${ratio(r.instructionsPerRequest, per('c'))} | ${ratio(r.instructionsPerRequest, per('d'))} |`,
    ),
  ];
  const [d, f1, f2, f] = ['d', 'f1', 'f2', 'f'].map(per);
  if (d && f1 && f2 && f) {
    const stage = (label: string, x: number) => `| ${label} | ${x} | ${(x / d).toFixed(2)} |`;
    lines.push(
      '',
      'Per stage of a mirrored GET, each the difference of two rows above (a GET has no request body, so there is no request tee to pay for):',
      '',
      '| stage | instructions per mirrored request | ÷ (d) |',
      '|---|---:|---:|',
      stage('admission and the copy of the primary answer, (f1) − (d)', f1 - d),
      stage('the mirror request and its answer, (f2) − (f1)', f2 - f1),
      stage('the comparison, (f) − (f2)', f - f2),
      stage('all of the shadow, (f) − (d)', f - d),
    );
  }
  const targets: string[] = [];
  const check = (label: string, value: number | undefined, goal: number, atLeast: boolean) => {
    if (value === undefined || !Number.isFinite(value)) return;
    const met = atLeast ? value >= goal : value <= goal;
    targets.push(`- ${label}: ${value.toFixed(2)} (target ${atLeast ? '≥' : '≤'} ${goal}) ${met ? 'met' : 'NOT met'}`);
  };
  const e = per('e');
  const h = per('h');
  const c = per('c');
  if (d) {
    check('(d) instructions ÷ (c)', c && d / c, 1.0, false);
    check('(d) ÷ (e) instructions, the (e) ÷ (d) req/s a CPU-bound proxy gets', e && d / e, 0.95, true);
    check('(d) ÷ (h) instructions, the (h) ÷ (d) req/s a CPU-bound proxy gets', h && d / h, 0.95, true);
    check('(f) instructions ÷ (d)', f && f / d, 1.5, false);
  }
  return { lines, targets, summary: result };
}

try {
  const started = new Date();
  const out = opts.instructions ? await instructions() : opts.soak ? await soak() : await benchmark();
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: process.platform,
  };
  const generator = opts.soak || opts.instructions ? 'autocannon, a fixed number of requests' : wrk ? 'wrk -t2' : 'autocannon';
  const mode = opts.instructions ? 'instructions' : opts.soak ? 'soak' : 'benchmark';
  process.stdout.write(`\n## sundial ${mode}, ${started.toISOString()}\n\n`);
  const how = opts.instructions
    ? `callgrind, ${opts.warmup} requests of warm-up and ${opts.requests} counted, over 10 connections, per case`
    : `${generator}, ${opts.connections} connections${opts.soak ? '' : `, ${opts.rounds} rounds of ${opts.seconds}s, medians`}`;
  process.stdout.write(`${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}; load: ${how}\n\n`);
  process.stdout.write(out.lines.join('\n') + '\n\n' + out.targets.join('\n') + '\n');
  for (const n of notes) process.stdout.write(`\nnote: ${n}\n`);
  const resultsDir = join(here, '../../bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}${mode === 'benchmark' ? '' : `-${mode}`}.json`);
  writeFileSync(file, JSON.stringify({ started, machine, generator, options: opts, notes, results: out.summary, targets: out.targets }, null, 2));
  process.stdout.write(`\nresults: ${file}\n`);
} finally {
  await cleanup();
}
