// One line per YAML syntax error, with one position: "line 3, column 7: <what>". The yaml
// library reports each error with its position twice (in the text and in linePos) and
// usually several errors for one mistake, the later ones consequences of the first, so
// only the first is shown. An unquoted `${VAR}` inside a flow collection (`{ token: ${T} }`)
// is the commonest cause of a burst of errors, so it gets its own message.
import { parseDocument, type Document } from 'yaml';

export interface YamlSyntaxError {
  line: number;
  col: number;
  message: string;
}

/** `${NAME` after `{`, `[`, `,` or `: ` on a line that opened a flow collection, unquoted. */
function unquotedVariableInFlow(text: string): YamlSyntaxError | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s#.*$/, '');
    if (!/[{[]/.test(line)) continue;
    const match = /([{[,]|:)\s*(\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\})/.exec(line);
    if (!match) continue;
    const before = line.slice(0, match.index);
    if ((before.match(/["']/g)?.length ?? 0) % 2 === 1) continue; // inside a quoted string
    if (!/[{[]/.test(before + match[1])) continue;
    const col = match.index + match[0].length - match[2].length + 1;
    return { line: i + 1, col, message: `${match[2]} inside a flow collection ({ ... } or [ ... ]) must be quoted: write "${match[2]}"` };
  }
  return undefined;
}

/** The first syntax error of a parsed document, as one line; undefined when there is none. */
export function firstSyntaxError(doc: Document, text: string): YamlSyntaxError | undefined {
  if (doc.errors.length === 0) return undefined;
  const variable = unquotedVariableInFlow(text);
  if (variable) return variable;
  const e = doc.errors[0];
  const at = e.linePos?.[0] ?? { line: 1, col: 1 };
  const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
  return { line: at.line, col: at.col, message: `syntax error: ${what}` };
}

export function formatSyntaxError(e: YamlSyntaxError): string {
  return `line ${e.line}, column ${e.col}: ${e.message}`;
}

/** Parses YAML text to a plain value, or returns its first syntax error as one line. */
export function parseYamlText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = firstSyntaxError(doc, text);
  if (error) return { ok: false, error: formatSyntaxError(error) };
  return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
}
