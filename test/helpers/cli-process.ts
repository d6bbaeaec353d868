// Runs `sundial start` as a real child process and follows its JSON log lines, so a test
// can wait for "sundial is serving" (and read the addresses it logs) or any other event.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

type LogLine = Record<string, any>;

export function startCli(t: Test, args: string[]) {
  const child = spawn(process.execPath, [CLI, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) as unknown as ChildProcessWithoutNullStreams;
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const logs: LogLine[] = [];
  const waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    let entry: LogLine;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    logs.push(entry);
    for (const w of [...waiters])
      if (w.test(entry)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry);
      }
  });
  const waitFor = (test: (l: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const seen = logs.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, waitFor, exited };
}
