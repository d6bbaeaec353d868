// Reads JavaScript and TypeScript migrations with the TypeScript compiler's parser, and turns
// the literal parts of calls (strings, template literals, objects, `new TableColumn({...})`)
// into plain values the tool readers can map to SQL.
import ts from 'typescript';

export type JsValue = string | number | boolean | null | undefined | JsValue[] | { [k: string]: JsValue } | JsRef;
/** Something that is not a literal: a name (`DataTypes.STRING`), a call or a `new`. */
export interface JsRef {
  ref: string;
  args?: JsValue[];
  isNew?: boolean;
}

export function isRef(v: JsValue): v is JsRef {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as JsRef).ref === 'string' &&
    Object.keys(v).every((k) => ['ref', 'args', 'isNew'].includes(k))
  );
}

export function parseJs(path: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?ts$/.test(path) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

export function lineOfNode(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** The dotted name of a callee: `queryRunner.query`, `knex.schema.alterTable`. */
export function nameOf(expr: ts.Expression): string {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return `${nameOf(expr.expression)}.${expr.name.text}`;
  if (ts.isCallExpression(expr)) return `${nameOf(expr.expression)}()`;
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr)) return nameOf(expr.expression);
  if (ts.isNonNullExpression(expr) || ts.isAsExpression(expr)) return nameOf(expr.expression);
  return '?';
}

/** A template literal's text, with `${...}` replaced by a neutral identifier so the SQL still parses. */
export function valueOf(node: ts.Expression | undefined): JsValue {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `sundial_expr${s.literal.text}`).join('');
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isAwaitExpression(node)) return valueOf(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => valueOf(e));
  if (ts.isObjectLiteralExpression(node)) {
    const out: { [k: string]: JsValue } = {};
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p)) out[propName(p.name)] = valueOf(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = { ref: p.name.text };
    }
    return out;
  }
  if (ts.isNewExpression(node)) return { ref: nameOf(node.expression), args: (node.arguments ?? []).map((a) => valueOf(a)), isNew: true };
  if (ts.isCallExpression(node)) return { ref: nameOf(node.expression), args: node.arguments.map((a) => valueOf(a)) };
  return { ref: nameOf(node) };
}

function propName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText();
}

/** The body of the `up` migration function, whatever way the file exports it. */
export function upFunctions(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n)) && n.name && ts.isIdentifier(n.name) && n.name.text === 'up' && n.body) out.push(n.body);
    else if (ts.isPropertyAssignment(n) && propName(n.name) === 'up') out.push(n.initializer);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'up' && n.initializer) out.push(n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && /(^|\.)up$/.test(nameOf(n.left as ts.Expression)))
      out.push(n.right);
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

export function calls(root: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/** `exports.config = { transaction: false }`, `export const config = {...}`, `transaction = false` class fields. */
export function findAssignment(sf: ts.SourceFile, name: string): JsValue {
  let found: JsValue;
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = valueOf(n.initializer);
    else if (ts.isPropertyDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = valueOf(n.initializer);
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      new RegExp(`(^|\\.)${name}$`).test(nameOf(n.left as ts.Expression))
    )
      found = valueOf(n.right);
    else if (
      ts.isPropertyAssignment(n) &&
      propName(n.name) === name &&
      ts.isObjectLiteralExpression(n.parent) &&
      ts.isBinaryExpression(n.parent.parent ?? n.parent)
    )
      found = valueOf(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export { ts };
