// `${VAR}` substitution, applied to parsed YAML string values (never to the raw text, so a
// variable's content cannot change the document's structure).
//   ${VAR}          the variable; an error when it is unset
//   ${VAR:-default} the variable, or `default` when it is unset or empty
//   $${VAR}         a literal "${VAR}"

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface EnvProblem {
  path: (string | number)[];
  message: string;
}

export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, problems: EnvProblem[], path: (string | number)[] = []): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(REFERENCE, (whole, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped) return whole.slice(1);
      const found = env[name];
      if (found !== undefined && (found !== '' || fallback === undefined)) return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path, message: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, problems, [...path, key]);
    return out;
  }
  return value;
}
