/**
 * Keys with the event time they were last seen, bounded in size: re-seeing a key moves it to the end, so the oldest
 * entries are always first and both expiry and the size cap evict from the front.
 */
export class RecencyMap<K> {
  readonly #entries = new Map<K, number>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  touch(key: K, timeMs: number): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      if (previous >= timeMs) return;
      this.#entries.delete(key);
    }
    this.#entries.set(key, timeMs);
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Drops entries last seen before `timeMs`. Late records can leave an older entry behind a newer one; those
   * are dropped on a later pass. */
  expireBefore(timeMs: number): void {
    for (const [key, seen] of this.#entries) {
      if (seen >= timeMs) break;
      this.#entries.delete(key);
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
