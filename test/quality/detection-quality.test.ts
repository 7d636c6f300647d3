import { describe, expect, it } from 'vitest';
import { scoreSimulation } from './score-simulation.js';

// The engine is judged against the simulator's ground truth on every run: each miss or false positive is a bug.
describe('detection quality on labelled simulations', () => {
  for (const seed of [11, 12]) {
    it(`finds every campaign and stays silent on benign traffic (seed ${seed})`, () => {
      const { quality, labels } = scoreSimulation({ seed, records: 40_000, badRate: 0.002 });
      expect(labels.campaigns.length).toBeGreaterThan(8);
      expect(quality.missed).toEqual([]);
      expect(quality.falsePositives).toEqual([]);
      expect(quality.deadLetterMismatches).toEqual([]);
      for (const pattern of quality.patterns) expect(pattern.expected, pattern.pattern).toBeGreaterThan(0);
    });
  }
});
