// Reads Python migrations (Django, Alembic) with the Lezer Python grammar, a real parser, and
// turns calls and literals into plain values with their line numbers.
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { readerFinding, type Finding } from '../finding.js';

export type PyValue = string | number | boolean | null | PyValue[] | PyCall | PyRef | { [k: string]: PyValue };
export interface PyCall {
  call: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
  line: number;
  node: SyntaxNode;
}
export interface PyRef {
  ref: string;
}

export function isCall(v: PyValue | undefined): v is PyCall {
  return typeof v === 'object' && v !== null && 'call' in v;
}
export function isRef(v: PyValue | undefined): v is PyRef {
  return typeof v === 'object' && v !== null && 'ref' in v;
}

export class PyFile {
  readonly tree;
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    this.tree = parser.parse(text);
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  line(pos: number): number {
    let lo = 0,
      hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  /**
   * The file's syntax error as a finding (none when it parses): `problem` says what the
   * migration tool does with a file it cannot import.
   */
  syntaxFindings(path: string, problem: string): Finding[] {
    const line = this.errorLine();
    if (line === undefined) return [];
    return [readerFinding(path, line, 'syntax-error', 'Python syntax error', problem, 'fix the Python syntax')];
  }

  /** The first syntax error, as a line, if the file does not parse. */
  private errorLine(): number | undefined {
    let at: number | undefined;
    this.tree.iterate({
      enter: (n) => {
        if (at === undefined && n.type.isError) at = n.from;
      },
    });
    return at === undefined ? undefined : this.line(at);
  }

  value(n: SyntaxNode | null): PyValue {
    if (!n) return null;
    switch (n.name) {
      case 'String':
        return decodeString(this.src(n));
      case 'ContinuedString':
        return children(n)
          .filter((c) => c.name === 'String')
          .map((c) => decodeString(this.src(c)))
          .join('');
      case 'FormatString':
        return decodeString(this.src(n).replace(/\{[^}]*\}/g, 'sundial_expr'));
      case 'Number':
        return Number(this.src(n).replace(/_/g, ''));
      case 'Boolean':
        return this.src(n) === 'True';
      case 'None':
        return null;
      case 'UnaryExpression': {
        const v = this.value(n.lastChild);
        return typeof v === 'number' && this.src(n).trim().startsWith('-') ? -v : v;
      }
      case 'ParenthesizedExpression':
        return this.value(children(n).find((c) => !['(', ')'].includes(c.name)) ?? null);
      case 'ArrayExpression':
      case 'TupleExpression':
        return children(n)
          .filter((c) => !['[', ']', '(', ')', ','].includes(c.name))
          .map((c) => this.value(c));
      case 'DictionaryExpression': {
        const items = children(n).filter((c) => !['{', '}', ',', ':'].includes(c.name));
        const out: { [k: string]: PyValue } = {};
        for (let i = 0; i + 1 < items.length; i += 2) out[String(this.value(items[i]))] = this.value(items[i + 1]);
        return out;
      }
      case 'CallExpression':
        return this.call(n);
      default:
        return { ref: this.src(n) };
    }
  }

  call(n: SyntaxNode): PyCall {
    const callee = n.firstChild!;
    const argList = n.getChild('ArgList');
    const args: PyValue[] = [];
    const kwargs: Record<string, PyValue> = {};
    const items = argList ? children(argList).filter((c) => !['(', ')', ','].includes(c.name)) : [];
    for (let i = 0; i < items.length; i++) {
      if (items[i].name === 'VariableName' && items[i + 1]?.name === 'AssignOp') {
        kwargs[this.src(items[i])] = this.value(items[i + 2]);
        i += 2;
      } else args.push(this.value(items[i]));
    }
    return { call: this.src(callee).replace(/\s+/g, ''), args, kwargs, line: this.line(n.from), node: n };
  }

  /** Every call in a subtree, outermost first, in source order. */
  calls(root: SyntaxNode = this.tree.topNode): PyCall[] {
    const out: PyCall[] = [];
    const cursor = root.cursor();
    const visit = (node: SyntaxNode) => {
      if (node.name === 'CallExpression') out.push(this.call(node));
      for (const c of children(node)) visit(c);
    };
    void cursor;
    visit(root);
    return out;
  }

  /** Top-level and class-level `name = value` assignments. */
  assignments(root: SyntaxNode = this.tree.topNode): Map<string, SyntaxNode> {
    const out = new Map<string, SyntaxNode>();
    const body = root.name === 'ClassDefinition' ? root.getChild('Body') : root;
    for (const c of body ? children(body) : []) {
      if (c.name === 'AssignStatement' && c.firstChild?.name === 'VariableName') out.set(this.src(c.firstChild), c.lastChild!);
    }
    return out;
  }

  functionBody(name: string): SyntaxNode | undefined {
    for (const c of children(this.tree.topNode)) {
      if (c.name === 'FunctionDefinition' && this.src(c.getChild('VariableName')!) === name) return c.getChild('Body') ?? undefined;
      if (c.name === 'DecoratedStatement') {
        const f = c.getChild('FunctionDefinition');
        if (f && this.src(f.getChild('VariableName')!) === name) return f.getChild('Body') ?? undefined;
      }
    }
    return undefined;
  }

  classes(): SyntaxNode[] {
    return children(this.tree.topNode).filter((c) => c.name === 'ClassDefinition');
  }
}

export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function decodeString(raw: string): string {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!m) return raw;
  if (/r/i.test(m[1])) return m[3];
  return m[3].replace(/\\(\n|n|t|'|"|\\)/g, (_, c) => (({ '\n': '', n: '\n', t: '\t', "'": "'", '"': '"', '\\': '\\' }) as Record<string, string>)[c]);
}
