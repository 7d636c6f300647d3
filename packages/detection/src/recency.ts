/**
 * Keys with the event time they were last seen, bounded in size: re-seeing a key moves it to the end, so the oldest
 * entries are always first and both expiry and the size cap evict from the front.
 */
export class RecencyMap<K> {
  readonly #entries = new Map<K, number>();
  readonly #limit: number;
  /** No entry is older than this (a lower bound), so expiry passes that would remove nothing are skipped. */
  #oldest = Number.POSITIVE_INFINITY;
  /** The last inserted key: updating it in place keeps the order, so repeats of one key cost a single set. */
  #newest: K | undefined;
  #newestTime = Number.NEGATIVE_INFINITY;

  constructor(limit: number) {
    this.#limit = limit;
  }

  touch(key: K, timeMs: number): void {
    if (key === this.#newest) {
      // Windows are minutes long: refreshing the same key more than once a second changes no answer.
      if (timeMs - this.#newestTime >= 1000) {
        this.#entries.set(key, timeMs);
        this.#newestTime = timeMs;
      }
      return;
    }
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      if (previous >= timeMs) return;
      this.#entries.delete(key);
    }
    this.#entries.set(key, timeMs);
    this.#newest = key;
    this.#newestTime = timeMs;
    if (timeMs < this.#oldest) this.#oldest = timeMs;
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done && oldest.value !== key) this.#entries.delete(oldest.value);
    }
  }

  /** Drops entries last seen before `timeMs`. Late records can leave an older entry behind a newer one; those
   * are dropped on a later pass. */
  expireBefore(timeMs: number): void {
    if (timeMs <= this.#oldest) return;
    this.#oldest = Number.POSITIVE_INFINITY;
    for (const [key, seen] of this.#entries) {
      if (seen >= timeMs) {
        this.#oldest = seen;
        break;
      }
      this.#entries.delete(key);
      if (key === this.#newest) this.#newest = undefined;
    }
  }

  /** Keys seen at or after `timeMs`. */
  *since(timeMs: number): IterableIterator<K> {
    for (const [key, seen] of this.#entries) if (seen >= timeMs) yield key;
  }

  countSince(timeMs: number): number {
    let count = 0;
    for (const seen of this.#entries.values()) if (seen >= timeMs) count++;
    return count;
  }

  get size(): number {
    return this.#entries.size;
  }
}
