// Reads one OpenAPI 3.0 or 3.1 document (YAML or JSON), validates it against the
// specification with @apidevtools/swagger-parser and dereferences its $refs. Every problem
// names the place in the document: a line and column for syntax errors, a field path for
// the rest, so that `sundial check` output can be acted on without guessing.
import SwaggerParser from '@apidevtools/swagger-parser';
import { readFile } from 'node:fs/promises';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { parseDocument } from 'yaml';

export type OpenApiDocument = OpenAPIV3.Document | OpenAPIV3_1.Document;

export interface DocumentProblem {
  /** Where in the document: field names from the root. Empty for the whole file. */
  path: (string | number)[];
  message: string;
  /** True when the file itself could not be read. */
  missing?: boolean;
}

export type DocumentResult = { ok: true; document: OpenApiDocument } | { ok: false; problems: DocumentProblem[] };

const SUPPORTED = /^3\.(0|1)\.\d+$/;

/** Splits a JSON pointer ("#/paths/~1orders/get") into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  const p = pointer.replace(/^#/, '');
  if (p === '' || p === '/') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments, escaping "~" and "/" (RFC 6901). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Parses the text of a document; YAML 1.2 reads JSON too. */
export function parseDocumentText(text: string): { ok: true; value: unknown } | { ok: false; problems: DocumentProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      // The first syntax error only: the ones after it are usually its consequences.
      problems: doc.errors.slice(0, 1).map((e) => {
        const at = e.linePos?.[0];
        return {
          path: [],
          message: at
            ? `line ${at.line}, column ${at.col}: syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`
            : `syntax error: ${e.message}`,
        };
      }),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
}

/** Checks that a parsed value is an OpenAPI 3.0 or 3.1 document, before the full validation. */
export function notOpenApi(value: unknown): DocumentProblem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { path: [], message: 'not an OpenAPI document: expected a mapping with an `openapi` field at the top level' };
  }
  const v = value as Record<string, unknown>;
  if (v.swagger !== undefined) {
    return { path: ['swagger'], message: `Swagger ${String(v.swagger)} is not supported: convert the document to OpenAPI 3.0 or 3.1` };
  }
  if (v.openapi === undefined) {
    return { path: [], message: 'not an OpenAPI document: it has no `openapi` field (such as openapi: 3.1.0)' };
  }
  if (typeof v.openapi !== 'string' || !SUPPORTED.test(v.openapi)) {
    return { path: ['openapi'], message: `unsupported OpenAPI version ${JSON.stringify(v.openapi)}: expected a 3.0.x or 3.1.x version string, quoted in YAML` };
  }
  return undefined;
}

/** Where a $ref naming `target` appears in a raw (not yet dereferenced) document. */
function findRef(raw: unknown, target: string): (string | number)[] | undefined {
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return undefined;
    seen.add(node);
    if (!Array.isArray(node) && (node as Record<string, unknown>).$ref === target) return [...path, '$ref'];
    for (const [k, child] of Object.entries(node)) {
      const found = walk(child, [...path, Array.isArray(node) ? Number(k) : k]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(raw, []);
}

interface AjvDetail {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns a swagger-parser failure into problems that name a place in the document. */
function describeFailure(err: unknown, raw: unknown): DocumentProblem[] {
  const e = err as Error & { details?: AjvDetail[]; code?: string; $ref?: string; path?: string };
  if (Array.isArray(e.details) && e.details.length) {
    // One line per place: ajv often reports a failed oneOf branch several times over.
    const seen = new Set<string>();
    const problems: DocumentProblem[] = [];
    for (const d of e.details) {
      const extra = d.params?.additionalProperty ? ` (${String(d.params.additionalProperty)})` : '';
      const message = `${d.message ?? 'is invalid'}${extra}`;
      const key = `${d.instancePath}\0${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ path: pointerSegments(d.instancePath ?? ''), message: `invalid per the OpenAPI specification: ${message}` });
    }
    return problems;
  }
  const first = (e.message ?? String(err)).split('\n')[0];
  const missing = /Missing \$ref pointer "([^"]+)"/.exec(first) ?? /Error (?:opening|resolving) \$?ref "?([^"\s]+)"?/.exec(first);
  if (e.code === 'EMISSINGPOINTER' || e.code === 'ERESOLVER' || e.code === 'EUNMATCHEDRESOLVER' || missing) {
    const target = missing?.[1];
    const at = target ? findRef(raw, target) : undefined;
    return [{ path: at ?? [], message: `unresolvable $ref${target ? ` "${target}"` : ''}: ${first}` }];
  }
  return [{ path: [], message: `invalid per the OpenAPI specification: ${first.replace(/^Validation failed\.\s*/, '')}` }];
}

/** The file's text, or the problem that says why it could not be read (`missing` when absent). */
export async function readDocumentFile(file: string): Promise<{ ok: true; text: string } | { ok: false; problems: DocumentProblem[] }> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problems: [{ path: [], missing: true, message: code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(err as Error).message}` }],
    };
  }
}

/** swagger-parser's options for a local document: no fetching over HTTP, circular $refs kept. */
export function parserOptions(): SwaggerParser.Options {
  return { resolve: { http: false }, dereference: { circular: true } } as SwaggerParser.Options;
}

/** Reads, validates and dereferences the document at `file` (an absolute path). */
export async function loadOpenApiDocument(file: string): Promise<DocumentResult> {
  const read = await readDocumentFile(file);
  if (!read.ok) return read;
  const parsed = parseDocumentText(read.text);
  if (!parsed.ok) return parsed;
  const wrong = notOpenApi(parsed.value);
  if (wrong) return { ok: false, problems: [wrong] };
  try {
    // swagger-parser dereferences in place; the raw copy is kept to locate a bad $ref.
    const document = await SwaggerParser.validate(file, structuredClone(parsed.value) as OpenApiDocument, parserOptions());
    return { ok: true, document: document as OpenApiDocument };
  } catch (err) {
    return { ok: false, problems: describeFailure(err, parsed.value) };
  }
}
