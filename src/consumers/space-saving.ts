// The Space-Saving sketch (Metwally, Agrawal and El Abbadi, 2005): the heaviest items of a
// stream in K counters, whatever the number of distinct items. When a new item arrives and
// all K counters are taken, it replaces the item with the smallest count and inherits that
// count as its possible overcount. For every monitored item:
//   count - error <= true count <= count, and error <= min count <= N / K,
// where N is the number of items seen. Any item with a true count above N / K is monitored.
// The counters sit in a binary min-heap, so each update costs O(log K).

export interface SketchEntry {
  id: string;
  /** An upper bound of the true count. */
  count: number;
  /** The most by which count may exceed the true count. */
  error: number;
  /** When the item was last seen (epoch ms). */
  lastSeen: number;
}

interface Slot extends SketchEntry {
  index: number;
}

export class SpaceSaving {
  readonly k: number;
  private readonly heap: Slot[] = [];
  private readonly slots = new Map<string, Slot>();
  /** Items seen in all, N. */
  total = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`K must be a positive integer, not ${k}`);
    this.k = k;
  }

  /** Counters in use; never more than K. */
  get size(): number {
    return this.heap.length;
  }

  /** The largest possible overcount of any reported item: N / K, rounded down. */
  get errorBound(): number {
    return Math.floor(this.total / this.k);
  }

  offer(id: string, now: number, weight = 1): void {
    this.total += weight;
    const slot = this.slots.get(id);
    if (slot) {
      slot.count += weight;
      slot.lastSeen = now;
      this.down(slot.index);
      return;
    }
    if (this.heap.length < this.k) {
      const fresh: Slot = { id, count: weight, error: 0, lastSeen: now, index: this.heap.length };
      this.heap.push(fresh);
      this.slots.set(id, fresh);
      this.up(fresh.index);
      return;
    }
    // Evict the minimum; the newcomer inherits its count as the possible overcount.
    const min = this.heap[0];
    this.slots.delete(min.id);
    min.id = id;
    min.error = min.count;
    min.count += weight;
    min.lastSeen = now;
    this.slots.set(id, min);
    this.down(0);
  }

  /** The monitored items, heaviest first (ties: the smaller overcount first). */
  top(n = this.k): SketchEntry[] {
    return [...this.heap]
      .sort((a, b) => b.count - a.count || a.error - b.error || (a.id < b.id ? -1 : 1))
      .slice(0, n)
      .map(({ id, count, error, lastSeen }) => ({ id, count, error, lastSeen }));
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].count <= h[i].count) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < h.length && h[l].count < h[least].count) least = l;
      if (r < h.length && h[r].count < h[least].count) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b], h[a]];
    h[a].index = a;
    h[b].index = b;
  }
}
