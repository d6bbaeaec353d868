// Field paths and the `ignore` patterns over them. A field path names one value of a
// response: `status`, `headers.<lower-case name>` or `body.a.b.0.c` (array elements by
// index). A pattern is a path whose segments may be `*` (any one segment); it ignores the
// field it names and everything below it. Patterns are compiled once, at config load, into
// a trie walked alongside the response, so the request path never parses a pattern.

export interface MatchNode {
  /** A pattern ends here: this field and all below it are ignored. */
  readonly end: boolean;
  readonly children: ReadonlyMap<string, MatchNode>;
  /** The node for a `*` segment. */
  readonly any?: MatchNode;
}

interface MutableNode {
  end: boolean;
  children: Map<string, MutableNode>;
  any?: MutableNode;
}

/** The states of the walk: every trie node the path so far can be at. */
export type MatchState = readonly MatchNode[];

export const NO_MATCH: MatchState = [];

export function splitPath(path: string): string[] {
  const segments = path.split('.');
  // Header names are case-insensitive; Node presents them lower-cased.
  if (segments[0] === 'headers' && segments.length > 1) segments[1] = segments[1].toLowerCase();
  return segments;
}

export function compileIgnore(patterns: readonly string[]): MatchState {
  if (patterns.length === 0) return NO_MATCH;
  const root: MutableNode = { end: false, children: new Map() };
  for (const pattern of patterns) {
    let node = root;
    for (const segment of splitPath(pattern)) {
      let next = segment === '*' ? node.any : node.children.get(segment);
      if (!next) {
        next = { end: false, children: new Map() };
        if (segment === '*') node.any = next;
        else node.children.set(segment, next);
      }
      node = next;
    }
    node.end = true;
  }
  return [root];
}

/** The states after one more segment. */
export function step(state: MatchState, segment: string): MatchState {
  if (state.length === 0) return NO_MATCH;
  const next: MatchNode[] = [];
  for (const node of state) {
    const exact = node.children.get(segment);
    if (exact) next.push(exact);
    if (node.any) next.push(node.any);
  }
  return next;
}

export function isIgnored(state: MatchState): boolean {
  for (const node of state) if (node.end) return true;
  return false;
}

/** Whether a whole path is ignored (for callers outside a walk, and tests). */
export function ignores(root: MatchState, path: string): boolean {
  let state = root;
  for (const segment of splitPath(path)) {
    state = step(state, segment);
    if (isIgnored(state)) return true;
    if (state.length === 0) return false;
  }
  return false;
}
