// Header values for a version's lifecycle, formatted once when config loads.
//   Deprecation (RFC 9745): a structured-field date, "@" followed by Unix seconds.
//   Sunset (RFC 8594): an IMF-fixdate, the HTTP-date format of RFC 9110.
//   Link (RFC 8288) relations: deprecation (RFC 9745), sunset (RFC 8594),
//   successor-version (RFC 5829).

export function deprecationHeader(epochMs: number): string {
  return `@${Math.floor(epochMs / 1000)}`;
}

export function sunsetHeader(epochMs: number): string {
  // toUTCString() gives the IMF-fixdate form: "Wed, 30 Jun 2027 23:59:59 GMT".
  return new Date(epochMs).toUTCString();
}

export function linkValue(target: string, rel: string): string {
  return `<${target}>; rel="${rel}"`;
}

export interface LifecycleHeaders {
  deprecation?: string;
  sunset?: string;
  /** The version's fixed Link values (deprecation docs, sunset policy), joined. */
  link?: string;
}

export function lifecycleHeaders(v: { deprecatedAt?: number; sunsetAt?: number; docs?: string; policy?: string }): LifecycleHeaders {
  const links: string[] = [];
  if (v.docs && v.deprecatedAt !== undefined) links.push(linkValue(v.docs, 'deprecation'));
  if (v.policy && v.sunsetAt !== undefined) links.push(linkValue(v.policy, 'sunset'));
  return {
    deprecation: v.deprecatedAt === undefined ? undefined : deprecationHeader(v.deprecatedAt),
    sunset: v.sunsetAt === undefined ? undefined : sunsetHeader(v.sunsetAt),
    link: links.length ? links.join(', ') : undefined,
  };
}
