// "did you mean": the known field nearest to an unknown one, found by walking the zod schema
// along the problem's path, so the suggestion is always a field valid at that place.
import type { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; valueType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[] };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value at `path` may be checked against. */
function objectsAt(schema: z.ZodType, path: readonly (string | number)[]): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional': case 'default': case 'prefault': case 'nullable': case 'readonly': case 'catch':
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

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
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
