// Shadow faults: a candidate that is down, slow, or resets every connection, under
// concurrent load. The client never waits for a mirror and never fails because of one:
// every client request gets the primary's 200, and the report counts the mirror failures.
// Bounded by request count; the waits are bounded by the test's timeout.
import t, { type Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { closedPort } from '../helpers/upstream.js';
import { jsonUpstream, settled, shadowGateway, waitForReport, type Responder } from '../shadow/helpers.js';

const REQUESTS = 200;
const CONCURRENCY = 20;

async function load(url: string): Promise<{ ok: number; failures: string[] }> {
  let next = 0;
  let ok = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        try {
          const res = await request(`${url}/v2/orders/${i}`);
          const body = await res.body.text();
          if (res.statusCode === 200 && body.includes('primary')) ok++;
          else failures.push(`${res.statusCode} ${body.slice(0, 200)}`);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    }),
  );
  return { ok, failures };
}

const primaryAnswer: Responder = (req) => ({ body: { from: 'primary', url: req.url } });

const cases: [string, (t: Test) => Promise<string>, Record<string, unknown>][] = [
  ['down (connection refused)', async () => `http://127.0.0.1:${await closedPort()}`, {}],
  [
    'slow (answers after the shadow timeout)',
    async (t) =>
      (
        await jsonUpstream(t, 'slow', async (req) => {
          await sleep(1500);
          return { body: { from: 'primary', url: req.url } };
        })
      ).url,
    { timeout: '200ms' },
  ],
  ['resetting every connection', async (t) => (await jsonUpstream(t, 'reset', () => 'reset')).url, {}],
  [
    'slow with a small in-flight cap',
    async (t) =>
      (
        await jsonUpstream(t, 'stuck', async (req) => {
          await sleep(800);
          return { body: { from: 'primary', url: req.url } };
        })
      ).url,
    { timeout: '2s', maxInFlight: 5 },
  ],
];

for (const [name, candidate, extra] of cases) {
  t.test(`shadow candidate ${name}: 0 client errors under load`, async (t) => {
    const primary = await jsonUpstream(t, 'primary', primaryAnswer);
    const s = await shadowGateway(t, primary.url, { upstream: await candidate(t), sample: 1, ...extra });
    const { ok, failures } = await load(s.url);
    t.same(failures.slice(0, 5), [], 'no client request failed');
    t.equal(ok, REQUESTS, "every client got the primary's answer");
    const report = await waitForReport(s.adminUrl, (r) => settled(r) >= REQUESTS && r.inFlight === 0);
    const skipped = Object.values(report.skipped).reduce((a, b) => a + b, 0);
    if (extra.maxInFlight) {
      t.ok(skipped > 0, `mirrors over the in-flight cap are skipped, not queued (${JSON.stringify(report.skipped)})`);
      t.equal(report.compared + report.errors + skipped, REQUESTS, 'every mirror is accounted for');
    } else {
      t.equal(report.compared, 0, 'no candidate answer was compared');
      t.equal(
        report.errors + skipped,
        REQUESTS,
        `every mirror is counted as an error or a skip (errors ${report.errors}, skipped ${JSON.stringify(report.skipped)})`,
      );
    }
    t.equal(report.inFlight, 0, 'no mirror is left in flight');
  });
}
