// The bench's counts of a process's system calls (bench/processes.ts), read from /proc: the
// figure of the bench that does not move with the machine's load.
import t from 'tap';
import { closeSync, openSync, writeSync } from 'node:fs';
import { ioSyscalls } from '../bench/processes.js';

t.test('counts the writes a process makes', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const fd = openSync('/dev/null', 'w');
  t.teardown(() => closeSync(fd));
  const before = ioSyscalls([process.pid]);
  for (let i = 0; i < 100; i++) writeSync(fd, 'x');
  const after = ioSyscalls([process.pid]);
  t.ok(after - before >= 100, `100 writes counted (${after - before})`);
});

t.test('a process that is gone counts nothing', async (t) => {
  t.equal(ioSyscalls([2 ** 22 + 1]), 0);
});
