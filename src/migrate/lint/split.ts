// Splits SQL text into statements at top-level semicolons, the way psql does: quotes,
// quoted identifiers, E'' strings, dollar-quoted bodies, and -- and nested /* */ comments
// are skipped. Used only when the whole text does not parse, so that one bad statement
// does not hide the others. Works on latin1 text so offsets are byte offsets.
export interface Piece {
  start: number;
  end: number;
}

export function splitStatements(text: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(text[i - 1]) && !/\w/.test(text[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && text[i] === '\\') {
          i += 2;
          continue;
        }
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === '$' && !/\w/.test(text[i - 1] ?? '')) {
      const tag = /^\$[A-Za-z_\x80-\xff][\w\x80-\xff]*\$|^\$\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
      } else i++;
    } else if (c === ';') {
      pieces.push({ start, end: i + 1 });
      i++;
      start = i;
    } else i++;
  }
  if (text.slice(start).trim() !== '' && !/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*$/.test(text.slice(start))) pieces.push({ start, end: n });
  return pieces;
}
