// Value conversion beyond a table: JSONata expressions, parsed once at load (a syntax error
// is a config problem), evaluated over the field's value as `$`. JSONata is a query
// language with no access to the process, files or network; nothing is ever eval'd.
import jsonata from 'jsonata';

export interface CompiledExpression {
  text: string;
  evaluate(value: unknown): Promise<unknown>;
}

export function compileExpression(text: string): CompiledExpression | string {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(text);
  } catch (err) {
    const e = err as { message?: string; position?: number };
    return `invalid JSONata expression${e.position !== undefined ? ` at character ${e.position}` : ''}: ${e.message ?? String(err)}`;
  }
  return { text, evaluate: (value) => expr.evaluate(value) };
}

/** JSONata builds objects with a null prototype and marks sequences; make plain JSON again. */
export function plainJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plainJson(v);
  return out;
}
