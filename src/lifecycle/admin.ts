// GET /admin/versions: every version's lifecycle for the admin page's timeline: the
// discovery document's entries with all brownout windows (past ones too), the deprecated
// operations, and the instant the states were computed at.
import type { CompiledConfig } from '../config/compiled.js';
import { versionsReport } from '../cli/versions.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function versionsTimeline(cfg: CompiledConfig, now: number) {
  const report = versionsReport(cfg, now);
  return {
    now: iso(now),
    defaultVersion: report.defaultVersion,
    versions: report.versions.map((v) => ({
      ...v,
      brownouts: (cfg.versions.get(v.id)?.brownouts ?? []).map((w) => ({
        start: iso(w.start),
        end: iso(w.end),
        status: w.status,
        active: now >= w.start && now < w.end,
      })),
    })),
  };
}
