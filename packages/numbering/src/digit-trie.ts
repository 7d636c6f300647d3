/**
 * Longest-prefix lookup over decimal digit strings. Nodes live in one flat array of child indexes (10 per
 * node), so a lookup walks at most 15 array slots and allocates nothing, unlike slicing the input once per
 * prefix length for a Map-per-length table (bench/lookups.mjs measures both).
 */
export class DigitTrie<T> {
  static readonly ROOT = 0;
  // children[node * 10 + digit] = child node, or 0 for none (the root is never anyone's child).
  readonly #children: number[] = new Array<number>(10).fill(0);
  readonly #values: Array<T | undefined> = [undefined];

  /** Stores `value` at `prefix` (digits only), replacing what was there. */
  set(prefix: string, value: T): void {
    let node = DigitTrie.ROOT;
    for (let i = 0; i < prefix.length; i++) {
      const digit = prefix.charCodeAt(i) - 48;
      if (!(digit >= 0 && digit <= 9)) throw new RangeError(`not a digit string: "${prefix}"`);
      node = this.#childOrNew(node, digit);
    }
    this.#values[node] = value;
  }

  /** The child of `node` for the character at `digits[index]`, or -1 when there is none or it is not a digit. */
  child(node: number, digits: string, index: number): number {
    const digit = digits.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    const next = this.#children[node * 10 + digit] ?? 0;
    return next === 0 ? -1 : next;
  }

  /** The value stored exactly at `node`. */
  valueAt(node: number): T | undefined {
    return this.#values[node];
  }

  /** The value of the longest stored prefix of `digits`, or undefined. */
  longestMatch(digits: string): T | undefined {
    let best: T | undefined;
    let node = DigitTrie.ROOT;
    for (let i = 0; i < digits.length; i++) {
      node = this.child(node, digits, i);
      if (node < 0) break;
      const value = this.#values[node];
      if (value !== undefined) best = value;
    }
    return best;
  }

  #childOrNew(node: number, digit: number): number {
    const slot = node * 10 + digit;
    const existing = this.#children[slot] ?? 0;
    if (existing !== 0) return existing;
    const created = this.#values.length;
    this.#values.push(undefined);
    for (let d = 0; d < 10; d++) this.#children.push(0);
    this.#children[slot] = created;
    return created;
  }
}
