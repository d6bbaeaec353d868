// The page's static files, read once at start. They live in src/admin/page/assets (tsc does
// not copy them), found from the compiled dist/src/admin/page/ as from the sources.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const CANDIDATES = ['./assets/', '../../../../src/admin/page/assets/'];

export function assetsFolder(): string {
  for (const c of CANDIDATES) {
    const path = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(`${path}index.html`)) return path;
  }
  throw new Error(`the admin page's files are missing: looked in ${CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).join(' and ')}`);
}

let cached: Map<string, Asset> | undefined;

export function pageAssets(): Map<string, Asset> {
  if (cached) return cached;
  const folder = assetsFolder();
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(folder)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { type, body: readFileSync(folder + name) });
  }
  return (cached = assets);
}
