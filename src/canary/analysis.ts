// The canary gates, as a pure function over one interval's figures. Flagger's two checks,
// compared against stable rather than only against fixed limits:
//   error rate: canary 5xx share <= maxErrorRate, and no worse than stable's by more than it
//   latency:    canary p99 <= maxP99, and <= maxP99Ratio x stable's p99
import type { RolloutFile } from '../config/schema.js';

export interface ArmFigures {
  requests: number;
  errors: number;
  /** p99 latency in seconds; undefined without requests. */
  p99: number | undefined;
}

export interface Figures {
  canary: ArmFigures;
  stable: ArmFigures;
}

export interface Verdict {
  result: 'pass' | 'fail' | 'inconclusive';
  reasons: string[];
}

type Gates = Pick<RolloutFile, 'minRequests' | 'maxErrorRate' | 'maxP99' | 'maxP99Ratio'>;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)}ms`;

export function errorRate(f: ArmFigures): number {
  return f.requests === 0 ? 0 : f.errors / f.requests;
}

export function analyse(f: Figures, gates: Gates): Verdict {
  if (f.canary.requests < gates.minRequests || f.canary.requests === 0) {
    return { result: 'inconclusive', reasons: [`canary had ${f.canary.requests} requests, fewer than minRequests ${gates.minRequests}`] };
  }
  const reasons: string[] = [];
  const canaryErrors = errorRate(f.canary);
  const stableErrors = errorRate(f.stable);
  if (canaryErrors > gates.maxErrorRate) {
    reasons.push(`canary 5xx rate ${pct(canaryErrors)} is over maxErrorRate ${pct(gates.maxErrorRate)}`);
  } else if (f.stable.requests > 0 && canaryErrors - stableErrors > gates.maxErrorRate) {
    reasons.push(`canary 5xx rate ${pct(canaryErrors)} is worse than stable's ${pct(stableErrors)} by more than ${pct(gates.maxErrorRate)}`);
  }
  const p99 = f.canary.p99;
  if (p99 !== undefined) {
    if (p99 * 1000 > gates.maxP99) reasons.push(`canary p99 ${ms(p99)} is over maxP99 ${gates.maxP99}ms`);
    const stableP99 = f.stable.p99;
    if (stableP99 !== undefined && stableP99 > 0 && p99 > gates.maxP99Ratio * stableP99) {
      reasons.push(`canary p99 ${ms(p99)} is over ${gates.maxP99Ratio} x stable's ${ms(stableP99)}`);
    }
  }
  return reasons.length ? { result: 'fail', reasons } : { result: 'pass', reasons: ['all gates passed'] };
}
