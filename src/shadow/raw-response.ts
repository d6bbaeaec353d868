// A response as undici hands it over: the status, the head as raw name/value buffers, and
// the body. The common case of a comparison, two identical answers, is decided on this form
// (reading only the few headers that matter), so most comparisons parse no head at all.
import { upstreamHeaderObject } from '../gateway/response-headers.js';
import type { CapturedResponse } from './flatten.js';
import type { CompareRules } from './types.js';

export interface RawResponse {
  status: number;
  headers: readonly Buffer[];
  body: Buffer;
}

/** Whether a raw header name is `lower` (a lower-case name), ignoring case, without a string. */
function nameIs(name: Buffer, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name[i];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A header's value as flatten.ts reads it (repeated headers joined with ", "), or undefined. */
export function rawHeaderText(raw: readonly Buffer[], lower: string): string | undefined {
  let text: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (!nameIs(raw[i], lower)) continue;
    const value = raw[i + 1].toString('latin1');
    text = text === undefined ? value : `${text}, ${value}`;
  }
  return text;
}

/** flatten.ts's sameResponse() over two raw responses: the same answer, as compared. */
export function sameRawResponse(a: RawResponse, b: RawResponse, rules: CompareRules): boolean {
  if (a.status !== b.status || !a.body.equals(b.body)) return false;
  if (rawHeaderText(a.headers, 'content-type') !== rawHeaderText(b.headers, 'content-type')) return false;
  if (rawHeaderText(a.headers, 'content-encoding') !== rawHeaderText(b.headers, 'content-encoding')) return false;
  for (const name of rules.headers) if (rawHeaderText(a.headers, name) !== rawHeaderText(b.headers, name)) return false;
  return true;
}

/** The parsed form the field comparison reads. */
export function capturedOf(r: RawResponse): CapturedResponse {
  return { status: r.status, headers: upstreamHeaderObject(r.headers as Buffer[]), body: r.body };
}
