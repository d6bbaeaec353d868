// A real Prometheus server for a test, scraping gateways' admin listeners on loopback.
// The binary comes from the system's packages (`apt-get install prometheus`; .ci/run
// installs it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { request } from 'undici';
import { eventually } from './wait.js';

export function prometheusBinary(): string | undefined {
  for (const candidate of [process.env.PROMETHEUS_BIN, 'prometheus', '/usr/bin/prometheus'].filter(Boolean) as string[]) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export { freePort } from '../../src/free-port.js';

export interface PrometheusServer {
  url: string;
  query(q: string): Promise<number | undefined>;
}

export async function startPrometheus(t: Test, binary: string, port: number, targets: string[], bearer: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sundial-prometheus-'));
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'sundial', authorization: { type: 'Bearer', credentials: bearer }, static_configs: [{ targets }] }],
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    return request(`${url}/-/ready`).then(
      async (r) => {
        await r.body.dump();
        return r.statusCode === 200;
      },
      () => false,
    );
  }, 'Prometheus to be ready');
  return {
    url,
    async query(q: string) {
      const res = await request(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.body.json()) as { data?: { result: { value: [number, string] }[] } };
      const v = body.data?.result[0]?.value[1];
      return v === undefined ? undefined : Number(v);
    },
  };
}
