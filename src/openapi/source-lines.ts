// Where a JSON pointer of the diff lands in the new document's text, as a line number, for
// workflow annotations. YAML and JSON both parse into the yaml package's nodes with source
// ranges. The diff's pointers go through $refs (it compares dereferenced documents), so a
// local $ref met on the way is followed to its target; a pointer that ends in a place the
// text does not have lands on the deepest place it does.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { pointerSegments } from './document.js';

export type LineOf = (pointer: string) => number;

export function lineIndex(text: string): LineOf {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
  const root = doc.contents as Node | null;
  const lineAt = (node: Node | null | undefined, fallback: number) => (node?.range ? counter.linePos(node.range[0]).line : fallback);

  const child = (node: Node, key: string): { key?: Node; value?: Node } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node;
        if (isScalar(k) && String(k.value) === key) return { key: k, value: pair.value as Node };
      }
    } else if (isSeq(node) && /^\d+$/.test(key)) {
      const v = node.items[Number(key)] as Node | undefined;
      return v ? { value: v } : undefined;
    }
    return undefined;
  };
  const walk = (segments: string[], depth = 0): { node?: Node; line: number } => {
    let node: Node | null | undefined = root;
    let line = lineAt(root, 1);
    for (let i = 0; i < segments.length && node; i++) {
      let next = child(node, segments[i]);
      if (!next) {
        const ref = child(node, '$ref')?.value;
        if (ref && isScalar(ref) && typeof ref.value === 'string' && ref.value.startsWith('#') && depth < 20) {
          const target = walk(pointerSegments(ref.value), depth + 1);
          if (target.node) {
            node = target.node;
            next = child(node, segments[i]);
          }
        }
      }
      if (!next) break;
      line = lineAt(next.key ?? next.value, line);
      node = next.value;
    }
    return { node: node ?? undefined, line };
  };
  return (pointer) => walk(pointerSegments(pointer)).line;
}
