// A check constraint is written against the column's logical name, but while a migration
// is in flight it must hold on the temporary column. Replace the bare or quoted name,
// leaving string literals alone. (Anything subtler belongs in an `sql` operation.)
import { ident } from '../sql.js';

export function renameInExpression(expression: string, from: string, to: string): string {
  const parts = expression.split(/('(?:[^']|'')*')/);
  const bare = new RegExp(`(?<![\\w."])${escape(from)}(?![\\w"])`, 'g');
  const quoted = new RegExp(escape(ident(from)), 'g');
  return parts
    .map((part, i) => (i % 2 === 1 ? part : part.replace(quoted, ident(to)).replace(bare, ident(to))))
    .join('');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
