// Opens the database a command works on: --database-url, DATABASE_URL, or a throwaway
// embedded PostgreSQL (optionally seeded from a SQL file, so there is something to migrate).
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { ERR_MIGRATE_CONNECT, ERR_MIGRATE_FILE, ERR_MIGRATE_NO_DATABASE, ERR_MIGRATE_USAGE } from '../errors.js';
import { startEmbedded } from './embedded.js';

export interface Connection {
  client: pg.Client;
  url: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  url?: string;
  embedded?: boolean;
  seed?: string;
  log?: (line: string) => void;
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** A postgres:// or postgresql:// URL, or a usage error saying what one looks like. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol) || (!parsed.hostname && !parsed.searchParams.has('host'))) {
    throw ERR_MIGRATE_USAGE(`"${redactUrl(url)}" is not a PostgreSQL URL: expected postgres://USER:PASSWORD@HOST:5432/DATABASE`);
  }
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running, on that host and port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

export async function openDatabase(o: ConnectOptions): Promise<Connection> {
  // A seed file is read before anything starts, so a wrong path fails fast and clearly.
  const seed =
    o.seed === undefined
      ? undefined
      : await readFile(o.seed, 'utf8').catch((err: Error) => {
          throw ERR_MIGRATE_FILE(`${o.seed} (--seed)`, err.message);
        });
  const given = o.url ?? process.env.DATABASE_URL;
  if (!o.embedded && given) checkDatabaseUrl(given);
  const embedded = o.embedded ? await startEmbedded() : undefined;
  const url = embedded?.url ?? given;
  if (!url) throw ERR_MIGRATE_NO_DATABASE();
  if (embedded) o.log?.(`started a throwaway PostgreSQL at ${url} (removed on exit)`);
  const client = new pg.Client({ connectionString: url, application_name: 'sundial-migrate', connectionTimeoutMillis: 10_000 });
  try {
    try {
      await client.connect();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw ERR_MIGRATE_CONNECT(redactUrl(url), (e.code && CONNECT_ERRORS[e.code]) ?? e.message);
    }
    if (seed !== undefined) await client.query(seed);
  } catch (err) {
    await client.end().catch(() => {});
    await embedded?.stop();
    throw err;
  }
  return {
    client,
    url,
    async close() {
      await client.end().catch(() => {});
      await embedded?.stop();
    },
  };
}
