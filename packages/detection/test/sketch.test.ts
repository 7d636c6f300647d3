import { describe, expect, it } from 'vitest';
import { DistinctCounter, HyperLogLog, murmur3 } from '../src/index.js';

describe('sketches', () => {
  it('murmur3 matches the reference vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
  });

  it('HyperLogLog estimates within 5 % at 100,000 distinct values', () => {
    const hll = new HyperLogLog();
    for (let i = 0; i < 100_000; i++) hll.add(murmur3(`hs256.k1.imsi.${i}`));
    expect(Math.abs(hll.estimate() - 100_000) / 100_000).toBeLessThan(0.05);
  });

  it('DistinctCounter is exact while small and close once it becomes a sketch', () => {
    const small = new DistinctCounter();
    for (let i = 0; i < 400; i++) small.add(murmur3(`s${i % 200}`));
    expect(small.size).toBe(200);
    const big = new DistinctCounter();
    for (let i = 0; i < 20_000; i++) big.add(murmur3(`s${i}`));
    expect(Math.abs(big.size - 20_000) / 20_000).toBeLessThan(0.08);
  });
});
