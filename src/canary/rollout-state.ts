// The rollout controller's state machine, pure: given where a rollout stands and an
// interval's verdict, what happens next.
import type { Verdict } from './analysis.js';

export type RolloutStatus = 'progressing' | 'paused' | 'promoted' | 'failed' | 'aborted' | 'idle' | 'manual';

export interface RolloutPosition {
  status: RolloutStatus;
  percent: number;
  /** Failed intervals in a row. */
  failedChecks: number;
}

export type RolloutAction = 'step' | 'promote' | 'hold' | 'rollback';

/** The first step above `percent`; 100 when none is. */
export function nextStep(steps: readonly number[], percent: number): number {
  for (const s of steps) if (s > percent) return s;
  return 100;
}

export function afterVerdict(
  position: RolloutPosition,
  verdict: Verdict,
  steps: readonly number[],
  threshold: number,
): { position: RolloutPosition; action: RolloutAction } {
  switch (verdict.result) {
    case 'inconclusive':
      return { position, action: 'hold' };
    case 'pass': {
      const percent = nextStep(steps, position.percent);
      return percent >= 100
        ? { position: { status: 'promoted', percent: 100, failedChecks: 0 }, action: 'promote' }
        : { position: { status: 'progressing', percent, failedChecks: 0 }, action: 'step' };
    }
    case 'fail': {
      const failedChecks = position.failedChecks + 1;
      return failedChecks >= threshold
        ? { position: { status: 'failed', percent: 0, failedChecks }, action: 'rollback' }
        : { position: { ...position, failedChecks }, action: 'hold' };
    }
  }
}

/** Where a rollout starts, from the flag as it stands when the gateway starts. */
export function initialPosition(flag: { enabled: boolean; rollout: number } | undefined, steps: readonly number[] | undefined): RolloutPosition {
  if (!steps) return { status: 'manual', percent: flag?.enabled ? flag.rollout : 0, failedChecks: 0 };
  if (!flag) return { status: 'progressing', percent: 0, failedChecks: 0 };
  if (!flag.enabled) return { status: 'idle', percent: 0, failedChecks: 0 };
  if (flag.rollout >= 100) return { status: 'promoted', percent: 100, failedChecks: 0 };
  return { status: 'progressing', percent: flag.rollout, failedChecks: 0 };
}
