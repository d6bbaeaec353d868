// Compares the fields of two responses. In `exact` mode every field must be equal and
// present on both sides. In `superset` mode the candidate may add fields (a new version
// that keeps an old version's contract) but may not drop or change any of the primary's.
import type { Fields } from './flatten.js';
import type { CompareMode } from './types.js';

export interface FieldDifference {
  field: string;
  /** The primary's value; absent when the field is only on the other side. */
  primary?: string;
  /** The other side's value; absent when the field is missing there. */
  other?: string;
}

export function compareFields(primary: Fields, other: Fields, mode: CompareMode): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const [field, value] of primary) {
    const theirs = other.get(field);
    if (theirs === value) continue;
    if (theirs === undefined && mode === 'superset' && isEmptyContainer(value) && hasChildren(other, field)) {
      // [] or {} became a container with content: in superset mode, that is an addition.
      continue;
    }
    differences.push(theirs === undefined ? { field, primary: value } : { field, primary: value, other: theirs });
  }
  if (mode === 'exact') {
    for (const [field, theirs] of other) {
      if (!primary.has(field)) differences.push({ field, other: theirs });
    }
  }
  return differences;
}

function isEmptyContainer(value: string): boolean {
  return value === '[]' || value === '{}';
}

function hasChildren(fields: Fields, field: string): boolean {
  const prefix = `${field}.`;
  for (const key of fields.keys()) if (key.startsWith(prefix)) return true;
  return false;
}
