// The primary's workers: forks them, replaces one that dies unexpectedly, knows which are
// listening, fans a reload out to every one and gathers their outcomes, and stops them.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { ReloadOutcome } from '../admin/context.js';
import { isMessage, type ToPrimary, type ToWorker } from './messages.js';

export type WorkerOutcome = { index: number } & ReloadOutcome;

/** How long a reload waits for the workers' outcomes before answering with those it has. */
const RELOAD_WAIT_MS = 15_000;
/** A pause before replacing a dead worker, so a worker that dies at once cannot spin. */
const REFORK_DELAY_MS = 500;

export class Workers {
  private readonly byIndex = new Map<number, Worker>();
  private readonly listeningAt = new Map<number, { proxy: string; admin: string }>();
  private readonly pendingReloads = new Map<number, { outcomes: WorkerOutcome[]; expected: number; resolve: (o: WorkerOutcome[]) => void }>();
  private reloadId = 0;
  private stopping = false;

  constructor(
    readonly count: number,
    private readonly log: Logger,
    /** Each config a worker starts serving after a reload. */
    private readonly onConfig: (m: Extract<ToPrimary, { type: 'sundial:config' }>) => void,
  ) {}

  start(): void {
    // The kernel spreads connections over the workers' accept() calls, rather than the
    // primary accepting each one and passing it on.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    for (let i = 0; i < this.count; i++) this.fork(i);
  }

  /** How many workers are alive. */
  get alive(): number {
    return this.byIndex.size;
  }

  /** How many workers are listening. */
  get listening(): number {
    return this.listeningAt.size;
  }

  get ready(): boolean {
    return !this.stopping && this.listeningAt.size === this.count;
  }

  /** The lead worker's private admin address, once it listens. */
  leadAdmin(): string | undefined {
    return this.listeningAt.get(0)?.admin || undefined;
  }

  reload(reason: string): Promise<WorkerOutcome[]> {
    const id = ++this.reloadId;
    const workers = [...this.byIndex.values()].filter((w) => w.isConnected());
    return new Promise((resolve) => {
      this.pendingReloads.set(id, { outcomes: [], expected: workers.length, resolve });
      for (const w of workers) w.send({ type: 'sundial:reload', id, reason } satisfies ToWorker);
      setTimeout(() => this.settleReload(id), RELOAD_WAIT_MS).unref();
    });
  }

  /** Asks every worker to drain and exit; resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping = true;
    const workers = [...this.byIndex.values()];
    let left = workers.length;
    return new Promise((resolve) => {
      if (!left) return resolve();
      for (const w of workers) {
        w.once('exit', () => {
          if (--left === 0) resolve();
        });
        if (w.isConnected()) w.send({ type: 'sundial:shutdown' } satisfies ToWorker);
        else w.kill('SIGTERM');
      }
    });
  }

  private fork(index: number): void {
    const worker = cluster.fork({ SUNDIAL_WORKER_INDEX: String(index) });
    this.byIndex.set(index, worker);
    worker.on('message', (m: unknown) => {
      if (isMessage<ToPrimary>(m)) this.receive(m);
    });
    worker.on('exit', (code, signal) => {
      this.listeningAt.delete(index);
      if (this.byIndex.get(index) === worker) this.byIndex.delete(index);
      if (this.stopping) return;
      this.log.error({ index, code, signal }, 'worker died; starting a new one');
      setTimeout(() => {
        if (!this.stopping) this.fork(index);
      }, REFORK_DELAY_MS).unref();
    });
  }

  private receive(m: ToPrimary): void {
    switch (m.type) {
      case 'sundial:listening':
        this.listeningAt.set(m.index, { proxy: m.proxy, admin: m.admin });
        if (this.listeningAt.size === this.count) this.log.info({ workers: this.count, proxy: m.proxy }, 'sundial is serving');
        return;
      case 'sundial:config':
        this.onConfig(m);
        return;
      case 'sundial:reloaded': {
        const pending = this.pendingReloads.get(m.id);
        if (!pending) return;
        pending.outcomes.push({ index: m.index, ...m.outcome });
        if (pending.outcomes.length === pending.expected) this.settleReload(m.id);
        return;
      }
    }
  }

  private settleReload(id: number): void {
    const pending = this.pendingReloads.get(id);
    if (!pending) return;
    this.pendingReloads.delete(id);
    pending.resolve(pending.outcomes);
  }
}
