// `npm run bench -- --instructions`: CPU instructions per request, counted by valgrind's
// callgrind, for the bare proxy (c) and sundial (d). Unlike req/s or CPU time, instruction
// counts do not move with what else the machine is doing, so small differences show.
// Each proxy runs twice under callgrind, serving N and 3N requests; the difference divided
// by 2N is the cost of one request, start-up and warm-up cancelled out.
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

async function countOnce(root: string, c: InstructionCase, requests: number, valgrind: string): Promise<number> {
  const port = await freePort();
  const out = join(root, `callgrind.${c.id}.${requests}`);
  const { child, managed } = startProcess(`callgrind ${c.id}`, valgrind, [
    '--tool=callgrind',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${out}.%p`,
    ...c.command(port),
  ]);
  try {
    await waitForPort(port, child, 2400);
    const res = await runCount(`http://127.0.0.1:${port}${c.path}`, 10, requests);
    if (res.errors) throw new Error(`${res.errors} failed requests under callgrind`);
  } finally {
    await stopGently(child, managed);
  }
  // The waitForPort probe is one more request, on both runs alike.
  let total = 0;
  for (const f of readdirSync(root).filter((f) => f.startsWith(`callgrind.${c.id}.${requests}.`))) {
    const m = /^summary:\s+(\d+)/m.exec(readFileSync(join(root, f), 'utf8'));
    if (m) total += Number(m[1]);
    rmSync(join(root, f));
  }
  return total;
}

async function stopGently(child: ChildProcess, m: Managed): Promise<void> {
  // SIGINT lets the process end on its own terms, and callgrind then writes its counts;
  // it is only killed if it has not gone after a minute.
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
  n = 1000,
): Promise<{ id: string; name: string; instructionsPerRequest: number }[] | string> {
  const valgrind = which('valgrind');
  if (!valgrind) return 'valgrind is not installed; install it with: apt-get install valgrind';
  const out = [];
  for (const c of cases) {
    process.stderr.write(`callgrind (${c.id}) ${c.name}: ${n} and ${3 * n} requests...\n`);
    const small = await countOnce(root, c, n, valgrind);
    const large = await countOnce(root, c, 3 * n, valgrind);
    out.push({ id: c.id, name: c.name, instructionsPerRequest: Math.round((large - small) / (2 * n)) });
  }
  return out;
}
