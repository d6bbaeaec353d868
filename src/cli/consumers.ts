import { adminCall, adminTarget, type AdminTarget } from './admin-client.js';
import type { ConsumerRow, TallyReport, VersionConsumers } from '../consumers/tracker.js';
import { limitConsumers, mergeVersionConsumers } from '../consumers/merge.js';
import { fail, parseCommand } from './args.js';

const USAGE = `Usage: sundial consumers VERSION [--dir DIR | --admin URL...] [--top N] [--json]

Prints who still calls VERSION (and each of its deprecated operations), heaviest first,
from a running gateway: its top consumers by request count, with when each was last seen.
Consumers are identified as config/gateway.yaml \`consumers\` says (a header, a query
parameter or the Basic auth user). Counts come from a fixed-size top-K sketch: each count
may be too high by at most the "±" shown, never too low.

  --dir DIR     the gateway's config directory: the admin address and token are read
                from its config (default .)
  --admin URL   the admin API, such as http://127.0.0.1:9090; give it once per replica
                to merge their sketches into one answer (the "±" bounds still hold)
  --top N       show the first N consumers (default: all kept, K)
  --json        print the admin API's JSON

The admin token comes from SUNDIAL_ADMIN_TOKEN, else from the config.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(
    'consumers',
    argv,
    { dir: { type: 'string' }, admin: { type: 'string', multiple: true }, top: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    true,
  );
  if (typeof args === 'number') return args;
  const v = args.values;
  const [version, ...extra] = args.positionals;
  if (!version || extra.length) return fail('consumers', 'name one version, such as: sundial consumers v1', USAGE);
  if (v.dir && v.admin) return fail('consumers', 'use --dir or --admin, not both', USAGE);
  if (v.top !== undefined && !/^[1-9]\d*$/.test(v.top)) return fail('consumers', `--top: "${v.top}" is not a positive integer`, USAGE);

  let targets: AdminTarget[];
  try {
    targets = v.admin?.length ? v.admin.map((admin) => adminTarget({ admin })) : [adminTarget({ dir: v.dir })];
  } catch (err) {
    process.stderr.write(`sundial consumers: ${(err as Error).message}\n`);
    return 2;
  }
  // One gateway answers for itself; several send their whole sketches (no top) to be merged.
  const top = v.top ? Number(v.top) : undefined;
  const path = `/admin/consumers?version=${encodeURIComponent(version)}${top && targets.length === 1 ? `&top=${top}` : ''}`;
  let report: VersionConsumers;
  try {
    const reports = (await Promise.all(
      targets.map((target) =>
        adminCall(target, 'GET', path).catch((err: Error) => {
          throw targets.length > 1 ? new Error(`${target.url}: ${err.message}`) : err;
        }),
      ),
    )) as VersionConsumers[];
    report = reports.length === 1 ? reports[0] : limitConsumers(mergeVersionConsumers(reports), top);
  } catch (err) {
    process.stderr.write(`sundial consumers: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(v.json ? JSON.stringify(report, null, 2) + '\n' : consumersTable(report));
  return 0;
}

const n = (x: number) => x.toLocaleString('en-US');

function rows(list: ConsumerRow[], indent: string): string[] {
  const idWidth = Math.max(8, ...list.map((c) => c.id.length));
  const reqWidth = Math.max(8, ...list.map((c) => n(c.requests).length));
  const lines = [`${indent}${'#'.padStart(3)}  ${'consumer'.padEnd(idWidth)}  ${'requests'.padStart(reqWidth)}  ${'±'.padStart(6)}  last seen`];
  list.forEach((c, i) => {
    lines.push(
      `${indent}${String(i + 1).padStart(3)}  ${c.id.padEnd(idWidth)}  ${n(c.requests).padStart(reqWidth)}  ${n(c.maxOvercount).padStart(6)}  ${c.lastSeen}`,
    );
  });
  return lines;
}

function tally(t: TallyReport, indent: string): string[] {
  if (t.requests === 0) return [`${indent}no requests seen`];
  const lines = rows(t.consumers, indent);
  if (t.unidentified) lines.push(`${indent}and ${n(t.unidentified)} request(s) that named no consumer`);
  return lines;
}

export function consumersTable(r: VersionConsumers): string {
  const dates = [r.deprecated && `deprecated ${r.deprecated}`, r.sunset && `sunset ${r.sunset}`, r.successor && `successor ${r.successor}`]
    .filter(Boolean)
    .join(', ');
  const lines = [`${r.version}: ${r.state}${dates ? ` (${dates})` : ''}`];
  if (!r.tracked && r.operations.length === 0) {
    lines.push(`  ${r.version} has no deprecation or sunset date and no deprecated operations, so its consumers are not tracked.`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `  ${n(r.requests)} request(s) since ${r.since}, consumers identified by ${r.identifiedBy}; top ${r.k} kept, counts at most ${n(r.maxError)} too high`,
  );
  if (r.tracked) lines.push('', ...tally(r, '  '));
  for (const op of r.operations) {
    lines.push(
      '',
      `  ${op.operation}${op.operationId ? ` (${op.operationId})` : ''}: deprecated${op.sunset ? `, sunset ${op.sunset}` : ''}; ${n(op.requests)} request(s)`,
    );
    if (op.requests) lines.push(...tally(op, '    '));
  }
  return lines.join('\n') + '\n';
}
