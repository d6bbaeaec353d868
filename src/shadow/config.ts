// Compiles a validated `shadow:` block (src/config/schema.ts) into its runtime form.
import type { ShadowFile } from '../config/schema.js';
import { compileIgnore } from './paths.js';
import type { CompiledShadow, ShadowTarget } from './types.js';

function target(url: string): ShadowTarget {
  const u = new URL(url);
  return { url, origin: u.origin, basePath: u.pathname.replace(/\/+$/, ''), host: u.host };
}

/** `upstream` is the candidate's URL: the file's, or the one its `via:` version resolves to. */
export function compileShadow(file: ShadowFile, upstream = file.upstream!): CompiledShadow {
  const headers = new Set(['content-type']);
  for (const h of file.compare.headers) headers.add(h.toLowerCase());
  return {
    candidate: target(upstream),
    secondary: file.secondary === undefined ? undefined : target(file.secondary),
    sample: file.sample,
    methods: new Set(file.methods),
    maxBodyBytes: file.maxBodyBytes,
    maxResponseBytes: file.maxResponseBytes,
    timeout: file.timeout,
    maxInFlight: file.maxInFlight,
    compare: {
      ignore: compileIgnore(file.compare.ignore),
      headers: [...headers],
      arrayOrder: file.compare.arrayOrder,
      mode: file.compare.mode,
    },
    noise: { relative: file.noise.relative, absolute: file.noise.absolute },
    samples: file.report.samples,
    maxFields: file.report.maxFields,
  };
}
