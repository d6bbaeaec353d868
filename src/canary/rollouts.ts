// Every canary's rollout controller, kept in step with the config across reloads: a
// controller survives a reload that keeps its canary, so a rollout is not restarted.
import type { CompiledConfig } from '../config/compiled.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { RolloutController, type ControllerLog } from './controller.js';
import { OwnMetricsFigures, PrometheusFigures, type FiguresSource } from './figures.js';
import type { FlagSource } from './flags/flag-source.js';

export class Rollouts {
  private readonly controllers = new Map<string, RolloutController>();
  private readonly own: OwnMetricsFigures;

  constructor(
    metrics: GatewayMetrics,
    private readonly log: ControllerLog,
    private readonly clock: () => number = Date.now,
  ) {
    this.own = new OwnMetricsFigures(metrics);
  }

  private figuresFor(url: string | undefined): FiguresSource {
    return url ? new PrometheusFigures(url) : this.own;
  }

  async sync(cfg: CompiledConfig, flags: FlagSource | undefined): Promise<void> {
    const keep = new Set<string>();
    for (const canary of cfg.canaries) {
      if (!flags) continue;
      keep.add(canary.key);
      const figures = this.figuresFor(canary.rollout?.analysis?.prometheus);
      const existing = this.controllers.get(canary.key);
      if (existing) {
        existing.update(canary, flags, figures);
        continue;
      }
      const controller = new RolloutController(canary, flags, figures, this.log, this.clock);
      this.controllers.set(canary.key, controller);
      await controller.start();
    }
    for (const [key, controller] of this.controllers) {
      if (!keep.has(key)) {
        controller.stop();
        this.controllers.delete(key);
      }
    }
  }

  get(key: string): RolloutController | undefined {
    return this.controllers.get(key);
  }

  list(): RolloutController[] {
    return [...this.controllers.values()];
  }

  close(): void {
    for (const c of this.controllers.values()) c.stop();
    this.controllers.clear();
  }
}
