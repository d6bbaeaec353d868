import type { CompiledConfig } from '../config/compiled.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { lifecycleState } from '../lifecycle/state.js';
import { parseCommand } from './args.js';
import { checkTransformSchemas } from '../transform/schema-check.js';

const USAGE = `Usage: sundial check [--dir DIR] [--json]

Validates the config in DIR (default: the current directory) as the gateway would at
start. Prints every problem, each naming its file and field, and exits 1; or prints a
summary and exits 0.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand('check', argv, { dir: { type: 'string', default: '.' }, json: { type: 'boolean' } }, USAGE);
  if (typeof args === 'number') return args;
  const dir = args.values.dir!;
  try {
    const cfg = loadConfig(dir);
    // Transforms between two versions with OpenAPI documents are checked against both schemas.
    const findings = await checkTransformSchemas(cfg);
    const refused = findings.filter((f) => f.severity === 'problem');
    const unmapped = findings.filter((f) => f.severity === 'unmapped').map((f) => `${f.file}: transform: ${f.message}`);
    if (refused.length) throw new ConfigError(refused.map((f) => ({ file: f.file, path: ['transform'], message: f.message })));
    process.stdout.write(
      args.values.json ? JSON.stringify({ ok: true, ...summary(cfg), ...(unmapped.length ? { unmapped } : {}) }, null, 2) + '\n' : describe(cfg),
    );
    if (!args.values.json && unmapped.length) process.stdout.write(`unmapped by transforms:\n${unmapped.map((u) => `  ${u}\n`).join('')}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (args.values.json) {
      process.stdout.write(JSON.stringify({ ok: false, problems: err.problems.map((p) => ({ ...p, text: formatProblem(p) })) }, null, 2) + '\n');
    } else {
      process.stderr.write(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in ${dir}:\n`);
      for (const p of err.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
    }
    return 1;
  }
}

function summary(cfg: CompiledConfig) {
  const now = Date.now();
  return {
    dir: cfg.dir,
    defaultVersion: cfg.versioning.defaultVersion,
    versions: [...cfg.versions.values()].map((v) => ({
      id: v.id,
      state: lifecycleState(v, now),
      deprecated: v.deprecatedAt && new Date(v.deprecatedAt).toISOString(),
      sunset: v.sunsetAt && new Date(v.sunsetAt).toISOString(),
      successor: v.successor,
      brownouts: v.brownouts.length,
    })),
    routes: cfg.routes.map((r) => ({ name: r.name, prefix: r.prefix, versions: Object.fromEntries([...r.upstreams].map(([id, u]) => [id, u.base])) })),
    canaries: cfg.canaries.map((c) => ({ canary: c.key, upstream: c.canary.base, flag: c.flag, steps: c.rollout?.steps ?? null })),
    flags: cfg.canaries.length ? cfg.gateway.flags.provider : null,
  };
}

function describe(cfg: CompiledConfig): string {
  const s = summary(cfg);
  const lines = [`config OK: ${s.dir}`, `versions (default ${s.defaultVersion ?? 'none'}):`];
  for (const v of s.versions) {
    const dates = [
      v.deprecated && `deprecated ${v.deprecated}`,
      v.sunset && `sunset ${v.sunset}`,
      v.successor && `successor ${v.successor}`,
      v.brownouts && `${v.brownouts} brownout window(s)`,
    ].filter(Boolean);
    lines.push(`  ${v.id.padEnd(12)} ${v.state.padEnd(11)} ${dates.join(', ')}`.trimEnd());
  }
  lines.push('routes:');
  for (const r of s.routes) {
    lines.push(`  ${r.name} ${r.prefix}`);
    for (const [id, url] of Object.entries(r.versions)) {
      const chain = cfg.routes.find((x) => x.name === r.name)?.upstreams.get(id)?.transform;
      lines.push(`    ${id.padEnd(10)} -> ${url}${chain ? ` (through the transforms ${chain.label})` : ''}`);
      const c = s.canaries.find((x) => x.canary === `${r.name}/${id}`);
      if (c) lines.push(`    ${''.padEnd(10)}    canary ${c.upstream} (flag ${c.flag} from ${s.flags}${c.steps ? `, rollout ${c.steps.join(',')}` : ''})`);
    }
  }
  return lines.join('\n') + '\n';
}
