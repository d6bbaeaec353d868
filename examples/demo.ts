// `npm run demo`: the example orders upstreams and the gateway on the shipped config, in
// one process, so the whole thing can be tried with curl at once.
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src/config/errors.js';
import { Gateway } from '../src/gateway/gateway.js';
import { demoUpstreamPorts, startExampleUpstreams } from './upstreams.js';

const dir = fileURLToPath(new URL('../..', import.meta.url));
// The admin API takes its token from SUNDIAL_ADMIN_TOKEN (config/gateway.yaml). Unset, it
// needs none: it listens on loopback only.
const token = process.env.SUNDIAL_ADMIN_TOKEN || undefined;

// The example upstreams listen where the shipped routes/orders.yaml sends each build, so
// the demo moves with the config: edit the ports there (and listen.port, admin.port in
// config/gateway.yaml) to run it beside something else.
let gateway: Gateway;
try {
  gateway = await Gateway.create({ dir });
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
const ports = demoUpstreamPorts(gateway);
let upstreams: Awaited<ReturnType<typeof startExampleUpstreams>>;
try {
  upstreams = await startExampleUpstreams(ports);
} catch (err) {
  await gateway.close();
  process.stderr.write(`the example upstreams cannot listen on ${Object.values(ports).join(', ')}: ${(err as Error).message}\n`);
  process.exit(1);
}
await gateway.listen();
const port = gateway.current.gateway.listen.port;
const admin = gateway.current.gateway.admin.port;
process.stdout.write(`
sundial demo: the gateway is on http://localhost:${port}, the orders upstreams on :${ports.v1} (v1), :${ports.v2} (v2)
and :${ports['v2-canary']} (a v2 canary build, taking 10% of v2 traffic: config/flags.yaml).

  curl -i localhost:${port}/v1/orders/1                      # deprecated: Deprecation, Sunset and Link headers
  curl -i localhost:${port}/v2/orders/1                      # current version
  curl -i -H 'Api-Version: 1' localhost:${port}/orders/1     # version from a header
  curl -i -H 'Accept: application/vnd.acme+json; version=1' localhost:${port}/orders/1
  curl -i 'localhost:${port}/orders/1?version=2'             # version from the query
  curl -i localhost:${port}/v9/orders/1                      # unknown version: 400 problem+json
  curl -s localhost:${port}/.well-known/api-versions         # discovery
  curl -si -H 'X-User-Id: alice' localhost:${port}/v2/orders/1 | grep -i sundial-arm    # which build served alice
  curl -si -H 'X-Canary: always' localhost:${port}/v2/orders/1                       # force the canary
  npx sundial rollout status --admin http://127.0.0.1:${admin}                         # the canary's rollout
  curl -s ${token ? `-H "Authorization: Bearer $SUNDIAL_ADMIN_TOKEN" ` : ''}localhost:${admin}/metrics
${token ? '\nThe admin API needs the token in SUNDIAL_ADMIN_TOKEN.\n' : '\nThe admin API (on 127.0.0.1 only) needs no token: SUNDIAL_ADMIN_TOKEN is not set.\n'}
Press Ctrl-C to stop.
`);

const stop = async () => {
  await gateway.close();
  await upstreams.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.on('SIGHUP', () => void gateway.reload('SIGHUP'));
