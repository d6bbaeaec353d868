// A cluster worker: a whole gateway on the shared proxy port. Worker 0 is the lead: it runs
// the canary controllers and a private admin listener, which the primary forwards to for
// everything it does not serve itself.
import { AggregatorRegistry } from 'prom-client';
import { Gateway, type GatewayOptions } from '../gateway/gateway.js';
import { isMessage, type ToPrimary, type ToWorker } from './messages.js';
import { answerReportRequests } from './reports.js';

export async function runWorker(options: GatewayOptions, index: number): Promise<void> {
  const lead = index === 0;
  const send = (m: ToPrimary) => process.send?.(m);
  const gateway = await Gateway.create({
    ...options,
    adminListener: lead ? 'private' : 'none',
    controllers: lead,
    onConfigApplied: (config) => send({ type: 'sundial:config', index, fingerprint: config.fingerprint, adminToken: config.gateway.admin.token }),
  });
  // The primary aggregates every worker's metrics for one scrape (prom-client's cluster
  // support asks each worker for its registry over IPC).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([gateway.metrics.registry]);

  answerReportRequests(gateway, index);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.close();
    process.exit(0);
  };
  process.on('message', (m: unknown) => {
    if (!isMessage<ToWorker>(m)) return;
    if (m.type === 'sundial:shutdown') void stop();
    if (m.type === 'sundial:reload') void gateway.reload(m.reason).then((outcome) => send({ type: 'sundial:reloaded', id: m.id, index, outcome }));
  });
  // A signal sent to the whole process group (as container runtimes do) drains here too.
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGHUP', () => {}); // the primary relays reloads

  const addresses = await gateway.listen();
  send({ type: 'sundial:listening', index, proxy: addresses.proxy, admin: addresses.admin });
}
