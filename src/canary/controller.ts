// The rollout controller of one canary: every `interval` it reads the interval's figures,
// applies the gates, and moves the flag one step up, holds, or rolls back to 0. Operators
// can pause, resume, promote, abort or set a percentage at any time.
import { EventEmitter } from 'node:events';
import type { CompiledCanary } from '../config/compiled.js';
import { analyse, type Figures, type Verdict } from './analysis.js';
import type { FiguresSource } from './figures.js';
import type { FlagSource, FlagState } from './flags/flag-source.js';
import { afterVerdict, initialPosition, type RolloutPosition, type RolloutStatus } from './rollout-state.js';

export interface RolloutEvent {
  at: string;
  action: 'start' | 'step' | 'promote' | 'hold' | 'rollback' | 'pause' | 'resume' | 'abort' | 'set' | 'error';
  percent: number;
  status: RolloutStatus;
  verdict?: Verdict;
  figures?: Figures;
  reason?: string;
}

export type OperatorAction = 'pause' | 'resume' | 'promote' | 'abort' | 'set';

export interface ControllerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const HISTORY_LIMIT = 100;

export class OperatorError extends Error {}

export class RolloutController extends EventEmitter {
  private position: RolloutPosition;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  readonly history: RolloutEvent[] = [];

  constructor(
    private canary: CompiledCanary,
    private flags: FlagSource,
    private figuresSource: FiguresSource,
    private readonly log: ControllerLog,
    private readonly clock: () => number = Date.now,
  ) {
    super();
    this.position = initialPosition(flags.state(canary.flag), canary.rollout?.steps);
  }

  get key(): string {
    return this.canary.key;
  }

  /** Starts the interval timer, and sets the first step if the rollout is just beginning. */
  async start(): Promise<void> {
    const r = this.canary.rollout;
    if (r && this.position.status === 'progressing' && this.position.percent < r.steps[0]) {
      await this.serial(() => this.move({ enabled: true, rollout: r.steps[0] }, 'start', { ...this.position, percent: r.steps[0] }));
    } else {
      this.record({ action: 'start', reason: `resuming from the flag: ${this.position.percent}%` });
    }
    // Read once now, so the first interval's figures start from here.
    await this.figuresSource.figures(this.canary, 0).catch(() => undefined);
    if (r) {
      this.timer = setInterval(() => void this.serial(() => this.tick()), r.interval);
      this.timer.unref();
    }
  }

  /** Takes a changed config (same canary key) without losing the rollout's position. */
  update(canary: CompiledCanary, flags: FlagSource, figures: FiguresSource): void {
    const intervalChanged = canary.rollout?.interval !== this.canary.rollout?.interval;
    this.canary = canary;
    this.flags = flags;
    this.figuresSource = figures;
    if (intervalChanged) {
      clearInterval(this.timer);
      this.timer = undefined;
      if (canary.rollout) {
        this.timer = setInterval(() => void this.serial(() => this.tick()), canary.rollout.interval);
        this.timer.unref();
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  status() {
    return {
      canary: this.canary.key,
      route: this.canary.route,
      version: this.canary.version,
      flag: this.canary.flag,
      upstream: this.canary.canary.base,
      flagSource: this.flags.kind,
      status: this.position.status,
      percent: this.position.percent,
      failedChecks: this.position.failedChecks,
      steps: this.canary.rollout?.steps ?? null,
      interval: this.canary.rollout?.interval ?? null,
      history: this.history,
    };
  }

  /** One analysis interval. Exposed so tests and operators can run one without waiting. */
  async tick(): Promise<void> {
    const r = this.canary.rollout;
    if (!r) return;
    let figures: Figures;
    try {
      figures = await this.figuresSource.figures(this.canary, r.interval);
    } catch (err) {
      this.record({ action: 'error', reason: `cannot read figures: ${(err as Error).message}` });
      return;
    }
    if (this.position.status !== 'progressing') return;
    const verdict = analyse(figures, r);
    const { position, action } = afterVerdict(this.position, verdict, r.steps, r.threshold);
    if (action === 'hold') {
      this.position = position;
      this.record({ action, verdict, figures });
      return;
    }
    const flag: FlagState = action === 'rollback' ? { enabled: false, rollout: 0 } : { enabled: true, rollout: position.percent };
    await this.move(flag, action, position, { verdict, figures });
  }

  act(action: OperatorAction, percent?: number): Promise<void> {
    return this.serial(async () => {
      const p = this.position;
      const steps = this.canary.rollout?.steps;
      switch (action) {
        case 'pause':
          if (!steps) throw new OperatorError('this canary has no rollout to pause; use set, promote or abort');
          if (p.status !== 'progressing') throw new OperatorError(`the rollout is ${p.status}, not progressing`);
          this.position = { ...p, status: 'paused' };
          this.record({ action });
          return;
        case 'resume': {
          if (!steps) throw new OperatorError('this canary has no rollout to resume; use set, promote or abort');
          if (p.status === 'progressing' || p.status === 'promoted') throw new OperatorError(`the rollout is already ${p.status}`);
          const percent = p.percent > 0 ? p.percent : steps[0];
          await this.move({ enabled: true, rollout: percent }, action, { status: 'progressing', percent, failedChecks: 0 });
          return;
        }
        case 'promote':
          await this.move({ enabled: true, rollout: 100 }, action, { status: steps ? 'promoted' : 'manual', percent: 100, failedChecks: 0 });
          return;
        case 'abort':
          await this.move({ enabled: false, rollout: 0 }, action, { status: steps ? 'aborted' : 'manual', percent: 0, failedChecks: 0 });
          return;
        case 'set': {
          if (percent === undefined || !Number.isFinite(percent) || percent < 0 || percent > 100) throw new OperatorError('set needs a percent from 0 to 100');
          const status: RolloutStatus = !steps ? 'manual' : percent >= 100 ? 'promoted' : p.status === 'promoted' ? 'paused' : p.status;
          await this.move({ enabled: percent > 0 || status === 'progressing', rollout: percent }, action, { status, percent, failedChecks: 0 });
          return;
        }
      }
    });
  }

  private async move(flag: FlagState, action: RolloutEvent['action'], position: RolloutPosition, extra: Partial<RolloutEvent> = {}): Promise<void> {
    try {
      await this.flags.write(this.canary.flag, flag);
    } catch (err) {
      this.record({ action: 'error', reason: `cannot change flag ${this.canary.flag} to ${flag.rollout}%: ${(err as Error).message}`, ...extra });
      if (action !== 'step' && action !== 'promote' && action !== 'rollback' && action !== 'start') throw err;
      return;
    }
    this.position = position;
    this.record({ action, ...extra });
  }

  private record(event: Omit<RolloutEvent, 'at' | 'percent' | 'status'>): void {
    const entry: RolloutEvent = { at: new Date(this.clock()).toISOString(), percent: this.position.percent, status: this.position.status, ...event };
    this.history.push(entry);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    const fields = { canary: this.canary.key, flag: this.canary.flag, ...entry };
    if (event.action === 'error') this.log.error(fields, 'canary rollout error');
    else this.log.info(fields, `canary ${event.action}`);
    this.emit('event', entry);
  }

  // Ticks and operator actions never interleave.
  private serial(run: () => Promise<void>): Promise<void> {
    const next = this.busy.then(run, run);
    this.busy = next.catch(() => {});
    return next;
  }
}
