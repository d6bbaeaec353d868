// Child processes of the benchmark, and their memory: every proxy under test runs in a
// process of its own, so its RSS is its own and it does not share a heap with the load.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export { freePort } from '../src/free-port.js';

export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const path = `${dir}/${binary}`;
    if (spawnSync('test', ['-x', path]).status === 0) return path;
  }
  return undefined;
}

export async function waitForPort(port: number, child?: ChildProcess, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${port}`);
}

export interface Managed {
  name: string;
  /** Every process whose memory counts (a master and its workers). */
  pids(): number[];
  stop(): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; managed: Managed } {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (code && code !== 0 && signal === null) process.stderr.write(`bench: ${name} exited with ${code}\n${stderr}\n`);
  });
  const managed: Managed = {
    name,
    pids: () => (child.pid ? [child.pid, ...childrenOf(child.pid)] : []),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
  return { child, managed };
}

export function childrenOf(pid: number): number[] {
  try {
    const list = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    const direct = list ? list.split(/\s+/).map(Number) : [];
    return direct.flatMap((c) => [c, ...childrenOf(c)]);
  } catch {
    return [];
  }
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory now, summed over a process tree, in bytes. */
export function rss(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + statusField(pid, 'VmRSS'), 0);
}

/** Peak resident memory, summed over a process tree, in bytes. */
export function peakRss(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + statusField(pid, 'VmHWM'), 0);
}

/** CPU time used so far (user + system), summed over a process tree, in seconds. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // The command name may hold spaces, so fields are counted after its closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * Read-like and write-like system calls made so far (syscr + syscw in /proc/PID/io), summed
 * over a process tree. A count, not a time: it does not move with the machine's load.
 */
export function ioSyscalls(pids: number[]): number {
  let calls = 0;
  for (const pid of pids) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      calls += Number(/^syscr:\s+(\d+)/m.exec(io)?.[1] ?? 0) + Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? 0);
    } catch {
      // gone, or not Linux
    }
  }
  return calls;
}
