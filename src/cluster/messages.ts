// The messages between a cluster's primary and its workers, over node:cluster's IPC.
import type { ReloadOutcome } from '../admin/context.js';

export type ToWorker = { type: 'sundial:reload'; id: number; reason: string } | { type: 'sundial:shutdown' };

export type ToPrimary =
  | { type: 'sundial:listening'; index: number; proxy: string; admin: string }
  | { type: 'sundial:reloaded'; id: number; index: number; outcome: ReloadOutcome }
  // A worker serves a new config (after any reload: admin, SIGHUP or a file change); the
  // primary checks its own admin requests against the lead's token.
  | { type: 'sundial:config'; index: number; fingerprint: string; adminToken: string | undefined };

export function isMessage<T extends { type: string }>(m: unknown): m is T {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('sundial:');
}
