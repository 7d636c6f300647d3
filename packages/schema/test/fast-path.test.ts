import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fastParseSummary } from '../src/fast-path.js';
import { SignallingSummarySchema } from '../src/summary.js';
import { SEED, summaryLike } from './arbitraries.js';
import { diameterRecord, mapRecord } from './fixtures.js';

/**
 * The fast path is an optimisation of SignallingSummarySchema, never a second contract: on every input it must
 * accept exactly what zod accepts and return byte-for-byte the same record (same keys, same order).
 */
function expectSameAsZod(input: Record<string, unknown>): boolean {
  const viaZod = SignallingSummarySchema.safeParse(input);
  const viaFastPath = fastParseSummary(input);
  expect(viaFastPath !== undefined).toBe(viaZod.success);
  if (viaZod.success) expect(JSON.stringify(viaFastPath)).toBe(JSON.stringify(viaZod.data));
  return viaZod.success;
}

test('agrees with zod on the fixtures', () => {
  expect(expectSameAsZod(mapRecord())).toBe(true);
  expect(expectSameAsZod(diameterRecord())).toBe(true);
});

test('agrees with zod on 5,000 random summary-like records, valid and invalid', () => {
  let valid = 0;
  fc.assert(
    fc.property(summaryLike, (record) => {
      if (expectSameAsZod(record)) valid++;
    }),
    { seed: SEED, numRuns: 5_000 },
  );
  // Both sides of the rules must be well represented for the agreement to mean anything.
  expect(valid).toBeGreaterThan(500);
  expect(valid).toBeLessThan(4_500);
});
