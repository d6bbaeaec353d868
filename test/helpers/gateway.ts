// Starts a real gateway on loopback (free ports) for a test, and stops it in teardown.
import type { Test } from 'tap';
import { Gateway, type GatewayOptions } from '../../src/gateway/gateway.js';

export interface RunningGateway {
  gateway: Gateway;
  url: string;
  adminUrl: string;
}

export async function startGateway(t: Test, options: GatewayOptions): Promise<RunningGateway> {
  const gateway = await Gateway.create({ logLevel: 'silent', port: 0, adminPort: 0, host: '127.0.0.1', ...options });
  const addresses = await gateway.listen();
  t.teardown(() => gateway.close());
  return { gateway, url: addresses.proxy, adminUrl: addresses.admin };
}

/** A settable clock, for moving a running gateway through a version's lifecycle. */
export function manualClock(start: string | number) {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  const clock = () => now;
  clock.set = (to: string | number) => {
    now = typeof to === 'string' ? Date.parse(to) : to;
  };
  return clock;
}
