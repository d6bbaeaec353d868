// The catalogue of sundial's errors. Each has a stable code that users can grep for and
// scripts can match on; messages may improve, codes never change meaning.
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

export interface ErrorFactory {
  (...args: unknown[]): SundialError;
  readonly code: string;
}

function defineError(code: string, statusCode: number, template: string): ErrorFactory {
  const factory = (...args: unknown[]) => new SundialError(code, statusCode, format(template, ...args));
  return Object.assign(factory, { code });
}

// Configuration
export const ERR_CONFIG_INVALID = defineError('SUNDIAL_ERR_CONFIG_INVALID', 500, 'invalid configuration:\n%s');

// Requests (these become application/problem+json bodies)
export const ERR_VERSION_UNKNOWN = defineError('SUNDIAL_ERR_VERSION_UNKNOWN', 400, 'unknown API version %s');
export const ERR_VERSION_REQUIRED = defineError('SUNDIAL_ERR_VERSION_REQUIRED', 400, 'no API version given');
export const ERR_VERSION_CONFLICT = defineError('SUNDIAL_ERR_VERSION_CONFLICT', 400, 'conflicting API versions: %s');
export const ERR_ROUTE_NOT_FOUND = defineError('SUNDIAL_ERR_ROUTE_NOT_FOUND', 404, 'no route matches %s');
export const ERR_METHOD_NOT_ALLOWED = defineError('SUNDIAL_ERR_METHOD_NOT_ALLOWED', 405, 'method %s not allowed');
export const ERR_VERSION_NOT_ROUTED = defineError('SUNDIAL_ERR_VERSION_NOT_ROUTED', 404, 'route %s does not serve version %s');
export const ERR_VERSION_SUNSET = defineError('SUNDIAL_ERR_VERSION_SUNSET', 410, 'version %s was sunset at %s');
export const ERR_VERSION_BROWNOUT = defineError('SUNDIAL_ERR_VERSION_BROWNOUT', 410, 'version %s is in a scheduled brownout');
export const ERR_OPERATION_SUNSET = defineError('SUNDIAL_ERR_OPERATION_SUNSET', 410, 'operation %s of version %s was sunset at %s');
export const ERR_UPSTREAM_UNAVAILABLE = defineError('SUNDIAL_ERR_UPSTREAM_UNAVAILABLE', 502, 'upstream %s failed: %s');
export const ERR_UPSTREAM_TIMEOUT = defineError('SUNDIAL_ERR_UPSTREAM_TIMEOUT', 504, 'upstream %s timed out');
export const ERR_BODY_TOO_LARGE = defineError('SUNDIAL_ERR_BODY_TOO_LARGE', 413, 'request body is larger than %d bytes');
export const ERR_TRANSFORM_MISFIT = defineError('SUNDIAL_ERR_TRANSFORM_MISFIT', 502, 'the %s does not fit the transform %s: %s');
export const ERR_TRANSFORM_TOO_LARGE = defineError('SUNDIAL_ERR_TRANSFORM_TOO_LARGE', 502, 'a body to transform is larger than %d bytes');
export const ERR_BAD_REQUEST = defineError('SUNDIAL_ERR_BAD_REQUEST', 400, '%s');

// Admin
export const ERR_CANARY_NOT_FOUND = defineError('SUNDIAL_ERR_CANARY_NOT_FOUND', 404, 'no canary %s');
export const ERR_ADMIN_UNAUTHORIZED = defineError('SUNDIAL_ERR_ADMIN_UNAUTHORIZED', 401, 'missing or wrong admin bearer token');

// ---------------------------------------------------------------------------
// Schema migrations (`sundial migrate`, src/migrate). Exit codes, not HTTP, matter here;
// the status code only keeps the shape of the catalogue.
export const ERR_MIGRATE_FILE = defineError('SUNDIAL_ERR_MIGRATE_FILE', 400, 'cannot read migration file %s: %s');
export const ERR_MIGRATE_INVALID = defineError('SUNDIAL_ERR_MIGRATE_INVALID', 400, 'migration refused, nothing was changed:\n%s');
export const ERR_MIGRATE_ACTIVE = defineError('SUNDIAL_ERR_MIGRATE_ACTIVE', 409, 'migration "%s" is already active on schema "%s": run `sundial migrate complete` or `sundial migrate rollback` first');
export const ERR_MIGRATE_NONE_ACTIVE = defineError('SUNDIAL_ERR_MIGRATE_NONE_ACTIVE', 409, 'no active migration on schema "%s"');
export const ERR_MIGRATE_NOT_READY = defineError('SUNDIAL_ERR_MIGRATE_NOT_READY', 409, 'migration "%s" has not finished starting (phase %s): re-run `sundial migrate start %s` to resume, or `sundial migrate rollback`');
export const ERR_MIGRATE_MISMATCH = defineError('SUNDIAL_ERR_MIGRATE_MISMATCH', 409, 'migration "%s" is active but its recorded operations differ from %s: roll it back or pass the file it was started with');
export const ERR_MIGRATE_LOCK_TIMEOUT = defineError('SUNDIAL_ERR_MIGRATE_LOCK_TIMEOUT', 503, 'could not take the lock for %s after %d attempts (lock_timeout %dms): another transaction holds it. Nothing of this step was applied; re-run the command when it is released');
export const ERR_MIGRATE_STEP_FAILED = defineError('SUNDIAL_ERR_MIGRATE_STEP_FAILED', 500, '%s failed at: %s\n  %s\n%s');
export const ERR_MIGRATE_NO_DATABASE = defineError('SUNDIAL_ERR_MIGRATE_NO_DATABASE', 400, 'no database: pass --database-url, set DATABASE_URL, or use --embedded');
export const ERR_MIGRATE_USAGE = defineError('SUNDIAL_ERR_MIGRATE_USAGE', 400, '%s');
