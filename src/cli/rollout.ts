import { alignColumns } from '../text-table.js';
import { adminCall, adminTarget, ADMIN_OPTIONS } from './admin-client.js';
import { fail, parseCommand } from './args.js';

const USAGE = `Usage:
  sundial rollout status [ROUTE/VERSION]
  sundial rollout set ROUTE/VERSION PERCENT
  sundial rollout promote|abort|pause|resume ROUTE/VERSION

Controls canary rollouts on a running gateway. A canary is named by its route and
version, such as orders/v2.

  --dir DIR     find the gateway's admin API from the config in DIR (default .)
  --admin URL   or give the admin API's URL directly
  --json        print JSON

The admin token is read from SUNDIAL_ADMIN_TOKEN, else from the config.`;

interface CanaryStatus {
  canary: string;
  flag: string;
  status: string;
  percent: number;
  failedChecks: number;
  steps: number[] | null;
  history: { at: string; action: string; percent: number; reason?: string; verdict?: { reasons: string[] } }[];
}

function table(canaries: CanaryStatus[]): string {
  const rows = [['CANARY', 'FLAG', 'STATUS', 'PERCENT', 'STEPS', 'FAILED', 'LAST EVENT']];
  for (const c of canaries) {
    const last = c.history[c.history.length - 1];
    const why = last ? `${last.at} ${last.action}${last.verdict ? `: ${last.verdict.reasons.join('; ')}` : last.reason ? `: ${last.reason}` : ''}` : '';
    rows.push([c.canary, c.flag, c.status, `${c.percent}%`, c.steps ? c.steps.join(',') : 'manual', String(c.failedChecks), why]);
  }
  return alignColumns(rows).join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand('rollout', argv, ADMIN_OPTIONS, USAGE, true);
  if (typeof args === 'number') return args;
  const [action, name, value] = args.positionals;
  if (!action) return fail('rollout', 'name an action', USAGE);
  const target = adminTarget(args.values);
  const print = (data: unknown, text: () => string) => process.stdout.write(args.values.json ? JSON.stringify(data, null, 2) + '\n' : text());

  if (action === 'status') {
    const { canaries } = (await adminCall(target, 'GET', '/admin/canaries')) as { canaries: CanaryStatus[] };
    const shown = name ? canaries.filter((c) => c.canary === name) : canaries;
    if (name && !shown.length) {
      process.stderr.write(`sundial rollout: no canary "${name}" (known: ${canaries.map((c) => c.canary).join(', ') || 'none'})\n`);
      return 1;
    }
    print({ canaries: shown }, () => (shown.length ? table(shown) : 'no canaries are configured\n'));
    return 0;
  }
  if (!['set', 'promote', 'abort', 'pause', 'resume'].includes(action)) return fail('rollout', `unknown action "${action}"`, USAGE);
  if (!name || !/^[^/]+\/[^/]+$/.test(name)) return fail('rollout', 'name the canary as ROUTE/VERSION, such as orders/v2', USAGE);
  let body: { percent: number } | undefined;
  if (action === 'set') {
    const percent = Number(value);
    if (value === undefined || !Number.isFinite(percent) || percent < 0 || percent > 100) return fail('rollout', 'set needs a PERCENT from 0 to 100', USAGE);
    body = { percent };
  }
  const [route, version] = name.split('/');
  const status = (await adminCall(
    target,
    'POST',
    `/admin/canaries/${encodeURIComponent(route)}/${encodeURIComponent(version)}/${action}`,
    body ?? {},
  )) as CanaryStatus;
  print(status, () => table([status]));
  return 0;
}
