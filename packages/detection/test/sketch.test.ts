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

  it('DistinctCounter is exact while small and close once promoted, and unions correctly', () => {
    const a = new DistinctCounter();
    const b = new DistinctCounter();
    for (let i = 0; i < 200; i++) a.add(murmur3(`s${i}`));
    for (let i = 100; i < 300; i++) b.add(murmur3(`s${i}`));
    expect(a.size).toBe(200);
    expect(DistinctCounter.unionSize([a, b])).toBe(300);
    const big = new DistinctCounter();
    for (let i = 0; i < 20_000; i++) big.add(murmur3(`s${i}`));
    expect(Math.abs(big.size - 20_000) / 20_000).toBeLessThan(0.08);
    expect(Math.abs(DistinctCounter.unionSize([big, a]) - 20_000) / 20_000).toBeLessThan(0.08);
  });
});
