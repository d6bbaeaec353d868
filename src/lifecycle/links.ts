// The successor-version Link target. Where the version travels in the path, it is the same
// resource (path and query) under the successor (RFC 5829); in the query, the same URL with the parameter
// changed; otherwise, the path form when path versioning is on, else the resource itself.
import type { CompiledVersioning } from '../config/compiled.js';
import type { VersionSource } from '../config/schema.js';
import { linkValue } from './headers.js';

// Request paths are copied into a header value here; characters that would end the
// URI-reference early are percent-encoded.
function safeTarget(target: string): string {
  return /[<>"\s]/.test(target) ? target.replace(/[<>"\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : target;
}

export function successorLink(cfg: CompiledVersioning, successor: string, source: VersionSource | undefined, forwardPath: string, query: string): string {
  if (source === 'query') return linkValue(safeTarget(`${forwardPath}?${replaceParam(query, cfg.query, successor)}`), 'successor-version');
  if (source === 'path' || cfg.sources.includes('path')) {
    const path = `/${successor}${forwardPath === '/' ? '' : forwardPath}`;
    return linkValue(safeTarget(query ? `${path}?${query}` : path), 'successor-version');
  }
  return linkValue(safeTarget(forwardPath), 'successor-version');
}

function replaceParam(query: string, name: string, value: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      return key === name ? `${name}=${encodeURIComponent(value)}` : pair;
    })
    .join('&');
}
