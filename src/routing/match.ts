// Which route serves a path: the longest configured prefix that matches on a segment
// boundary ("/orders" matches "/orders" and "/orders/1", not "/orders-archive").
import type { CompiledRoute } from '../config/compiled.js';

export function matchRoute(routes: readonly CompiledRoute[], path: string, hostHeader: string | undefined): CompiledRoute | undefined {
  let host: string | undefined;
  for (const route of routes) {
    if (!prefixMatches(route.prefix, path)) continue;
    if (route.host !== null) {
      host ??= hostName(hostHeader);
      if (host !== route.host) continue;
    }
    return route;
  }
  return undefined;
}

function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 47; /* / */
}

function hostName(header: string | undefined): string {
  if (!header) return '';
  // "[::1]:8080" keeps its brackets; "api.example.com:8080" loses its port.
  const end = header.startsWith('[') ? header.indexOf(']') + 1 : header.lastIndexOf(':');
  return (end > 0 ? header.slice(0, end) : header).toLowerCase();
}
