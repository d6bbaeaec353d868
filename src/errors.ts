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
export const ERR_CONFIG_DIR = defineError('SUNDIAL_ERR_CONFIG_DIR', 500, 'cannot read config directory %s: %s');

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
export const ERR_BAD_REQUEST = defineError('SUNDIAL_ERR_BAD_REQUEST', 400, '%s');

// Admin
export const ERR_CANARY_NOT_FOUND = defineError('SUNDIAL_ERR_CANARY_NOT_FOUND', 404, 'no canary %s');
export const ERR_ADMIN_UNAUTHORIZED = defineError('SUNDIAL_ERR_ADMIN_UNAUTHORIZED', 401, 'missing or wrong admin bearer token');
