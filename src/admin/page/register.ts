// The admin web page, on the admin listener:
//   GET /                the page (a login form until the token is given)
//   GET /ui/<file>       its scripts and styles
//   GET /admin/versions  versions on a timeline      (src/lifecycle/admin.ts)
//   GET /admin/traffic   traffic of the last minutes (src/metrics/traffic.ts)
//   GET /admin/reload    the last reload's outcome
// The page and its assets hold no data, so they are served without the token (the login
// form must load); every data endpoint needs it, as the rest of the admin API.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AdminContext } from '../server.js';
import { versionsTimeline } from '../../lifecycle/admin.js';
import { registerTrafficAdmin } from '../../metrics/traffic-admin.js';
import { pageAssets, type Asset } from './assets.js';

/**
 * Nothing from outside, no inline script or style, no framing, no form posting anywhere:
 * the page talks only to its own origin, with fetch.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function sendAsset(reply: FastifyReply, asset: Asset) {
  reply
    .header('content-type', asset.type)
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache')
    .send(asset.body);
}

export function registerAdminPage(app: FastifyInstance, ctx: AdminContext, options: { traffic?: boolean } = {}): void {
  const assets = pageAssets();
  const index = assets.get('index.html')!;
  app.get('/', (_request, reply) => sendAsset(reply, index));
  app.get<{ Params: { file: string } }>('/ui/:file', (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset || request.params.file === 'index.html') return reply.callNotFound();
    sendAsset(reply, asset);
  });
  app.get('/admin/versions', () => versionsTimeline(ctx.current(), (ctx.clock ?? Date.now)()));
  app.get('/admin/reload', () => ctx.lastReload?.() ?? { result: null });
  if (options.traffic !== false) registerTrafficAdmin(app, async () => (await ctx.metrics.requestDuration.get()).values);
}
