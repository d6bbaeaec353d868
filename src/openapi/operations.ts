// The operations of a dereferenced OpenAPI document, with the lifecycle fields sundial reads:
// `deprecated`, and the extensions `x-deprecated-at`, `x-sunset` and `x-successor`. Plain data,
// so that it can cross from the loader's worker thread.
import type { OpenApiDocument } from './document.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OperationSpec {
  /** Upper case, as requests carry it. */
  method: string;
  /** The path template, as written in the document: /orders/{id}. */
  path: string;
  operationId?: string;
  deprecated: boolean;
  /** The raw extension values; checked when the config is compiled. */
  deprecatedAt?: unknown;
  sunset?: unknown;
  successor?: unknown;
  /** externalDocs.url of the operation, the Link rel="deprecation" target. */
  docs?: string;
}

export function collectOperations(doc: OpenApiDocument): OperationSpec[] {
  const out: OperationSpec[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method] as Record<string, unknown> | undefined;
      if (!op || typeof op !== 'object') continue;
      const docs = (op.externalDocs as { url?: unknown } | undefined)?.url;
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        deprecated: op.deprecated === true,
        deprecatedAt: op['x-deprecated-at'],
        sunset: op['x-sunset'],
        successor: op['x-successor'],
        docs: typeof docs === 'string' ? docs : undefined,
      });
    }
  }
  return out;
}

/** "GET /orders/{id}", how operations are named in messages and in `x-successor`. */
export function operationName(op: { method: string; path: string }): string {
  return `${op.method} ${op.path}`;
}
