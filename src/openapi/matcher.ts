// Method + request path -> the OpenAPI operation that serves it, compiled once at load into a
// segment trie per method, so a request costs one walk down the trie and never a scan of
// the document. Literal segments win over templated ones (/orders/summary before
// /orders/{id}), as OpenAPI requires.

export interface OperationMatch<T> {
  value: T;
  /** Path parameters by name, as they appear in the request (still percent-encoded). */
  params: Record<string, string>;
}

interface PatternChild<T> {
  /** A segment that mixes text and parameters, such as "{name}.json". */
  regex: RegExp;
  node: TrieNode<T>;
}

interface TrieNode<T> {
  literal: Map<string, TrieNode<T>>;
  patterns: PatternChild<T>[];
  param?: TrieNode<T>;
  /** The operation ending here, with its template's parameter names in order. */
  leaf?: { value: T; names: string[] };
}

const newNode = <T>(): TrieNode<T> => ({ literal: new Map(), patterns: [] });

function splitPath(path: string): string[] {
  const segments = path.split('/');
  // Leading "" from the first slash; a trailing slash is not significant.
  segments.shift();
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

const WHOLE_PARAM = /^\{([^{}]+)\}$/;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class OperationMatcher<T> {
  private readonly roots = new Map<string, TrieNode<T>>();

  /** Adds an operation; a later entry for the same method and template replaces the first. */
  add(method: string, template: string, value: T): void {
    let node: TrieNode<T> = this.roots.get(method) ?? newNode<T>();
    this.roots.set(method, node);
    // Templates that differ only in parameter names (/orders/{id}, /orders/{orderId}/items)
    // share trie nodes; each leaf keeps its own names, and values are captured by position.
    const names: string[] = [];
    for (const segment of splitPath(template)) {
      const whole = WHOLE_PARAM.exec(segment);
      if (whole) {
        names.push(whole[1]);
        node = node.param ??= newNode<T>();
      } else if (segment.includes('{')) {
        const source =
          '^' +
          segment
            .split(/(\{[^{}]+\})/)
            .map((part) => {
              const m = WHOLE_PARAM.exec(part);
              if (!m) return escapeRegex(part);
              names.push(m[1]);
              return '([^/]+?)';
            })
            .join('') +
          '$';
        let child: PatternChild<T> | undefined = node.patterns.find((p) => p.regex.source === source);
        if (!child) node.patterns.push((child = { regex: new RegExp(source), node: newNode<T>() }));
        node = child.node;
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode<T>()));
        node = next;
      }
    }
    node.leaf = { value, names };
  }

  /** The operation for a request, HEAD falling back to GET as HTTP does. */
  match(method: string, path: string): OperationMatch<T> | undefined {
    const segments = splitPath(path);
    const root = this.roots.get(method);
    const found = root ? walk(root, segments, 0, []) : undefined;
    if (found || method !== 'HEAD') return found;
    const get = this.roots.get('GET');
    return get ? walk(get, segments, 0, []) : undefined;
  }
}

function walk<T>(node: TrieNode<T>, segments: string[], i: number, captures: string[]): OperationMatch<T> | undefined {
  if (i === segments.length) {
    if (!node.leaf) return undefined;
    const params: Record<string, string> = {};
    node.leaf.names.forEach((name, k) => {
      params[name] = captures[k];
    });
    return { value: node.leaf.value, params };
  }
  const segment = segments[i];
  const literal = node.literal.get(segment);
  if (literal) {
    const found = walk(literal, segments, i + 1, captures);
    if (found) return found;
  }
  for (const p of node.patterns) {
    const m = p.regex.exec(segment);
    if (!m) continue;
    const found = walk(p.node, segments, i + 1, [...captures, ...m.slice(1)]);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    return walk(node.param, segments, i + 1, [...captures, segment]);
  }
  return undefined;
}
