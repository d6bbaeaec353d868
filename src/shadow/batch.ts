// Shadow work waits its turn behind the client's: a queue drained on setImmediate, which
// Node runs after the I/O callbacks of the current loop turn. So the mirror requests of
// every response that finished in one turn are sent together, after the clients of that
// turn have been answered, on one immediate rather than one per request; the comparisons
// whose mirrors were answered in that turn run together in a queue of their own, which
// has no sockets to hold (service.ts).
export interface Deferred {
  /** Called once, from the queue's drain. */
  run(): void;
}

/** Called around each drain: e.g. to hold the writes of a batch and send them together. */
export interface BatchHooks {
  before(): void;
  after(): void;
}

export class BatchQueue<T extends Deferred> {
  private items: T[] = [];
  private scheduled = false;

  constructor(
    private readonly onUnexpected: (item: T, err: unknown) => void,
    private readonly hooks?: BatchHooks,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(BatchQueue.drain, this);
    }
  }

  private static drain<T extends Deferred>(queue: BatchQueue<T>): void {
    queue.scheduled = false;
    const items = queue.items;
    queue.items = [];
    queue.hooks?.before();
    try {
      for (let i = 0; i < items.length; i++) {
        try {
          items[i].run();
        } catch (err) {
          queue.onUnexpected(items[i], err);
        }
      }
    } finally {
      queue.hooks?.after();
    }
  }
}
