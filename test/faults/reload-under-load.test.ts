// Reloads under load: 300 config reloads, each changing the config (so each is applied, not
// "unchanged"), while clients keep requesting through the gateway. Every request must
// succeed: a reload swaps the config between requests and never fails one in flight.
// Bounded by the reload count, and by a time limit that only stops a stuck run.
import t from 'tap';
import { request } from 'undici';
import { orderFiles, testConfigDir } from '../helpers/config-dir.js';
import { startGateway } from '../helpers/gateway.js';
import { versionUpstreams } from '../helpers/upstream.js';

const RELOADS = 300;
const CLIENTS = 8;

t.test(`${RELOADS} reloads during a load run: 0 failed requests`, async (t) => {
  const { v1, v2 } = await versionUpstreams(t);
  const files = orderFiles({ v1: v1.url, v2: v2.url });
  const dir = testConfigDir(t, files);
  const { gateway, url } = await startGateway(t, { dir: dir.dir });

  let done = false;
  let ok = 0;
  const failures: string[] = [];
  const client = async (n: number) => {
    let i = 0;
    while (!done) {
      const path = (i++ + n) % 2 ? '/v1/orders/1' : '/v2/orders/1';
      try {
        const res = await request(`${url}${path}`);
        const body = await res.body.text();
        if (res.statusCode === 200 && body.includes('"name":"')) ok++;
        else failures.push(`${path}: ${res.statusCode} ${body.slice(0, 200)}`);
      } catch (err) {
        failures.push(`${path}: ${(err as Error).message}`);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));

  const results: Record<string, number> = {};
  const deadline = Date.now() + 150_000; // a guard against a stuck run, not a measurement
  for (let i = 0; i < RELOADS && Date.now() < deadline; i++) {
    dir.write('versions/v2.yaml', { id: 'v2', aliases: ['2'], description: `reload ${i}` });
    const outcome = await gateway.reload(`test ${i}`);
    results[outcome.result] = (results[outcome.result] ?? 0) + 1;
    // Let the clients through between reloads, so every reload happens under load.
    const seen = ok + failures.length;
    while (ok + failures.length < seen + CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  }
  done = true;
  await Promise.all(clients);

  t.equal(results.applied, RELOADS, `every reload was applied (${JSON.stringify(results)})`);
  t.same(failures.slice(0, 10), [], 'no request failed');
  t.equal(failures.length, 0);
  t.ok(ok >= RELOADS * CLIENTS, `requests were served between every two reloads (${ok})`);
  t.equal(gateway.current.versions.get('v2')?.description, `reload ${RELOADS - 1}`, 'the last config is the one serving');
});
