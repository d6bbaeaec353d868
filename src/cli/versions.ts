import type { CompiledConfig } from '../config/compiled.js';
import { alignColumns } from '../text-table.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { discoveryDocument } from '../discovery/api-versions.js';
import { parseCommand } from './args.js';

const USAGE = `Usage: sundial versions [--dir DIR] [--json]

Prints every API version in DIR (default .) with its lifecycle state now, its dates and
successor, and the operations its OpenAPI document marks deprecated, with theirs.`;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The discovery document's versions, each with its OpenAPI document and deprecated operations. */
export function versionsReport(cfg: CompiledConfig, now: number) {
  const discovery = discoveryDocument(cfg, now);
  return {
    defaultVersion: discovery.defaultVersion,
    versions: discovery.versions.map((entry) => {
      const openapi = cfg.versions.get(entry.id)?.openapi;
      return {
        ...entry,
        openapi: openapi?.file,
        deprecatedOperations: (openapi?.deprecated ?? []).map((op) => ({
          operation: op.name,
          operationId: op.operationId,
          state: op.sunsetAt !== undefined && now >= op.sunsetAt ? 'sunset' : now >= op.deprecatedAt ? 'deprecated' : 'announced',
          deprecated: iso(op.deprecatedAt),
          deprecatedFrom: op.deprecatedFrom,
          sunset: iso(op.sunsetAt),
          successor: op.successor?.name,
        })),
      };
    }),
  };
}

export function versionsText(r: ReturnType<typeof versionsReport>): string {
  const lines: string[] = [];
  const table = (rows: string[][], indent: string) => {
    for (const line of alignColumns(rows)) lines.push(indent + line);
  };
  table(
    [
      ['VERSION', 'STATE', 'DEPRECATED', 'SUNSET', 'SUCCESSOR', 'OPENAPI'],
      ...r.versions.map((v) => [
        v.id + (v.id === r.defaultVersion ? ' (default)' : ''),
        v.state,
        v.deprecated ?? '-',
        v.sunset ?? '-',
        v.successor ?? '-',
        v.openapi ?? '-',
      ]),
    ],
    '',
  );
  for (const v of r.versions) {
    if (v.deprecatedOperations.length === 0) continue;
    lines.push('', `${v.id}: deprecated operations`);
    table(
      [
        ['OPERATION', 'STATE', 'DEPRECATED', 'SUNSET', 'SUCCESSOR'],
        ...v.deprecatedOperations.map((o) => [
          o.operation + (o.operationId ? ` (${o.operationId})` : ''),
          o.state,
          (o.deprecated ?? '-') + (o.deprecatedFrom === 'operation' ? '' : o.deprecatedFrom === 'version' ? ' (version)' : ' (at load)'),
          o.sunset ?? '-',
          o.successor ?? '-',
        ]),
      ],
      '  ',
    );
  }
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand('versions', argv, { dir: { type: 'string', default: '.' }, json: { type: 'boolean' } }, USAGE);
  if (typeof args === 'number') return args;
  let cfg: CompiledConfig;
  try {
    cfg = loadConfig(args.values.dir!);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`sundial versions: the config in ${args.values.dir} is invalid:\n`);
    for (const p of err.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
    return 1;
  }
  const report = versionsReport(cfg, Date.now());
  process.stdout.write(args.values.json ? JSON.stringify(report, null, 2) + '\n' : versionsText(report));
  return 0;
}
