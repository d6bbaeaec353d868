// Shared option parsing for the CLI commands, on node:util's parseArgs.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command's own options, in parseArgs' shape. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** Every command takes --help besides its own options. */
type WithHelp<T extends CommandOptions> = { help: { type: 'boolean'; short: 'h' } } & T;

/** What parseArgs returns for a command's options: named, so the package's type declarations can say it. */
export type ParsedCommand<T extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; allowPositionals: boolean; strict: true }>
>;

export function parseCommandArgs<T extends CommandOptions>(argv: string[], options: T, allowPositionals = false): ParsedCommand<T> {
  return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
}

export function fail(command: string, message: string, usage: string): number {
  process.stderr.write(`sundial ${command}: ${message}\n\n${usage}\n`);
  return 2;
}

/**
 * A command's options parsed, or the command's answer when there is nothing more to do:
 * --help prints the usage (exit 0), and bad options print the error and the usage (exit 2).
 * A number is that exit code.
 */
export function parseCommand<T extends CommandOptions>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
  allowPositionals = false,
): ParsedCommand<T> | number {
  let args;
  try {
    args = parseCommandArgs(argv, options, allowPositionals);
  } catch (err) {
    return fail(command, (err as Error).message, usage);
  }
  if ((args.values as { help?: boolean }).help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  return args;
}
