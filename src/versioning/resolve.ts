// Stage 1 of the request path: which API version does a request name, and where?
// Pure over (versioning config, request parts); the caller applies defaults, because the
// default can depend on the route, and the route is matched on the path this returns.
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledVersioning } from '../config/compiled.js';
import type { VersionSource } from '../config/schema.js';

export interface VersionRequest {
  /** The raw path, without the query string. */
  path: string;
  /** The raw query string, without the "?"; empty when there is none. */
  query: string;
  headers: IncomingHttpHeaders;
}

export type VersionResolution =
  | { ok: true; version: string | undefined; source: VersionSource | undefined; forwardPath: string }
  | { ok: false; kind: 'unknown'; source: VersionSource; value: string }
  | { ok: false; kind: 'conflict'; found: { source: VersionSource; version: string }[] }
  | { ok: false; kind: 'malformed'; source: VersionSource; value: string };

// A first path segment that looks like a version but names none is reported as an unknown
// version (400 with the supported list) rather than as an unmatched path (404): "/v9/orders"
// is far more likely a wrong version than a route called "v9".
const VERSION_LIKE = /^(v\d+([._-][0-9a-z]+)*|\d{4}-\d{2}-\d{2})$/i;

interface Found {
  version?: string;
  source?: VersionSource;
  conflict?: { source: VersionSource; version: string }[];
}

export function resolveVersion(cfg: CompiledVersioning, req: VersionRequest): VersionResolution {
  let forwardPath = req.path;
  const found: Found = {};
  for (const source of cfg.sources) {
    let failure: VersionResolution | undefined;
    switch (source) {
      case 'path': {
        const end = req.path.indexOf('/', 1);
        const segment = end === -1 ? req.path.slice(1) : req.path.slice(1, end);
        if (!segment) break;
        const id = cfg.aliases.get(segment.toLowerCase());
        if (id !== undefined) {
          forwardPath = end === -1 ? '/' : req.path.slice(end);
          failure = record(cfg, found, source, id);
        } else if (VERSION_LIKE.test(segment)) {
          failure = { ok: false, kind: 'unknown', source, value: segment };
        }
        break;
      }
      case 'header': {
        const raw = req.headers[cfg.header];
        if (raw !== undefined) failure = recordList(cfg, found, source, Array.isArray(raw) ? raw.join(',') : raw);
        break;
      }
      case 'accept': {
        const raw = req.headers.accept;
        if (raw !== undefined && cfg.accept !== undefined) failure = recordAccept(cfg, found, raw);
        break;
      }
      case 'query': {
        if (req.query) failure = recordQuery(cfg, found, req.query);
        break;
      }
    }
    if (failure) return failure;
  }
  if (found.conflict) return { ok: false, kind: 'conflict', found: found.conflict };
  return { ok: true, version: found.version, source: found.source, forwardPath };
}

function record(cfg: CompiledVersioning, found: Found, source: VersionSource, id: string): undefined {
  if (found.version === undefined) {
    found.version = id;
    found.source = source;
  } else if (found.version !== id && cfg.onConflict === 'reject') {
    found.conflict ??= [{ source: found.source!, version: found.version }];
    found.conflict.push({ source, version: id });
  }
  return undefined;
}

function lookup(cfg: CompiledVersioning, found: Found, source: VersionSource, value: string): VersionResolution | undefined {
  const id = cfg.aliases.get(value.toLowerCase());
  if (id === undefined) return { ok: false, kind: 'unknown', source, value };
  return record(cfg, found, source, id);
}

// Repeated headers arrive joined with commas; each value must name a version.
function recordList(cfg: CompiledVersioning, found: Found, source: VersionSource, raw: string): VersionResolution | undefined {
  if (raw.indexOf(',') === -1) {
    const value = raw.trim();
    return value ? lookup(cfg, found, source, value) : { ok: false, kind: 'malformed', source, value: raw };
  }
  for (const part of raw.split(',')) {
    const value = part.trim();
    if (!value) continue;
    const failure = lookup(cfg, found, source, value);
    if (failure) return failure;
  }
  return undefined;
}

// Accept: application/vnd.acme+json; version=2, application/json;q=0.5
// Only media ranges of the configured vendor type count; other ranges are ignored.
function recordAccept(cfg: CompiledVersioning, found: Found, raw: string): VersionResolution | undefined {
  const media = cfg.accept!;
  if (raw.toLowerCase().indexOf(media) === -1) return undefined;
  for (const range of raw.split(',')) {
    const params = range.split(';');
    if (params[0].trim().toLowerCase() !== media) continue;
    for (let i = 1; i < params.length; i++) {
      const eq = params[i].indexOf('=');
      if (eq === -1 || params[i].slice(0, eq).trim().toLowerCase() !== 'version') continue;
      let value = params[i].slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!value) return { ok: false, kind: 'malformed', source: 'accept', value: params[i] };
      const failure = lookup(cfg, found, 'accept', value);
      if (failure) return failure;
    }
  }
  return undefined;
}

function recordQuery(cfg: CompiledVersioning, found: Found, query: string): VersionResolution | undefined {
  const name = cfg.query;
  let from = 0;
  while (from <= query.length) {
    let end = query.indexOf('&', from);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', from);
    const keyEnd = eq !== -1 && eq < end ? eq : end;
    if (keyEnd - from === name.length && query.startsWith(name, from)) {
      const encoded = keyEnd === end ? '' : query.slice(keyEnd + 1, end);
      let value: string;
      try {
        value = decodeURIComponent(encoded.replace(/\+/g, ' ')).trim();
      } catch {
        return { ok: false, kind: 'malformed', source: 'query', value: encoded };
      }
      if (!value) return { ok: false, kind: 'malformed', source: 'query', value: encoded };
      const failure = lookup(cfg, found, 'query', value);
      if (failure) return failure;
    }
    from = end + 1;
  }
  return undefined;
}
