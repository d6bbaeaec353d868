// The diff's reader: it reads what people write. A document with the common violations of
// the specification (an operation without responses, a response without a description, a
// parameter without a schema, ...) is still read, with a warning naming each one, so that the
// diff runs; `strict` refuses such documents with the validator's own errors. A document that
// cannot be read at all (no file, bad syntax, not OpenAPI 3.x, an unresolvable $ref) is
// refused either way, with the reason.
import SwaggerParser from '@apidevtools/swagger-parser';
import { loadOpenApiDocument, notOpenApi, parseDocumentText, parserOptions, readDocumentFile, type DocumentProblem, type OpenApiDocument } from './document.js';
import { HTTP_METHODS } from './operations.js';

export type LenientResult = { ok: true; document: OpenApiDocument; text: string; warnings: DocumentProblem[] } | { ok: false; problems: DocumentProblem[] };

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The violations the diff reads past, each with its place in the document. */
export function lintViolations(doc: Obj): DocumentProblem[] {
  const out: DocumentProblem[] = [];
  const at = (path: (string | number)[], message: string) => out.push({ path, message });
  if (!isObj(doc.info)) at(['info'], 'the document has no `info`');
  else {
    if (typeof doc.info.title !== 'string') at(['info', 'title'], '`info` has no `title`');
    if (doc.info.version === undefined) at(['info', 'version'], '`info` has no `version`');
  }
  if (doc.paths === undefined && doc.webhooks === undefined && doc.components === undefined) at([], 'the document has no `paths`');
  const parameters = (list: unknown, base: (string | number)[], template?: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (!isObj(p) || '$ref' in p) return;
      const here = [...base, 'parameters', i];
      if (typeof p.name !== 'string') at(here, 'a parameter has no `name`');
      if (!['query', 'header', 'path', 'cookie'].includes(p.in))
        at([...here, 'in'], `a parameter has \`in: ${String(p.in)}\`, not query, header, path or cookie`);
      if (p.schema === undefined && p.content === undefined) at(here, `parameter ${String(p.name)} has neither \`schema\` nor \`content\``);
      if (p.in === 'path' && p.required !== true) at([...here, 'required'], `path parameter ${String(p.name)} is not marked required: true`);
      if (p.in === 'path' && template !== undefined && !template.includes(`{${String(p.name)}}`))
        at(here, `path parameter ${String(p.name)} is not in the path ${template}`);
    });
  };
  const operations = (items: unknown, root: string) => {
    if (!isObj(items)) return;
    for (const [path, item] of Object.entries(items)) {
      if (!isObj(item)) continue;
      parameters(item.parameters, [root, path], root === 'paths' ? path : undefined);
      for (const m of HTTP_METHODS) {
        const op = item[m];
        if (!isObj(op)) continue;
        const base = [root, path, m];
        parameters(op.parameters, base, root === 'paths' ? path : undefined);
        // OpenAPI 3.1 made `responses` optional; 3.0 requires at least one.
        const v30 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.0');
        if (!isObj(op.responses)) {
          if (v30) at(base, 'an operation has no `responses`');
        } else {
          if (Object.keys(op.responses).length === 0 && v30) at([...base, 'responses'], '`responses` is empty');
          for (const [status, r] of Object.entries(op.responses)) {
            if (isObj(r) && !('$ref' in r) && typeof r.description !== 'string')
              at([...base, 'responses', status], `response ${status} has no \`description\``);
            if (!/^([1-5](\d\d|XX)|default)$/i.test(status))
              at([...base, 'responses', status], `${status} is not a status code, a range such as 4XX, or default`);
          }
        }
        if (isObj(op.requestBody) && !('$ref' in op.requestBody) && !isObj(op.requestBody.content))
          at([...base, 'requestBody'], 'a request body has no `content`');
      }
    }
  };
  operations(doc.paths, 'paths');
  operations(doc.webhooks, 'webhooks');
  return out;
}

/** Reads a document for the diff; `strict` validates it fully, as the gateway does at load. */
export async function readForDiff(file: string, strict: boolean): Promise<LenientResult> {
  const read = await readDocumentFile(file);
  if (!read.ok) return read;
  const { text } = read;
  if (strict) {
    const loaded = await loadOpenApiDocument(file);
    return loaded.ok ? { ok: true, document: loaded.document, text, warnings: [] } : loaded;
  }
  const parsed = parseDocumentText(text);
  if (!parsed.ok) return parsed;
  const wrong = notOpenApi(parsed.value);
  if (wrong) return { ok: false, problems: [wrong] };
  const warnings = lintViolations(parsed.value as Obj);
  try {
    const document = await SwaggerParser.dereference(file, structuredClone(parsed.value) as OpenApiDocument, parserOptions());
    return { ok: true, document: document as OpenApiDocument, text, warnings };
  } catch (err) {
    return { ok: false, problems: [{ path: [], message: `cannot resolve the document: ${(err as Error).message.split('\n')[0]}` }] };
  }
}
