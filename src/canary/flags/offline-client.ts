// unleash-client in offline mode: no server, flags given as bootstrap data, evaluated with
// the client's own hashing. Used by the local flag source.
import { once } from 'node:events';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { rolloutFeature, type FlagState } from './flag-source.js';

const NO_FLAGS = 'sundial-no-flags-placeholder';

export async function offlineClient(flags: Map<string, FlagState>): Promise<Unleash> {
  const client = new Unleash({
    // Never contacted: refreshInterval 0 turns fetching off.
    url: 'http://127.0.0.1:9/offline',
    appName: 'sundial',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    // unleash-client ignores empty bootstrap data and then, never fetching, is never ready:
    // with no flags (a missing or unreadable file), one disabled placeholder stands in.
    bootstrap: {
      data: (flags.size ? [...flags] : [[NO_FLAGS, { enabled: false, rollout: 0 }] as const]).map(([name, state]) => rolloutFeature(name, state)) as never,
    },
  });
  client.on('error', () => {});
  client.on('warn', () => {});
  if (!client.isSynchronized()) await once(client, 'ready');
  return client;
}
