// What a removal or a sunset change means, given the element's lifecycle and the injected
// clock: pure functions over (old element, new element, options).
import { parseInstant } from '../config/units.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type Stability = 'draft' | 'alpha' | 'beta' | 'stable';
export const STABILITY_RANK: Record<Stability, number> = { draft: 0, alpha: 1, beta: 2, stable: 3 };

export interface LifecycleOptions {
  /** The clock: removals and sunsets are judged against this instant (ms). */
  now: number;
  /** Minimum notice between now and a new x-sunset, by stability level; 0 or absent: none. */
  deprecationDays?: { beta?: number; stable?: number };
  /**
   * The old version's own lifecycle (from versions/<id>.yaml, with --dir): a deprecated
   * version deprecates every operation in it, and its sunset is theirs unless they set one.
   */
  version?: { deprecated: boolean; sunsetAt?: number };
}

export type SunsetValue = { kind: 'none' } | { kind: 'date'; at: number } | { kind: 'unreadable'; raw: unknown };

/** Reads x-sunset: an ISO 8601 instant with a zone, or a date (midnight UTC). */
export function readSunset(raw: unknown): SunsetValue {
  if (raw === undefined || raw === null) return { kind: 'none' };
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? { kind: 'unreadable', raw } : { kind: 'date', at: raw.getTime() };
  if (typeof raw !== 'string') return { kind: 'unreadable', raw };
  const text = raw.trim();
  const at = DATE_ONLY.test(text) ? Date.parse(`${text}T00:00:00Z`) : parseInstant(text);
  return at === undefined || Number.isNaN(at) ? { kind: 'unreadable', raw } : { kind: 'date', at };
}

export interface Lifecycle {
  deprecated: boolean;
  sunset: SunsetValue;
}

export function lifecycleOf(el: Record<string, unknown> | undefined): Lifecycle {
  return { deprecated: el?.deprecated === true, sunset: readSunset(el?.['x-sunset']) };
}

export type RemovalVerdict = 'not-deprecated' | 'before-sunset' | 'after-sunset' | 'without-sunset';

/**
 * A deprecated element may go once its sunset has passed; before that, removing it breaks
 * the promise made to its clients. A deprecation with no date set no end of service: with
 * no minimum notice asked (--deprecation-days 0, the default) its removal is allowed, as
 * oasdiff allows it, but warned of ('without-sunset'), since nothing says its clients had
 * time to move; with a minimum notice asked, no date can prove the notice was given, so it
 * counts as removed before its sunset.
 */
export function removalVerdict(el: Lifecycle, opts: LifecycleOptions, withVersion: boolean, stability?: Stability): RemovalVerdict {
  const deprecated = el.deprecated || (withVersion && opts.version?.deprecated === true);
  if (!deprecated) return 'not-deprecated';
  const sunset = el.sunset.kind === 'date' ? el.sunset.at : withVersion ? opts.version?.sunsetAt : undefined;
  if (sunset !== undefined) return sunset <= opts.now ? 'after-sunset' : 'before-sunset';
  // An unreadable x-sunset was flagged when it was written (sunset-unreadable); it proves no date.
  if (el.sunset.kind === 'unreadable') return 'before-sunset';
  return noticeDays(stability, opts) > 0 ? 'before-sunset' : 'without-sunset';
}

/**
 * The removal of a parameter or a property: its own lifecycle decides, except that once the
 * old version's own sunset (versions/<id>.yaml, with --dir) has passed, everything in the
 * version has had its notice and may go. The version's dates only ever make such a removal
 * safe: a version still before its sunset leaves each element's usual level.
 */
export function memberRemovalVerdict(el: Lifecycle, opts: LifecycleOptions, stability?: Stability): RemovalVerdict {
  const own = removalVerdict(el, opts, false, stability);
  const version = opts.version;
  if (own !== 'after-sunset' && version?.deprecated && version.sunsetAt !== undefined && version.sunsetAt <= opts.now) return 'after-sunset';
  return own;
}

export type SunsetChange =
  | { id: 'sunset-deleted'; old: number }
  | { id: 'sunset-moved-earlier'; old: number; new: number }
  | { id: 'sunset-unreadable'; raw: unknown }
  | { id: 'sunset-too-soon'; days: number; new?: number };

export function stabilityOf(raw: unknown): Stability | undefined {
  return typeof raw === 'string' && raw in STABILITY_RANK ? (raw as Stability) : undefined;
}

/** The minimum notice for an element at this stability level, in days. */
export function noticeDays(stability: Stability | undefined, opts: LifecycleOptions): number {
  if (stability === 'draft' || stability === 'alpha') return 0;
  return (stability === 'beta' ? opts.deprecationDays?.beta : opts.deprecationDays?.stable) ?? 0;
}

/** Sunset changes of an element present in both documents. */
export function sunsetChanges(before: Lifecycle, after: Lifecycle, stability: Stability | undefined, opts: LifecycleOptions): SunsetChange[] {
  if (!after.deprecated) return [];
  const out: SunsetChange[] = [];
  if (after.sunset.kind === 'unreadable') {
    if (before.sunset.kind !== 'unreadable' || String(before.sunset.raw) !== String(after.sunset.raw))
      out.push({ id: 'sunset-unreadable', raw: after.sunset.raw });
  } else if (before.deprecated && before.sunset.kind === 'date') {
    if (after.sunset.kind === 'none') out.push({ id: 'sunset-deleted', old: before.sunset.at });
    else if (after.sunset.at < before.sunset.at) out.push({ id: 'sunset-moved-earlier', old: before.sunset.at, new: after.sunset.at });
  }
  const changed =
    !before.deprecated ||
    before.sunset.kind !== after.sunset.kind ||
    (before.sunset.kind === 'date' && after.sunset.kind === 'date' && before.sunset.at !== after.sunset.at);
  const days = noticeDays(stability, opts);
  if (changed && days > 0 && after.sunset.kind !== 'unreadable') {
    const at = after.sunset.kind === 'date' ? after.sunset.at : undefined;
    if (at === undefined || at - opts.now < days * DAY_MS) out.push({ id: 'sunset-too-soon', days, new: at });
  }
  return out;
}
