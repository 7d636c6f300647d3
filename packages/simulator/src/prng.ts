/**
 * Seeded randomness. Everything the simulator draws comes from these generators, never from Math.random, so the
 * same options always give byte-identical output.
 */

/** 32-bit avalanche mix (the finaliser of MurmurHash3). */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a few integers to a well-mixed unsigned 32-bit value. */
export function hashInts(a: number, b = 0, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b | 0, 0x27d4eb2f) ^ 0x165667b1);
  h = mix32(h ^ Math.imul(c | 0, 0x165667b1) ^ 0x27d4eb2f);
  h = mix32(h ^ Math.imul(d | 0, 0x9e3779b1) ^ 0x85ebca77);
  return h;
}

/** Hash of a string (FNV-1a then a mix) to an unsigned 32-bit value. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Seed option (number or string) to one 32-bit word. */
export function seedWord(seed: number | string): number {
  return typeof seed === 'number'
    ? hashInts(Math.floor(seed) | 0, Math.floor(seed / 4294967296) | 0)
    : hashString(seed);
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): 128 bits of state, passes PractRand, and is a handful of
 * integer operations per draw.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for one purpose (`stream`) of one run (`seed`); different streams are independent. */
  constructor(seed: number, stream: number | string = 0) {
    const s = typeof stream === 'number' ? stream : hashString(stream);
    this.a = hashInts(seed, s, 1);
    this.b = hashInts(seed, s, 2);
    this.c = hashInts(seed, s, 3);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in (0, 1], safe for logarithms. */
  nextOpen(): number {
    return (this.nextU32() + 1) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(this.nextOpen()) * mean;
  }
}

/**
 * Walker's alias method: O(1) draws from a fixed discrete distribution. Weights need not sum to 1.
 */
export class Alias<T> {
  private readonly items: readonly T[];
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const n = entries.length;
    if (n === 0) throw new Error('Alias: no entries');
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (!(total > 0)) throw new Error('Alias: weights must sum to a positive number');
    this.items = entries.map(([item]) => item);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = entries.map(([, w]) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => {
      (p < 1 ? small : large).push(i);
    });
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  draw(rng: Rng): T {
    return this.at(rng.next());
  }

  /** The item for a given uniform u in [0, 1): a deterministic draw. */
  at(unit: number): T {
    const u = unit * this.items.length;
    const i = Math.floor(u);
    const j = u - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
    return this.items[j] as T;
  }
}
