// `sundial shadow report|reset`: reads or clears a running gateway's shadow report over its
// admin API, found through the config directory or an explicit URL.
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { ShadowReportDocument } from '../shadow/service.js';
import { mergeShadowDocuments } from '../shadow/merge.js';
import { formatReport } from '../shadow/table.js';
import { fail, parseCommand } from './args.js';

const USAGE = `Usage: sundial shadow report [--dir DIR | --admin URL...] [--json] [--samples N]
       sundial shadow reset  [--dir DIR | --admin URL...]

Reads (report) or clears (reset) the shadow comparison report of a running gateway.

  --dir DIR      the gateway's config directory: the admin address and token come from its
                 config/gateway.yaml (default .)
  --admin URL    the admin listener's URL instead, such as http://127.0.0.1:9090; give it
                 once per replica to merge their reports into one (or reset them all)
  --json         print the report as JSON, as GET /admin/shadow returns it
  --samples N    sample mismatches to print per route version (default 5)

The admin token is SUNDIAL_ADMIN_TOKEN when set, else the config's admin.token.`;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

export interface AdminTarget {
  url: string;
  token?: string;
}

export function adminTarget(values: { dir?: string; admin?: string }, env: NodeJS.ProcessEnv = process.env): AdminTarget {
  const envToken = env.SUNDIAL_ADMIN_TOKEN || undefined;
  if (values.admin) return { url: values.admin.replace(/\/+$/, ''), token: envToken };
  const cfg = loadConfig(values.dir ?? '.', { env });
  const { host, port, token } = cfg.gateway.admin;
  const reachable = WILDCARD_HOSTS.has(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { url: `http://${reachable}:${port}`, token: envToken ?? token };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(
    'shadow',
    argv,
    {
      dir: { type: 'string' },
      admin: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      samples: { type: 'string' },
    },
    USAGE,
    true,
  );
  if (typeof args === 'number') return args;
  const [action, ...extra] = args.positionals;
  if (action !== 'report' && action !== 'reset') return fail('shadow', action ? `unknown action "${action}"` : 'name an action: report or reset', USAGE);
  if (extra.length) return fail('shadow', `unexpected argument "${extra[0]}"`, USAGE);
  if (args.values.dir && args.values.admin) return fail('shadow', 'give --dir or --admin, not both', USAGE);
  const samples = args.values.samples === undefined ? undefined : Number(args.values.samples);
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 0)) return fail('shadow', `--samples: "${args.values.samples}" is not a count`, USAGE);

  let targets: AdminTarget[];
  try {
    targets = args.values.admin?.length ? args.values.admin.map((admin) => adminTarget({ admin })) : [adminTarget({ dir: args.values.dir })];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`sundial shadow: cannot read the admin address from the config:\n`);
    for (const line of err.message.split('\n').slice(1)) process.stderr.write(`  ${line}\n`);
    return 1;
  }

  const docs: ShadowReportDocument[] = [];
  for (const target of targets) {
    const text = await call(target, action === 'reset' ? 'DELETE' : 'GET');
    if (text === undefined) return 1;
    if (action === 'report') docs.push(JSON.parse(text) as ShadowReportDocument);
  }
  if (action === 'reset') {
    process.stdout.write(targets.length > 1 ? `shadow reports reset on ${targets.length} gateways\n` : 'shadow report reset\n');
    return 0;
  }
  const merged = docs.length === 1 ? docs[0] : mergeShadowDocuments(docs);
  if (args.values.json) {
    process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(formatReport(merged, { samples }));
  return 0;
}

/** The admin answer's text, or undefined after saying on stderr why there is none. */
async function call(target: AdminTarget, method: 'GET' | 'DELETE'): Promise<string | undefined> {
  let res: Response;
  try {
    res = await fetch(`${target.url}/admin/shadow`, {
      method,
      headers: target.token ? { authorization: `Bearer ${target.token}` } : {},
    });
  } catch (err) {
    process.stderr.write(
      `sundial shadow: cannot reach the gateway's admin API at ${target.url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}\n`,
    );
    return undefined;
  }
  const text = await res.text();
  if (!res.ok) {
    process.stderr.write(
      `sundial shadow: ${target.url}/admin/shadow answered ${res.status}${res.status === 401 ? ' (set SUNDIAL_ADMIN_TOKEN to the admin token)' : ''}\n${text}\n`,
    );
    return undefined;
  }
  return text;
}
