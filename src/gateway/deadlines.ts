// Precise upstream timeouts without a timer per request. undici's own timers tick every
// 500 ms, so a 1 s timeout fired after 1.0-1.5 s; a Node timer per request is precise but
// costs an allocation and a timer-list insertion on every request. Here every request
// with the same timeout value joins one FIFO queue: deadlines in a queue are in order of
// arrival, so one timer per queue, re-armed for the head, fires each expiry on time.
// A finished request must not wait in its queue: with a 30 s timeout and thousands of
// requests a second, finished requests (and the buffers they hold) would wait 30 s to be
// collected, and even a 250 ms wait keeps thousands of them alive through the young
// generation's collections, which then copy and promote them: long scavenges, an old
// space that grows by 150 MB between mark-compacts, and a p99 twice the bare proxy's.
// So each add() first drops the finished entries at the head (requests of one timeout
// finish roughly in arrival order, so the queue stays about as long as the requests in
// flight), and the queue still runs at least every SWEEP_MS to drop those stuck behind a
// slow one.
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

  /** Entries held: those watching a request, and finished ones not yet dropped. */
  get size(): number {
    return this.items.length - this.head;
  }

  add(item: Expirable): void {
    this.dropFinishedHead();
    this.items.push(item);
    this.due.push(item.deadline);
    if (this.timer === undefined && !this.running) this.arm(item.deadline);
  }

  /** Drops the entries at the head that no longer watch anything: finished, or superseded. */
  private dropFinishedHead(): void {
    const { items, due } = this;
    let head = this.head;
    while (head < items.length) {
      const item = items[head]!;
      if (item.pending && due[head] === item.deadline) break;
      items[head++] = undefined;
    }
    if (head === items.length) {
      items.length = 0;
      due.length = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= items.length) {
      // Shift the live tail down once the dead head is most of the arrays: amortised O(1).
      items.copyWithin(0, head);
      due.copyWithin(0, head);
      items.length -= head;
      due.length -= head;
      head = 0;
    }
    this.head = head;
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

  /** Entries held across the queues (for tests and diagnostics). */
  get size(): number {
    let size = 0;
    for (const queue of this.queues.values()) size += queue.size;
    return size;
  }
}
