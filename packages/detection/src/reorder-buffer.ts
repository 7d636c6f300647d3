interface Entry<T> {
  time: number;
  sequence: number;
  item: T;
}

/**
 * Releases items in event-time order once the watermark has passed them. Records re-keyed by subscriber arrive from
 * several source partitions with bounded disorder; judging a subscriber's location updates in time order makes the
 * result independent of that interleaving.
 */
export class ReorderBuffer<T> {
  readonly #heap: Array<Entry<T>> = [];
  #sequence = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(time: number, item: T): void {
    const heap = this.#heap;
    heap.push({ time, sequence: this.#sequence++, item });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(index, parent)) break;
      this.#swap(index, parent);
      index = parent;
    }
  }

  /** Items with time ≤ `watermark`, oldest first (ties in arrival order). */
  releaseThrough(watermark: number, visit: (item: T) => void): void {
    while (this.size > 0 && this.nextTime() <= watermark) visit(this.pop());
  }

  /** Time of the item `pop` returns next (+∞ when empty). Lets a hot caller loop without a callback per call. */
  nextTime(): number {
    return this.#heap.length > 0 ? (this.#heap[0] as Entry<T>).time : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the oldest item (ties in arrival order); only call when `size` > 0. */
  pop(): T {
    const heap = this.#heap;
    const top = heap[0] as Entry<T>;
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && this.#before(left, smallest)) smallest = left;
        if (right < heap.length && this.#before(right, smallest)) smallest = right;
        if (smallest === index) break;
        this.#swap(index, smallest);
        index = smallest;
      }
    }
    return top.item;
  }

  #before(a: number, b: number): boolean {
    const x = this.#heap[a] as Entry<T>;
    const y = this.#heap[b] as Entry<T>;
    return x.time < y.time || (x.time === y.time && x.sequence < y.sequence);
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    [heap[a], heap[b]] = [heap[b] as Entry<T>, heap[a] as Entry<T>];
  }
}
