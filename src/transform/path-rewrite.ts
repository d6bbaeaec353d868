// Request path rewrites between versions: `/orders/:id/items` -> `/orders/:id/lines`. A
// `:name` matches one non-empty path segment and is carried into the other template.
// Compiled once at load into segment lists; a rewrite costs one split of the path.

export interface PathRewrite {
  from: string;
  to: string;
  match(path: string): string | undefined;
}

type Segment = { literal: string } | { param: string };

function segments(template: string): Segment[] {
  return template
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith(':') && s.length > 1 ? { param: s.slice(1) } : { literal: s }));
}

function rewriter(from: Segment[], to: Segment[]): (path: string) => string | undefined {
  return (path) => {
    const parts = path.split('/').slice(1);
    if (parts.length !== from.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < from.length; i++) {
      const s = from[i];
      if ('literal' in s) {
        if (parts[i] !== s.literal) return undefined;
      } else {
        if (parts[i] === '') return undefined;
        params[s.param] = parts[i];
      }
    }
    return '/' + to.map((s) => ('literal' in s ? s.literal : params[s.param])).join('/');
  };
}

/** Compiles one rewrite each way; returns a message when the templates do not pair up. */
export function compilePathRewrite(from: string, to: string): { forward: PathRewrite; backward: PathRewrite } | string {
  const a = segments(from);
  const b = segments(to);
  const names = (s: Segment[]) => s.flatMap((x) => ('param' in x ? [x.param] : []));
  const na = names(a);
  const nb = names(b);
  if (new Set(na).size !== na.length || new Set(nb).size !== nb.length) return 'a parameter is named twice';
  const missing = nb.filter((n) => !na.includes(n));
  if (missing.length) return `"${to}" uses :${missing[0]}, which "${from}" does not capture`;
  const lost = na.filter((n) => !nb.includes(n));
  if (lost.length) return `"${from}" captures :${lost[0]}, which "${to}" drops, so the rewrite cannot be read backwards`;
  return {
    forward: { from, to, match: rewriter(a, b) },
    backward: { from: to, to: from, match: rewriter(b, a) },
  };
}

/** The first rewrite that matches, applied; the path unchanged when none does. */
export function rewritePath(rewrites: readonly PathRewrite[], path: string): string {
  for (const r of rewrites) {
    const out = r.match(path);
    if (out !== undefined) return out;
  }
  return path;
}
