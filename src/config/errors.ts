// A config problem always names the file and the field, so that `sundial check` output can
// be acted on without guessing: "routes/orders.yaml: versions.v2.upstream: Invalid URL".
import { ERR_CONFIG_INVALID, SundialError } from '../errors.js';

export interface ConfigProblem {
  file: string;
  path: (string | number)[];
  message: string;
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function formatProblem(p: ConfigProblem): string {
  const where = formatPath(p.path);
  return where ? `${p.file}: ${where}: ${p.message}` : `${p.file}: ${p.message}`;
}

export class ConfigError extends SundialError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const base = ERR_CONFIG_INVALID(problems.map(formatProblem).join('\n'));
    super(base.code, base.statusCode, base.message);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
