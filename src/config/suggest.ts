// "did you mean": the known field nearest to an unknown one, found by walking the zod schema
// along the problem's path, so the suggestion is always a field valid at that place.
import type { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value at `path` may be checked against. */
function objectsAt(schema: z.ZodType, path: readonly (string | number)[]): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return objectsAt(def.innerType!, path);
    case 'pipe':
      return objectsAt(def.in!, path);
    case 'union':
      return def.options!.flatMap((o) => objectsAt(o, path));
    case 'array':
      return typeof path[0] === 'number' ? objectsAt(def.element!, path.slice(1)) : [];
    case 'record':
      return path.length ? objectsAt(def.valueType!, path.slice(1)) : [];
    case 'object': {
      if (!path.length) return [def];
      const next = def.shape![String(path[0])];
      return next ? objectsAt(next, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

/** Edit distance with adjacent transpositions counted as one edit ("prot" -> "port"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `; did you mean "port"?` for the nearest known field, or "" when none is near. */
export function didYouMean(schema: z.ZodType, path: readonly (string | number)[], key: string): string {
  const known = [...new Set(objectsAt(schema, path).flatMap((d) => Object.keys(d.shape ?? {})))];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  const near = best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3));
  if (near) return `; did you mean "${best}"?`;
  return known.length ? ` (known: ${known.join(', ')})` : '';
}
