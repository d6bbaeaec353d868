// The catalogue of sundial's errors: every error sundial reports, in one place. Each entry
// has a stable code that users can grep for and scripts can match on, the HTTP status it is
// always sent with, the slug of its RFC 9457 problem type and the problem's title. Messages
// may improve; a code never changes meaning, status or type.
//
// A code that is retired is moved to RETIRED_CODES and never used again for anything else,
// so that a script matching on an old code cannot be fooled by a new meaning.
//
// Every code is documented in a table: README.md "Error codes" for the gateway and admin
// ones, docs/migrate.md for SUNDIAL_ERR_MIGRATE_*. test/errors.test.ts holds both sides to
// each other.
import { format } from 'node:util';

export class SundialError extends Error {
  readonly code: string;
  readonly statusCode: number;
  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SundialError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

/** One entry of the catalogue; called, it makes the error to throw. */
export interface ErrorEntry {
  (...args: unknown[]): SundialError;
  readonly code: string;
  readonly status: number;
  readonly slug: string;
  /** The problem type URI, `urn:sundial:problem:<slug>`: a URN, a stable identifier that does not pretend to be a web page. */
  readonly type: string;
  readonly title: string;
  /** Where the configured status may replace `status` (a version's sunsetStatus, a brownout's status). */
  readonly configuredStatus?: string;
}

interface Definition {
  status: number;
  slug: string;
  title: string;
  /** printf-style template of the thrown error's message. */
  message: string;
  configuredStatus?: string;
}

const entries = new Map<string, ErrorEntry>();

function defineError(code: string, d: Definition): ErrorEntry {
  if (entries.has(code) || RETIRED_CODES.includes(code)) throw new Error(`error code ${code} is defined twice or retired`);
  const factory = (...args: unknown[]) => new SundialError(code, d.status, format(d.message, ...args));
  const entry: ErrorEntry = Object.assign(factory, {
    code,
    status: d.status,
    slug: d.slug,
    type: `urn:sundial:problem:${d.slug}`,
    title: d.title,
    configuredStatus: d.configuredStatus,
  });
  entries.set(code, entry);
  return entry;
}

/** Codes that were once sent and are never to be reused. */
export const RETIRED_CODES: readonly string[] = [];

// Configuration
export const ERR_CONFIG_INVALID = defineError('SUNDIAL_ERR_CONFIG_INVALID', {
  status: 422,
  slug: 'config-invalid',
  title: 'Config refused',
  message: 'invalid configuration:\n%s',
});

// Requests to the proxy
export const ERR_VERSION_UNKNOWN = defineError('SUNDIAL_ERR_VERSION_UNKNOWN', {
  status: 400,
  slug: 'unknown-version',
  title: 'Unknown API version',
  message: 'unknown API version %s',
});
export const ERR_VERSION_MALFORMED = defineError('SUNDIAL_ERR_VERSION_MALFORMED', {
  status: 400,
  slug: 'malformed-version',
  title: 'Malformed API version',
  message: 'malformed API version %s',
});
export const ERR_VERSION_REQUIRED = defineError('SUNDIAL_ERR_VERSION_REQUIRED', {
  status: 400,
  slug: 'version-required',
  title: 'API version required',
  message: 'no API version given',
});
export const ERR_VERSION_CONFLICT = defineError('SUNDIAL_ERR_VERSION_CONFLICT', {
  status: 400,
  slug: 'conflicting-versions',
  title: 'Conflicting API versions',
  message: 'conflicting API versions: %s',
});
export const ERR_ROUTE_NOT_FOUND = defineError('SUNDIAL_ERR_ROUTE_NOT_FOUND', {
  status: 404,
  slug: 'not-found',
  title: 'Not Found',
  message: 'no route matches %s',
});
export const ERR_METHOD_NOT_ALLOWED = defineError('SUNDIAL_ERR_METHOD_NOT_ALLOWED', {
  status: 405,
  slug: 'method-not-allowed',
  title: 'Method Not Allowed',
  message: 'method %s not allowed',
});
export const ERR_VERSION_NOT_ROUTED = defineError('SUNDIAL_ERR_VERSION_NOT_ROUTED', {
  status: 404,
  slug: 'version-not-served',
  title: 'Not served in this version',
  message: 'route %s does not serve version %s',
});
export const ERR_VERSION_SUNSET = defineError('SUNDIAL_ERR_VERSION_SUNSET', {
  status: 410,
  slug: 'version-sunset',
  title: 'API version retired',
  message: 'version %s was sunset at %s',
  configuredStatus: 'sunsetStatus',
});
export const ERR_VERSION_BROWNOUT = defineError('SUNDIAL_ERR_VERSION_BROWNOUT', {
  status: 410,
  slug: 'version-brownout',
  title: 'API version brownout',
  message: 'version %s is in a scheduled brownout',
  configuredStatus: 'brownouts[].status',
});
export const ERR_OPERATION_SUNSET = defineError('SUNDIAL_ERR_OPERATION_SUNSET', {
  status: 410,
  slug: 'operation-sunset',
  title: 'API operation retired',
  message: 'operation %s of version %s was sunset at %s',
});
export const ERR_UPSTREAM_UNAVAILABLE = defineError('SUNDIAL_ERR_UPSTREAM_UNAVAILABLE', {
  status: 502,
  slug: 'upstream-unavailable',
  title: 'Bad Gateway',
  message: 'upstream %s failed: %s',
});
export const ERR_UPSTREAM_TIMEOUT = defineError('SUNDIAL_ERR_UPSTREAM_TIMEOUT', {
  status: 504,
  slug: 'upstream-timeout',
  title: 'Gateway Timeout',
  message: 'upstream %s timed out',
});
export const ERR_BODY_TOO_LARGE = defineError('SUNDIAL_ERR_BODY_TOO_LARGE', {
  status: 413,
  slug: 'body-too-large',
  title: 'Content Too Large',
  message: 'request body is larger than %d bytes',
});
export const ERR_BAD_REQUEST = defineError('SUNDIAL_ERR_BAD_REQUEST', { status: 400, slug: 'bad-request', title: 'Bad Request', message: '%s' });
export const ERR_INTERNAL = defineError('SUNDIAL_ERR_INTERNAL', { status: 500, slug: 'internal-error', title: 'Internal Server Error', message: '%s' });

// Version transforms (src/transform, docs/transforms.md)
export const ERR_TRANSFORM_MISFIT = defineError('SUNDIAL_ERR_TRANSFORM_MISFIT', {
  status: 502,
  slug: 'transform-misfit',
  title: 'Bad Gateway',
  message: 'the %s does not fit the transform %s: %s',
});
export const ERR_TRANSFORM_TOO_LARGE = defineError('SUNDIAL_ERR_TRANSFORM_TOO_LARGE', {
  status: 502,
  slug: 'transform-body-too-large',
  title: 'Bad Gateway',
  message: 'an upstream answer to transform is larger than %d bytes',
});
export const ERR_TRANSFORM_REQUEST_TOO_LARGE = defineError('SUNDIAL_ERR_TRANSFORM_REQUEST_TOO_LARGE', {
  status: 413,
  slug: 'transform-request-too-large',
  title: 'Content Too Large',
  message: 'a request body to transform is larger than %d bytes',
});

// The admin API
export const ERR_ADMIN_UNAUTHORIZED = defineError('SUNDIAL_ERR_ADMIN_UNAUTHORIZED', {
  status: 401,
  slug: 'unauthorized',
  title: 'Unauthorized',
  message: 'missing or wrong admin bearer token',
});
export const ERR_ADMIN_NOT_FOUND = defineError('SUNDIAL_ERR_ADMIN_NOT_FOUND', {
  status: 404,
  slug: 'admin-not-found',
  title: 'Not Found',
  message: 'no admin endpoint at %s',
});
export const ERR_NOT_READY = defineError('SUNDIAL_ERR_NOT_READY', { status: 503, slug: 'not-ready', title: 'Not ready', message: '%s' });
export const ERR_CANARY_NOT_FOUND = defineError('SUNDIAL_ERR_CANARY_NOT_FOUND', {
  status: 404,
  slug: 'canary-not-found',
  title: 'No such canary',
  message: 'no canary %s',
});
export const ERR_ROLLOUT_CONFLICT = defineError('SUNDIAL_ERR_ROLLOUT_CONFLICT', {
  status: 409,
  slug: 'rollout-conflict',
  title: 'Cannot do that now',
  message: '%s',
});
export const ERR_FLAG_WRITE_FAILED = defineError('SUNDIAL_ERR_FLAG_WRITE_FAILED', {
  status: 502,
  slug: 'flag-write-failed',
  title: 'Flag change failed',
  message: '%s',
});
export const ERR_CONSUMERS_NOT_TRACKED = defineError('SUNDIAL_ERR_CONSUMERS_NOT_TRACKED', {
  status: 409,
  slug: 'consumers-not-configured',
  title: 'Consumers are not tracked',
  message: '%s',
});
export const ERR_REPORT_VERSION_UNKNOWN = defineError('SUNDIAL_ERR_REPORT_VERSION_UNKNOWN', {
  status: 404,
  slug: 'report-version-unknown',
  title: 'Unknown API version',
  message: 'no API version %s',
});

// ---------------------------------------------------------------------------
// Schema migrations (`sundial migrate`, src/migrate). Exit codes, not HTTP, matter here
// (docs/migrate.md); the status only keeps the shape of the catalogue.
const migrate = (status: number, slug: string, title: string, message: string): Definition => ({ status, slug: `migrate-${slug}`, title, message });
export const ERR_MIGRATE_FILE = defineError(
  'SUNDIAL_ERR_MIGRATE_FILE',
  migrate(400, 'file', 'Cannot read the migration file', 'cannot read migration file %s: %s'),
);
export const ERR_MIGRATE_INVALID = defineError(
  'SUNDIAL_ERR_MIGRATE_INVALID',
  migrate(400, 'invalid', 'Migration refused', 'migration refused, nothing was changed:\n%s'),
);
export const ERR_MIGRATE_ACTIVE = defineError(
  'SUNDIAL_ERR_MIGRATE_ACTIVE',
  migrate(
    409,
    'active',
    'A migration is already active',
    'migration "%s" is already active on schema "%s": run `sundial migrate complete` or `sundial migrate rollback` first',
  ),
);
export const ERR_MIGRATE_NONE_ACTIVE = defineError(
  'SUNDIAL_ERR_MIGRATE_NONE_ACTIVE',
  migrate(409, 'none-active', 'No active migration', 'no active migration on schema "%s"'),
);
export const ERR_MIGRATE_NOT_READY = defineError(
  'SUNDIAL_ERR_MIGRATE_NOT_READY',
  migrate(
    409,
    'not-ready',
    'The migration has not finished starting',
    'migration "%s" has not finished starting (phase %s): re-run `sundial migrate start %s` to resume, or `sundial migrate rollback`',
  ),
);
export const ERR_MIGRATE_MISMATCH = defineError(
  'SUNDIAL_ERR_MIGRATE_MISMATCH',
  migrate(
    409,
    'mismatch',
    'Another migration is active',
    'migration "%s" is active but its recorded operations differ from %s: roll it back or pass the file it was started with',
  ),
);
export const ERR_MIGRATE_LOCK_TIMEOUT = defineError(
  'SUNDIAL_ERR_MIGRATE_LOCK_TIMEOUT',
  migrate(
    503,
    'lock-timeout',
    'Could not take a lock',
    'could not take the lock for %s after %d attempts (lock_timeout %dms): another transaction holds it. Nothing of this step was applied; re-run the command when it is released',
  ),
);
export const ERR_MIGRATE_STEP_FAILED = defineError(
  'SUNDIAL_ERR_MIGRATE_STEP_FAILED',
  migrate(500, 'step-failed', 'A migration step failed', '%s failed at: %s\n  %s\n%s'),
);
export const ERR_MIGRATE_NO_DATABASE = defineError(
  'SUNDIAL_ERR_MIGRATE_NO_DATABASE',
  migrate(400, 'no-database', 'No database', 'no database: pass --database-url, set DATABASE_URL, or use --embedded'),
);
export const ERR_MIGRATE_USAGE = defineError('SUNDIAL_ERR_MIGRATE_USAGE', migrate(400, 'usage', 'Usage error', '%s'));
export const ERR_MIGRATE_APPLY_STOPPED = defineError(
  'SUNDIAL_ERR_MIGRATE_APPLY_STOPPED',
  migrate(500, 'apply-stopped', 'migrate apply stopped', 'migrate apply stopped at %s (%d of %d pending; applied before it: %s)\n%s'),
);
export const ERR_MIGRATE_CONNECT = defineError(
  'SUNDIAL_ERR_MIGRATE_CONNECT',
  migrate(503, 'connect', 'Cannot connect to PostgreSQL', 'cannot connect to PostgreSQL at %s: %s. Nothing was changed'),
);

// Migration lint (`sundial migrate lint`, src/migrate/lint).
export const ERR_LINT_PATH = defineError('SUNDIAL_ERR_LINT_PATH', migrate(400, 'lint-path', 'Cannot lint the path', 'cannot lint %s: %s'));
export const ERR_LINT_NO_MIGRATIONS = defineError(
  'SUNDIAL_ERR_LINT_NO_MIGRATIONS',
  migrate(400, 'lint-no-migrations', 'No migrations found', 'no migrations found in %s. Looked for: %s'),
);
export const ERR_LINT_CONFIG = defineError(
  'SUNDIAL_ERR_LINT_CONFIG',
  migrate(400, 'lint-config', 'Invalid lint config', 'invalid lint config %s: field %s: %s'),
);

/** Every entry of the catalogue, in the order above. */
export function catalogue(): readonly ErrorEntry[] {
  return [...entries.values()];
}
