// Parsers for the value formats the config contract promises: durations ("250ms", "2s",
// "1m"), byte sizes ("1mb") and instants (ISO 8601 with an explicit zone).

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds for a duration string, or undefined when it is not one. Config files must
 * give a unit; command-line flags (`bareMs`) also take a bare number of milliseconds, as
 * PostgreSQL's own lock_timeout does.
 */
export function parseDuration(text: string, options: { bareMs?: boolean } = {}): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || (!m[2] && !options.bareMs)) return undefined;
  return Math.round(Number(m[1]) * DURATION_MS[m[2] ?? 'ms']);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;
const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes for a size such as "512kb" or "10mb" (binary units), or undefined. */
export function parseByteSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * SIZE_BYTES[(m[2] ?? 'b').toLowerCase()]);
}

// A zone is required: an instant without one means different things on different hosts,
// and a sunset date must not move with the machine's time zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch milliseconds for an ISO 8601 instant with a zone, or undefined. */
export function parseInstant(text: string): number | undefined {
  if (!INSTANT.test(text.trim())) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
