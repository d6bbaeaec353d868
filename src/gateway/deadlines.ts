// Precise upstream timeouts without a timer per request. undici's own timers tick every
// 500 ms, so a 1 s timeout fired after 1.0-1.5 s; a Node timer per request is precise but
// costs an allocation and a timer-list insertion on every request. Here every request
// with the same timeout value joins one FIFO queue: deadlines in a queue are in order of
// arrival, so one timer per queue, re-armed for the head, fires each expiry on time.
export interface Expirable {
  /** Milliseconds (performance.now()) after which the request has timed out. */
  deadline: number;
  /** False once the request has finished: the queue then drops it without a call. */
  pending: boolean;
  expire(now: number): void;
}

const COMPACT_AT = 1024;

class DeadlineQueue {
  private items: (Expirable | undefined)[] = [];
  /** Each entry's deadline when it joined: an item that restarts its clock joins again. */
  private due: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  add(item: Expirable): void {
    this.items.push(item);
    this.due.push(item.deadline);
    if (this.timer === undefined) this.arm(item.deadline);
  }

  private arm(deadline: number): void {
    this.timer = setTimeout(DeadlineQueue.fire, Math.max(1, Math.ceil(deadline - performance.now())), this);
    this.timer.unref();
  }

  private static fire(queue: DeadlineQueue): void {
    queue.timer = undefined;
    queue.run();
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
    if (this.head === items.length) {
      this.items = [];
      this.due = [];
      this.head = 0;
      return;
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.due = due.slice(this.head);
      this.head = 0;
    }
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
