// The transforms example, end to end (docs/transforms.md): orders v1 (`total_cents`) served
// from the v2 backend (`total: {amount, currency}`).
//   1. shadow: v1's GETs are mirrored through the transform to v2's backend, and compared;
//   2. canary: "v1 via v2" takes v1's traffic step by step, 10%, 50%, 100%;
//   3. v1 is configured `upstream: { via: v2 }` and v1's backend is stopped.
// Every v1 client gets the same answers throughout.
//   npm run build && node dist/examples/transforms/run.js
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gateway } from '../../src/gateway/gateway.js';
import type { TransformVerdict } from '../../src/transform/shadow.js';
import { portOf, startBackend } from './backends.js';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/transforms', import.meta.url));

const PATHS = [1, 2, 3, 4, 5].flatMap((id) => [`/orders/${id}`, `/orders/${id}/items`]);

export interface TransformsRun {
  verdict: TransformVerdict;
  /** The canary's percentage after each analysis, and its final status. */
  steps: number[];
  status: string;
  /** v1 answers that differed from v1's own backend's, at any stage. */
  wrongAnswers: string[];
  /** Answers after v1's backend was stopped, and the POST round trip. */
  afterStop: { ok: number; total: number; created: unknown };
  log: string[];
}

async function get(url: string, client: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { 'x-client-id': client } });
  return { status: res.status, body: await res.text() };
}

export async function runTransformsExample(options: { ports?: { v1: number; v2: number }; quiet?: boolean } = {}): Promise<TransformsRun> {
  const log: string[] = [];
  const say = (line: string) => {
    log.push(line);
    if (!options.quiet) console.log(line);
  };
  const v1 = await startBackend('v1', options.ports?.v1 ?? 7201);
  const v2 = await startBackend('v2', options.ports?.v2 ?? 7202);
  // A copy of the example: the controller writes the flag file, and stage 3 the route file.
  const dir = mkdtempSync(join(tmpdir(), 'sundial-transforms-'));
  cpSync(EXAMPLE_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.endsWith('.js') });
  const env = { ...process.env, ORDERS_V1_PORT: String(portOf(v1)), ORDERS_V2_PORT: String(portOf(v2)) };
  const gateway = await Gateway.create({ dir, env, port: options.ports ? 0 : undefined, adminPort: options.ports ? 0 : undefined, logLevel: 'warn' });
  const { proxy: url } = await gateway.listen();
  const stop = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  try {
    // What v1's own backend answers: what every v1 client must keep getting.
    const expected = new Map<string, string>();
    for (const p of PATHS) expected.set(p, await (await fetch(`http://127.0.0.1:${portOf(v1)}${p}`)).text());
    const wrongAnswers: string[] = [];
    let client = 0;
    const traffic = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const p = PATHS[i % PATHS.length];
        const r = await get(`${url}/v1${p}`, `client-${client++}`);
        if (r.status !== 200 || JSON.stringify(JSON.parse(r.body)) !== JSON.stringify(JSON.parse(expected.get(p)!)))
          wrongAnswers.push(`${p}: ${r.status} ${r.body}`);
      }
    };

    say('1. shadow: v1 GETs mirrored through the transform to the v2 backend');
    const controller = gateway.rollouts.get('orders/v1')!;
    await controller.act('pause'); // the shadow comes first: no canary traffic yet
    await controller.act('set', 0);
    await traffic(50);
    let report = gateway.shadow.report().shadows[0];
    while (report.inFlight > 0 || report.compared + report.errors < 50) {
      await new Promise((r) => setTimeout(r, 10));
      report = gateway.shadow.report().shadows[0];
    }
    const verdict = report.transform!;
    say(`   compared ${verdict.compared}, faithful: ${verdict.faithful}, unfaithful fields: ${verdict.unfaithful.join(', ') || 'none'}`);

    say('2. canary: "v1 via v2" takes v1\'s traffic step by step');
    await controller.act('resume');
    const steps: number[] = [controller.status().percent];
    while (controller.status().status === 'progressing') {
      await traffic(200);
      await controller.tick();
      // A tick may hold the step (too few requests yet on a loaded machine): record each step once.
      const percent = controller.status().percent;
      if (percent !== steps[steps.length - 1]) steps.push(percent);
      say(`   analysis: ${controller.status().status} at ${controller.status().percent}%`);
    }
    const status = controller.status().status;

    say("3. v1 served via v2 only; v1's backend stopped");
    writeFileSync(
      join(dir, 'routes/orders.yaml'),
      [
        'name: orders',
        'prefix: /orders',
        'versions:',
        '  v1: { upstream: { via: v2 } }',
        '  v2: { upstream: "http://127.0.0.1:${ORDERS_V2_PORT:-7202}" }',
        '',
      ].join('\n'),
    );
    const reload = await gateway.reload('example: stage 3');
    if (reload.result !== 'applied') throw new Error(`reload ${reload.result}: ${JSON.stringify(reload)}`);
    await stop(v1);
    const before = wrongAnswers.length;
    await traffic(PATHS.length);
    const created = await fetch(`${url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 6, total_cents: 1250 }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const afterStop = { ok: PATHS.length - (wrongAnswers.length - before), total: PATHS.length, created };
    say(`   ${afterStop.ok} of ${afterStop.total} v1 answers as before; POST gave ${JSON.stringify(created)}`);
    say(`every v1 client kept working: ${wrongAnswers.length === 0 ? 'yes' : `no, ${wrongAnswers.length} wrong answers`}`);
    return { verdict, steps, status, wrongAnswers, afterStop, log };
  } finally {
    await gateway.close();
    await stop(v2);
    if (v1.listening) await stop(v1);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runTransformsExample().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
