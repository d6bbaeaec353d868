// The shadow example, end to end: builds 2.3.0 (primary and secondary) and 2.4.0
// (candidate), the gateway on examples/shadow, some client traffic, then the report.
//   npm run build && node dist/examples/shadow/run.js
// Pass --keep to leave everything running, to try `sundial shadow report --dir examples/shadow`.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Gateway } from '../../src/gateway/gateway.js';
import type { ShadowReportDocument } from '../../src/shadow/service.js';
import { formatReport } from '../../src/shadow/table.js';
import { portOf, startBuild } from './builds.js';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/shadow', import.meta.url));

export interface ExampleRun {
  gateway: Gateway;
  url: string;
  adminUrl: string;
  report: ShadowReportDocument;
  close(): Promise<void>;
}

/** Runs the example. Port 0 everywhere picks free ports (for tests). */
export async function runShadowExample(
  options: { ports?: { primary: number; secondary: number; candidate: number }; gatewayPort?: number; adminPort?: number; requests?: number } = {},
): Promise<ExampleRun> {
  const ports = options.ports ?? { primary: 7101, secondary: 7102, candidate: 7103 };
  const servers: Server[] = [await startBuild('2.3.0', ports.primary), await startBuild('2.3.0', ports.secondary), await startBuild('2.4.0', ports.candidate)];
  const env = {
    ...process.env,
    SHADOW_PRIMARY_PORT: String(portOf(servers[0])),
    SHADOW_SECONDARY_PORT: String(portOf(servers[1])),
    SHADOW_CANDIDATE_PORT: String(portOf(servers[2])),
  };
  const gateway = await Gateway.create({ dir: EXAMPLE_DIR, env, port: options.gatewayPort, adminPort: options.adminPort, logLevel: 'warn' });
  const { proxy: url, admin: adminUrl } = await gateway.listen();
  const close = async () => {
    await gateway.close();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.closeAllConnections();
            s.close(() => r());
          }),
      ),
    );
  };

  // Client traffic: every order once, then the list, a few times over.
  const requests = options.requests ?? 100;
  for (let i = 0; i < requests; i++) {
    const path = i % 21 === 20 ? '/v2/orders' : `/v2/orders/${(i % 21) + 1}`;
    const res = await fetch(url + path);
    await res.arrayBuffer();
  }
  // The mirrors finish after the client's responses: wait until every one has settled.
  let report = gateway.shadow.report();
  while (report.shadows[0].inFlight > 0 || settledCount(report) < requests) {
    await new Promise((r) => setTimeout(r, 10));
    report = gateway.shadow.report();
  }
  return { gateway, url, adminUrl, report, close };
}

function settledCount(doc: ShadowReportDocument): number {
  const s = doc.shadows[0];
  return s.compared + s.errors + Object.values(s.skipped).reduce((a, b) => a + b, 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const keep = process.argv.includes('--keep');
  const run = await runShadowExample();
  process.stdout.write(formatReport(run.report));
  if (keep) {
    process.stdout.write(`\nThe gateway is on ${run.url}; try: npx sundial shadow report --dir examples/shadow\nPress Ctrl-C to stop.\n`);
    process.once('SIGINT', () => void run.close().then(() => process.exit(0)));
  } else {
    await run.close();
  }
}
