// Opens the database a command works on: --database-url, DATABASE_URL, or a throwaway
// embedded PostgreSQL (optionally seeded from a SQL file, so there is something to migrate).
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { ERR_MIGRATE_NO_DATABASE } from '../errors.js';
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

export async function openDatabase(o: ConnectOptions): Promise<Connection> {
  const embedded = o.embedded ? await startEmbedded() : undefined;
  const url = embedded?.url ?? o.url ?? process.env.DATABASE_URL;
  if (!url) throw ERR_MIGRATE_NO_DATABASE();
  if (embedded) o.log?.(`started a throwaway PostgreSQL at ${url} (removed on exit)`);
  const client = new pg.Client({ connectionString: url, application_name: 'sundial-migrate' });
  try {
    await client.connect();
    if (o.seed) await client.query(await readFile(o.seed, 'utf8'));
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
