/** Hashes kept per minute slot; past this a minute is far beyond every distinct-count threshold. */
const SLOT_CAPACITY = 4096;

/**
 * Subscriber hashes per minute slot in append-only typed arrays: adding is a store, not a hash-map update. The
 * distinct count is computed only when a window's cheap counters already pass their thresholds.
 */
export class SlotHashes {
  readonly #slots: Array<Uint32Array | null>;
  readonly #lengths: Int32Array;

  constructor(slots: number) {
    this.#slots = new Array<Uint32Array | null>(slots).fill(null);
    this.#lengths = new Int32Array(slots);
  }

  add(slot: number, hash: number): void {
    const length = this.#lengths[slot] ?? 0;
    let buffer = this.#slots[slot] ?? null;
    if (buffer === null) {
      buffer = new Uint32Array(16);
      this.#slots[slot] = buffer;
    } else if (length === buffer.length) {
      if (length >= SLOT_CAPACITY) return;
      const grown = new Uint32Array(Math.min(length * 2, SLOT_CAPACITY));
      grown.set(buffer);
      buffer = grown;
      this.#slots[slot] = buffer;
    }
    buffer[length] = hash;
    this.#lengths[slot] = length + 1;
  }

  clear(slot: number): void {
    this.#lengths[slot] = 0;
    // Large buffers are released so a one-off burst does not pin memory for the source's lifetime.
    if ((this.#slots[slot]?.length ?? 0) > 256) this.#slots[slot] = null;
  }

  /** Adds the hashes of the given slots to `into`. */
  collect(slots: Iterable<number>, into: Set<number>): Set<number> {
    for (const slot of slots) {
      const buffer = this.#slots[slot];
      const length = this.#lengths[slot] ?? 0;
      if (!buffer) continue;
      for (let i = 0; i < length; i++) into.add(buffer[i] ?? 0);
    }
    return into;
  }
}
