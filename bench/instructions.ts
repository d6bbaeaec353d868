// `npm run bench -- --instructions`: CPU instructions per request, counted by valgrind's
// callgrind. Unlike req/s or CPU time, instruction counts do not move with what else the
// machine is doing, so small differences show. Each proxy starts once under callgrind
// (minutes: valgrind translates every instruction it runs), serves a warm-up, has its
// counters zeroed (callgrind_control -z), serves N requests and is made to dump its counts
// (callgrind_control -d): start-up and warm-up are left out, and the count divided by N is
// one request's cost, every thread of the process (GC, libuv) included.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCount } from './load.js';
import type { ChildProcess } from 'node:child_process';
import { freePort, startProcess, waitForPort, which, type Managed } from './processes.js';

export interface InstructionCase {
  id: string;
  name: string;
  /** The command that serves `url` on `port`, to run under valgrind. */
  command(port: number): string[];
  path: string;
}

const CONNECTIONS = 10;
// Node's start under valgrind takes minutes on a busy machine: up to 15 of them.
const START_TRIES = 18_000;

function dumpTotal(root: string, prefix: string): number | undefined {
  // callgrind_control -d writes `<out>.<pid>.<n>`; the last part holds the counted span.
  const parts = readdirSync(root)
    .filter((f) => f.startsWith(prefix) && /\.\d+\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  const last = parts[parts.length - 1];
  if (!last) return undefined;
  const m = /^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(join(root, last), 'utf8'));
  return m ? Number(m[1]) : undefined;
}

async function countOnce(root: string, c: InstructionCase, requests: number, warmUp: number, valgrind: string, control: string): Promise<number> {
  const port = await freePort();
  const prefix = `callgrind.${c.id}`;
  const { child, managed } = startProcess(`callgrind ${c.id}`, valgrind, [
    '--tool=callgrind',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${join(root, prefix)}.%p`,
    ...c.command(port),
  ]);
  try {
    await waitForPort(port, child, START_TRIES);
    const url = `http://127.0.0.1:${port}${c.path}`;
    // The first requests run while valgrind is still translating code, slowly enough that
    // a few may time out; only the counted span must be clean.
    await runCount(url, CONNECTIONS, warmUp);
    // Let the mirrors and comparisons of the warm-up settle before the count starts.
    await new Promise((r) => setTimeout(r, 2000));
    spawnSync(control, ['-z', String(child.pid)], { stdio: 'ignore' });
    const res = await runCount(url, CONNECTIONS, requests);
    if (res.errors) throw new Error(`${res.errors} failed requests under callgrind`);
    await new Promise((r) => setTimeout(r, 2000));
    spawnSync(control, ['-d', String(child.pid)], { stdio: 'ignore' });
    const total = dumpTotal(root, prefix);
    if (total === undefined) throw new Error(`callgrind wrote no counts for (${c.id})`);
    return total;
  } finally {
    await stopGently(child, managed);
    for (const f of readdirSync(root).filter((f) => f.startsWith(prefix))) rmSync(join(root, f));
  }
}

async function stopGently(child: ChildProcess, m: Managed): Promise<void> {
  // SIGINT lets the process end on its own terms; it is only killed if it has not gone
  // after a minute.
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000).unref())]);
  }
  await m.stop();
}

export async function instructionsPerRequest(
  root: string,
  cases: InstructionCase[],
  n = 2500,
  warmUp = 1000,
): Promise<{ id: string; name: string; instructionsPerRequest: number }[] | string> {
  const valgrind = which('valgrind');
  const control = which('callgrind_control');
  if (!valgrind || !control) return 'valgrind is not installed; install it with: apt-get install valgrind';
  const out = [];
  for (const c of cases) {
    process.stderr.write(`callgrind (${c.id}) ${c.name}: ${n} requests after ${warmUp} of warm-up...\n`);
    const total = await countOnce(root, c, n, warmUp, valgrind, control);
    const perRequest = Math.round(total / n);
    process.stderr.write(`callgrind (${c.id}): ${perRequest} instructions per request\n`);
    out.push({ id: c.id, name: c.name, instructionsPerRequest: perRequest });
  }
  return out;
}
