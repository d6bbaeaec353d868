// GET /admin/traffic: request rate, error rate and p99 per route, version and arm over the
// last minutes (src/metrics/traffic.ts). The recorder runs while the admin listener does.
import type { FastifyInstance } from 'fastify';
import { TrafficRecorder, type HistogramValue } from './traffic.js';

export function registerTrafficAdmin(
  app: FastifyInstance,
  read: () => Promise<readonly HistogramValue[]>,
  options: { intervalMs?: number; windowMs?: number } = {},
): TrafficRecorder {
  const recorder = new TrafficRecorder(read, options);
  app.addHook('onReady', async () => recorder.start());
  app.addHook('onClose', async () => recorder.stop());
  app.get('/admin/traffic', async () => recorder.report());
  return recorder;
}
