import { relative } from 'node:path';
import { formatPath } from '../config/errors.js';
import { versionDocument } from '../openapi/config.js';
import { diffDocuments } from '../openapi/diff.js';
import { formatDiff, type DiffFormat } from '../openapi/diff-format.js';
import { loadOpenApiDocument, type OpenApiDocument } from '../openapi/document.js';
import { fail, parseCommandArgs } from './args.js';

const USAGE = `Usage: sundial openapi diff OLD NEW [--format text|json|markdown]
       sundial openapi diff --dir DIR --from V1 --to V2 [--format ...]

Compares two OpenAPI 3.0/3.1 documents (YAML or JSON; $refs are followed) and classifies
every change for clients of OLD:
  breaking  clients of OLD will fail (a removed operation, property or status, a new
            required parameter, a changed type, a narrowed request enum, new security)
  warning   clients of OLD may fail (a widened response enum, a new property in a
            response schema with additionalProperties: false, ...)
  info      compatible changes

With --dir, OLD and NEW are the documents that versions/V1.yaml and versions/V2.yaml name
in their \`openapi\` field.

Exit status: 0 when nothing is breaking, 1 when something is (so the command can gate a
CI pipeline), 2 when a document cannot be read or the arguments are wrong.

  --format F      text (default), json or markdown
  --fail-on C     exit 1 on this class or worse: breaking (default) or warning`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE + '\n');
    return sub ? 0 : 2;
  }
  if (sub !== 'diff') return fail('openapi', `unknown subcommand "${sub}"`, USAGE);
  let args;
  try {
    args = parseCommandArgs(rest, {
      format: { type: 'string', default: 'text' },
      dir: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'fail-on': { type: 'string', default: 'breaking' },
    }, true);
  } catch (err) {
    return fail('openapi diff', (err as Error).message, USAGE);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = v.format as DiffFormat;
  if (!['text', 'json', 'markdown'].includes(format)) return fail('openapi diff', `--format: "${v.format}" is not text, json or markdown`, USAGE);
  if (v['fail-on'] !== 'breaking' && v['fail-on'] !== 'warning') return fail('openapi diff', `--fail-on: "${v['fail-on']}" is not breaking or warning`, USAGE);

  let files: [string, string];
  let labels: { old: string; new: string };
  if (v.dir !== undefined || v.from !== undefined || v.to !== undefined) {
    if (!v.dir || !v.from || !v.to || args.positionals.length) return fail('openapi diff', '--dir, --from and --to go together, without file arguments', USAGE);
    const found = [versionDocument(v.dir, v.from), versionDocument(v.dir, v.to)];
    for (const f of found) {
      if ('error' in f) {
        process.stderr.write(`sundial openapi diff: ${f.error}\n`);
        return 2;
      }
    }
    files = found.map((f) => (f as { file: string }).file) as [string, string];
    labels = { old: v.from, new: v.to };
  } else {
    if (args.positionals.length !== 2) return fail('openapi diff', 'name two documents: OLD NEW', USAGE);
    files = [args.positionals[0], args.positionals[1]];
    labels = { old: relative('.', files[0]) || files[0], new: relative('.', files[1]) || files[1] };
  }

  const docs: OpenApiDocument[] = [];
  for (const file of files) {
    const result = await loadOpenApiDocument(file);
    if (!result.ok) {
      for (const p of result.problems) process.stderr.write(`sundial openapi diff: ${file}: ${p.path.length ? `${formatPath(p.path)}: ` : ''}${p.message}\n`);
      return 2;
    }
    docs.push(result.document);
  }
  const changes = diffDocuments(docs[0], docs[1]);
  process.stdout.write(formatDiff(changes, format, labels));
  const failing = changes.some((c) => c.class === 'breaking' || (v['fail-on'] === 'warning' && c.class === 'warning'));
  return failing ? 1 : 0;
}
