// Shared option parsing for the CLI commands, on node:util's parseArgs.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
}

export function fail(command: string, message: string, usage: string): number {
  process.stderr.write(`sundial ${command}: ${message}\n\n${usage}\n`);
  return 2;
}
