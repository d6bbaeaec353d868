// The Docker image's HEALTHCHECK: `node dist/src/cli/healthcheck.js DIR` asks the admin
// listener named by the config in DIR for /healthz, so the check follows admin.host and
// admin.port instead of assuming 9090. Exits 0 when healthy, 1 otherwise.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

export async function healthy(dir: string): Promise<boolean> {
  const { host, port } = loadConfig(dir).gateway.admin;
  const reachable = WILDCARD.has(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const res = await fetch(`http://${reachable}:${port}/healthz`, { signal: AbortSignal.timeout(2500) });
  return res.ok;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  healthy(process.argv[2] ?? '.').then(
    (ok) => process.exit(ok ? 0 : 1),
    () => process.exit(1),
  );
}
