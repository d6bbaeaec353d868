// The config contract, as zod schemas. Field names and shapes here are a public interface
// (users write these files and outside tools generate them): add fields with defaults,
// never rename or reshape existing ones.
import { z } from 'zod';
import { parseByteSize, parseDuration, parseInstant } from './units.js';
import { transformSchema } from '../transform/schema.js';

const port = z
  .union([z.number().int(), z.string().regex(/^\d+$/, 'Expected a port number').transform(Number)])
  .pipe(z.number().int().min(0, 'Expected a port from 0 to 65535').max(65535, 'Expected a port from 0 to 65535'));

/** A duration string such as "250ms", "2s" or "1m", as milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined || ms < 0 || !Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `Invalid duration "${value}": expected a number with a unit, such as 250ms, 2s or 1m` });
    return z.NEVER;
  }
  return ms;
});

const byteSize = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseByteSize(value);
  if (bytes === undefined || bytes < 0) {
    ctx.addIssue({ code: 'custom', message: `Invalid size "${value}": expected bytes or a size such as 512kb or 10mb` });
    return z.NEVER;
  }
  return bytes;
});

/** An ISO 8601 instant with a zone, as epoch milliseconds. */
export const instant = z.string().transform((value, ctx) => {
  const ms = parseInstant(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `Invalid instant "${value}": expected ISO 8601 with a zone, such as 2027-06-30T23:59:59Z` });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'Invalid URL: expected an absolute http:// or https:// URL' });
const linkUrl = z
  .string()
  .min(1)
  .refine((v) => /^(https?:\/\/|\/)/.test(v), 'Invalid URL: expected an absolute URL or a path starting with /');
const httpStatus = z.number().int().min(400).max(599);

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;

export const versionSources = ['path', 'header', 'accept', 'query'] as const;
export type VersionSource = (typeof versionSources)[number];

const consumersSchema = z
  .strictObject({
    header: z
      .string()
      .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'Invalid header name')
      .optional(),
    query: z.string().min(1).optional(),
    basicAuth: z.boolean().optional(),
    topK: z.number().int().min(1).max(10_000).default(100),
  })
  .refine(
    (c) => [c.header, c.query, c.basicAuth || undefined].filter((x) => x !== undefined).length === 1,
    'Name exactly one way to identify a consumer: header, query or basicAuth: true',
  );

export const gatewaySchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().default('0.0.0.0'),
      port: port.default(8080),
    })
    .default({ host: '0.0.0.0', port: 8080 }),
  admin: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: port.default(9090),
      token: z.string().optional(),
    })
    .default({ host: '127.0.0.1', port: 9090 }),
  versioning: z
    .strictObject({
      // Without `sources`, every source: `accept` only when a media type is named for it.
      sources: z
        .array(z.enum(versionSources))
        .min(1)
        .refine((s) => new Set(s).size === s.length, 'Each source may be listed once')
        .optional(),
      header: z
        .string()
        .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'Invalid header name')
        .default('Api-Version'),
      query: z.string().min(1).default('version'),
      accept: z
        .string()
        .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'Invalid media type: expected type/subtype, such as application/vnd.acme+json')
        .optional(),
      default: z.string().optional(),
      // reject: two sources naming different versions is a 400. precedence: the first source
      // in `sources` wins.
      onConflict: z.enum(['reject', 'precedence']).default('reject'),
    })
    .transform(({ sources, ...v }) => ({ ...v, sources: sources ?? versionSources.filter((s) => s !== 'accept' || v.accept !== undefined) }))
    .prefault({}),
  upstream: z
    .strictObject({
      connectTimeout: duration.default(2000),
      timeout: duration.default(30000),
      connections: z.number().int().positive().default(128),
      // Off unless configured: a gateway must not multiply the load on a struggling upstream.
      retries: z
        .strictObject({
          attempts: z.number().int().min(0).max(5).default(0),
          statuses: z.array(httpStatus).default([502, 503, 504]),
          // Retries may add at most this share of the requests (a token bucket of 10).
          budget: z.number().min(0).max(1).default(0.1),
          // A Retry-After longer than this is passed to the client rather than waited out.
          maxDelay: duration.default(1000),
        })
        .default({ attempts: 0, statuses: [502, 503, 504], budget: 0.1, maxDelay: 1000 }),
    })
    .default({ connectTimeout: 2000, timeout: 30000, connections: 128, retries: { attempts: 0, statuses: [502, 503, 504], budget: 0.1, maxDelay: 1000 } }),
  flags: z
    .discriminatedUnion('provider', [
      z.strictObject({ provider: z.literal('local'), file: z.string().default('config/flags.yaml') }),
      z.strictObject({
        provider: z.literal('unleash'),
        url: httpUrl,
        appName: z.string().default('sundial'),
        environment: z.string().default('development'),
        token: z.string().optional(),
        adminToken: z.string().optional(),
        project: z.string().default('default'),
        refreshInterval: duration.default(5000),
        backupPath: z.string().optional(),
      }),
    ])
    .default({ provider: 'local', file: 'config/flags.yaml' }),
  limits: z
    .strictObject({
      bodyLimit: byteSize.default(10 * 1024 * 1024),
      // How long a client may take to send its request head, and its whole request.
      headersTimeout: duration.default(10000),
      requestTimeout: duration.default(300000),
    })
    .refine((l) => l.headersTimeout <= l.requestTimeout, { message: 'headersTimeout must not be longer than requestTimeout', path: ['headersTimeout'] })
    .default({ bodyLimit: 10 * 1024 * 1024, headersTimeout: 10000, requestTimeout: 300000 }),
  shutdown: z
    .strictObject({
      drainTimeout: duration.default(10000),
    })
    .default({ drainTimeout: 10000 }),
  reload: z
    .strictObject({
      watch: z.boolean().default(true),
      debounce: duration.default(250),
    })
    .default({ watch: true, debounce: 250 }),
  discovery: z
    .strictObject({
      path: z.string().startsWith('/').default('/.well-known/api-versions'),
      enabled: z.boolean().default(true),
    })
    .default({ path: '/.well-known/api-versions', enabled: true }),
  metrics: z
    .strictObject({
      buckets: z.array(z.number().positive()).min(1).optional(),
      processMetrics: z.boolean().default(true),
    })
    .default({ processMetrics: true }),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
  trustProxy: z.boolean().default(false),
  // How a consumer is identified, to report who still calls deprecated versions (src/consumers).
  consumers: consumersSchema.optional(),
});

const brownoutSchema = z
  .strictObject({
    start: instant,
    end: instant,
    status: httpStatus.default(410),
  })
  .refine((w) => w.end > w.start, { message: 'end must be after start', path: ['end'] });

export const versionSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Invalid version id: use letters, digits, ".", "_" and "-"')
    .optional(),
  aliases: z.array(z.string().min(1)).default([]),
  deprecated: instant.optional(),
  sunset: instant.optional(),
  successor: z.string().optional(),
  docs: linkUrl.optional(),
  policy: linkUrl.optional(),
  brownouts: z.array(brownoutSchema).default([]),
  sunsetStatus: httpStatus.default(410),
  description: z.string().optional(),
  // An OpenAPI 3.0 or 3.1 document (YAML or JSON), relative to the config dir: its
  // operations marked deprecated get their own lifecycle headers (src/openapi).
  openapi: z.string().min(1).optional(),
  // How this version's requests and responses map to its successor's (docs/transforms.md),
  // so that a route can serve it from the successor's upstream: `upstream: { via: v2 }`.
  transform: transformSchema.optional(),
});

const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'Invalid header name');

export const rolloutSchema = z.strictObject({
  steps: z
    .array(z.number().min(0).max(100))
    .min(1)
    .refine((s) => s.every((p, i) => i === 0 || p > s[i - 1]), 'steps must rise strictly, such as [5, 25, 50, 100]')
    .refine((s) => s[s.length - 1] === 100, 'the last step must be 100, where the rollout is promoted'),
  interval: duration.default(30_000),
  threshold: z.number().int().min(1).default(2),
  minRequests: z.number().int().min(0).default(50),
  maxErrorRate: z.number().min(0).max(1).default(0.01),
  maxP99: duration.default(500),
  maxP99Ratio: z.number().positive().default(1.5),
  analysis: z.strictObject({ prometheus: httpUrl }).optional(),
});

// Serve through version transforms from another version's upstream (docs/transforms.md).
const viaSchema = z.strictObject({ via: z.string().min(1, 'Name the version whose upstream serves this one') });

export const canarySchema = z
  .strictObject({
    // An upstream URL, or, to cut a version over to its successor's backend, `via: v2`.
    upstream: httpUrl.optional(),
    via: z.string().min(1).optional(),
    flag: z.string().min(1),
    // Which request attribute keeps a user on one arm. Without one, the client address is used.
    stickiness: z
      .union([z.strictObject({ header: headerName }), z.strictObject({ cookie: z.string().min(1) }), z.strictObject({ ip: z.literal(true) })])
      .default({ ip: true }),
    force: z.strictObject({ header: headerName }).optional(),
    armHeader: z.boolean().default(false),
    timeout: duration.optional(),
    rollout: rolloutSchema.optional(),
  })
  .refine((c) => (c.upstream === undefined) !== (c.via === undefined), "Name the canary's upstream, or via: <version> to serve it through transforms");

// Shadow traffic (docs/shadow.md): mirror a sample of a version's requests to a candidate
// upstream, and optionally a second copy of the primary, and compare the answers.
const fieldPath = z
  .string()
  .regex(
    /^(status|headers(\.[^.\s]+)?|body(\.[^.\s]+)*)$/,
    'Invalid field path: expected status, headers.<name> or body.<field>.<field>..., with * for any one segment',
  );

export const shadowSchema = z
  .strictObject({
    // The candidate: an upstream URL, or `via: v2` to test a transform (docs/transforms.md).
    upstream: httpUrl.optional(),
    via: z.string().min(1).optional(),
    secondary: httpUrl.optional(),
    sample: z.number().min(0, 'Expected a fraction from 0 to 1').max(1, 'Expected a fraction from 0 to 1').default(1),
    methods: z
      .array(
        z
          .string()
          .transform((m) => m.toUpperCase())
          .pipe(z.enum(HTTP_METHODS)),
      )
      .min(1)
      .default(['GET', 'HEAD']),
    maxBodyBytes: byteSize.default(1024 * 1024),
    maxResponseBytes: byteSize.default(1024 * 1024),
    timeout: duration.default(2000),
    maxInFlight: z.number().int().positive().default(100),
    compare: z
      .strictObject({
        ignore: z.array(fieldPath).default([]),
        headers: z.array(headerName).default([]),
        arrayOrder: z.enum(['strict', 'ignore']).default('strict'),
        mode: z.enum(['exact', 'superset']).default('exact'),
      })
      .default({ ignore: [], headers: [], arrayOrder: 'strict', mode: 'exact' }),
    noise: z
      .strictObject({
        relative: z.number().min(0).max(1).default(0.2),
        absolute: z.number().min(0).max(1).default(0.0003),
      })
      .default({ relative: 0.2, absolute: 0.0003 }),
    report: z
      .strictObject({
        samples: z.number().int().min(0).max(1000).default(20),
        maxFields: z.number().int().min(1).max(100_000).default(1000),
      })
      .default({ samples: 20, maxFields: 1000 }),
  })
  .refine((c) => (c.upstream === undefined) !== (c.via === undefined), "Name the shadow's upstream, or via: <version> to test a transform");

export const routeVersionSchema = z.strictObject({
  upstream: z.union([httpUrl, viaSchema], { error: 'Expected an upstream URL, or { via: <version> } to serve this version through transforms' }),
  timeout: duration.optional(),
  canary: canarySchema.optional(),
  shadow: shadowSchema.optional(),
});

export const routeSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'Invalid route name: use letters, digits, "_" and "-"')
    .optional(),
  prefix: z
    .string()
    .startsWith('/', 'Invalid prefix: must start with /')
    .refine((p) => !/[?#\s]/.test(p), 'Invalid prefix: no query, fragment or spaces'),
  methods: z
    .array(
      z
        .string()
        .transform((m) => m.toUpperCase())
        .pipe(z.enum(HTTP_METHODS)),
    )
    .optional(),
  host: z.string().optional(),
  default: z.string().optional(),
  versions: z.record(z.string(), routeVersionSchema).refine((v) => Object.keys(v).length > 0, 'A route needs at least one version'),
});

export type GatewayFile = z.output<typeof gatewaySchema>;
export type VersionFile = z.output<typeof versionSchema>;
export type RouteFile = z.output<typeof routeSchema>;
export type CanaryFile = z.output<typeof canarySchema>;
export type RolloutFile = z.output<typeof rolloutSchema>;
export type ShadowFile = z.output<typeof shadowSchema>;
