// Precise upstream timeouts without a timer per request. undici's own timers tick every
// 500 ms, so a 1 s timeout fired after 1.0-1.5 s; a Node timer per request is precise but
// costs an allocation and a timer-list insertion on every request. Here every request
// with the same timeout value joins one FIFO queue: deadlines in a queue are in order of
// arrival, so one timer per queue, re-armed for the head, fires each expiry on time.
// A request that finishes stays in its queue until the queue next runs, so the queue runs
// at least every SWEEP_MS and then drops every finished entry: with a 30 s timeout and
// thousands of requests a second, finished requests (and the buffers they hold) would
// otherwise wait 30 s to be collected.
export interface Expirable {
  /** Milliseconds (performance.now()) after which the request has timed out. */
  deadline: number;
  /** False once the request has finished: the queue then drops it without a call. */
  pending: boolean;
  expire(now: number): void;
}

const SWEEP_MS = 250;

class DeadlineQueue {
  private items: (Expirable | undefined)[] = [];
  /** Each entry's deadline when it joined: an item that restarts its clock joins again. */
  private due: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** True while run() expires items, which may join again: run() re-arms once, at its end. */
  private running = false;

  add(item: Expirable): void {
    this.items.push(item);
    this.due.push(item.deadline);
    if (this.timer === undefined && !this.running) this.arm(item.deadline);
  }

  private arm(deadline: number): void {
    this.timer = setTimeout(DeadlineQueue.fire, Math.max(1, Math.min(SWEEP_MS, Math.ceil(deadline - performance.now()))), this);
    this.timer.unref();
  }

  private static fire(queue: DeadlineQueue): void {
    queue.timer = undefined;
    queue.running = true;
    try {
      queue.run();
    } finally {
      queue.running = false;
    }
  }

  private run(): void {
    const now = performance.now();
    const { items, due } = this;
    while (this.head < items.length) {
      const item = items[this.head]!;
      if (item.pending && due[this.head] > now) break;
      items[this.head++] = undefined;
      // An item whose clock restarted since this entry joined has a later entry too.
      if (item.pending && item.deadline <= now) item.expire(now);
    }
    // Keep only the entries still to be watched: pending, and each item's latest entry.
    let kept = 0;
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]!;
      if (!item.pending || due[i] !== item.deadline) continue;
      items[kept] = item;
      due[kept++] = due[i];
    }
    items.length = kept;
    due.length = kept;
    this.head = 0;
    if (kept === 0) return;
    this.arm(this.due[this.head]);
  }
}

/** One queue per distinct timeout value (a config has a handful). */
export class Deadlines {
  private readonly queues = new Map<number, DeadlineQueue>();

  /** Starts (or restarts) `item`'s clock: it expires `delay` ms from now unless it finishes. */
  track(item: Expirable, delay: number, now = performance.now()): void {
    item.deadline = now + delay;
    let queue = this.queues.get(delay);
    if (!queue) {
      queue = new DeadlineQueue();
      this.queues.set(delay, queue);
    }
    queue.add(item);
  }
}
