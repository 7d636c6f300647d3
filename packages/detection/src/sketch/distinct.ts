import { HyperLogLog } from './hyperloglog.js';

/** Beyond this many distinct hashes a set costs more than a 1 KiB sketch, so it becomes one. */
const EXACT_LIMIT = 256;

/**
 * Counts distinct 32-bit hashes: exactly while small (most sources touch few subscribers), then as a HyperLogLog,
 * so memory stays bounded however many subscribers a source targets.
 */
export class DistinctCounter {
  #exact: Set<number> | null = new Set();
  #sketch: HyperLogLog | null = null;

  add(hash: number): void {
    if (this.#exact) {
      this.#exact.add(hash);
      if (this.#exact.size > EXACT_LIMIT) this.#promote();
    } else {
      this.#sketch?.add(hash);
    }
  }

  #promote(): void {
    const sketch = new HyperLogLog();
    for (const hash of this.#exact ?? []) sketch.add(hash);
    this.#sketch = sketch;
    this.#exact = null;
  }

  get size(): number {
    return this.#exact ? this.#exact.size : (this.#sketch?.estimate() ?? 0);
  }
}
