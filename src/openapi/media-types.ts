// Media types as the diff compares them: by essence (type/subtype, lower case, parameters
// dropped), with text/xml and application/xml taken as one, and "more specific" meaning a
// wildcard filled in or a +suffix type under its base (application/vnd.acme+json under
// application/json).
export function essence(mediaType: string): string {
  const e = mediaType.split(';')[0].trim().toLowerCase();
  return e === 'text/xml' ? 'application/xml' : e;
}

/** True when every body of type `specific` is also of type `general`, and they differ. */
export function specialises(general: string, specific: string): boolean {
  const g = essence(general);
  const s = essence(specific);
  if (g === s) return false;
  if (g === '*/*') return true;
  const [gt, gs] = g.split('/');
  const [st, ss] = s.split('/');
  if (gs === '*') return gt === st;
  const suffix = ss?.lastIndexOf('+') ?? -1;
  return gt === st && suffix !== -1 && ss.slice(suffix + 1) === gs;
}
