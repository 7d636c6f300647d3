/**
 * A Map that empties itself when full. Lookups on the hot path are heavily skewed (a few thousand node GTs
 * carry most traffic), so dropping everything now and then costs a brief refill, whereas LRU bookkeeping
 * would cost on every hit. The bound keeps memory flat whatever the input.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`cache size must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (this.#map.size >= this.#maxEntries) this.#map.clear();
    this.#map.set(key, value);
  }

  clear(): void {
    this.#map.clear();
  }
}

/** Default bound for per-record caches: large enough for a day's distinct node GTs, about 30 MB at most. */
export const DEFAULT_CACHE_ENTRIES = 262_144;
