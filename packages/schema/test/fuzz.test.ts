import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type DeadLetterSource, DeadLetterSchema, toDeadLetter } from '../src/dead-letter.js';
import { MAX_CLOCK_SKEW_MS, MIN_EVENT_TIME_MS, PLMN_PATTERN } from '../src/formats.js';
import { parseSummary } from '../src/parse.js';
import { type ParseResult, REJECT_REASONS } from '../src/reasons.js';
import { SignallingSummarySchema } from '../src/summary.js';
import { hasForbiddenKey, SEED, summaryLike, withRawIdentifier } from './arbitraries.js';
import { CONTRACT_EXAMPLE, NOW_MS } from './fixtures.js';

const SOURCE: DeadLetterSource = { kind: 'kafka', topic: 'gtwatch.signalling.v1', partition: 3, offset: '1234567' };

/** What every result must satisfy, whatever the input. */
function expectWellTyped(result: ParseResult): void {
  if (result.ok) {
    // The record is itself valid input (time as epoch milliseconds, count present) and parses to itself.
    expect(SignallingSummarySchema.parse(result.record)).toEqual(result.record);
    expect(result.record.time).toBeGreaterThanOrEqual(MIN_EVENT_TIME_MS);
    expect(result.record.time).toBeLessThanOrEqual(NOW_MS + MAX_CLOCK_SKEW_MS);
    return;
  }
  const { rejection } = result;
  expect(REJECT_REASONS).toContain(rejection.reason);
  expect(typeof rejection.message).toBe('string');
  expect(rejection.message.length).toBeGreaterThan(0);
  expect(typeof rejection.original).toBe('string');
  expect(rejection.original).not.toMatch(/\d{14}/);
  expect(rejection.message).not.toMatch(/\d{14}/);
  expect(rejection.reporter === null || PLMN_PATTERN.test(rejection.reporter)).toBe(true);
  expect(typeof rejection.truncated).toBe('boolean');
  expect(DeadLetterSchema.safeParse(toDeadLetter(rejection, SOURCE)).success).toBe(true);
}

function parseSafely(input: Uint8Array | string): ParseResult {
  let result: ParseResult | undefined;
  expect(() => {
    result = parseSummary(input, { nowMs: NOW_MS });
  }).not.toThrow();
  return result as ParseResult;
}

const example = new TextEncoder().encode(CONTRACT_EXAMPLE);

/** The contract example with a few bytes overwritten: mostly broken UTF-8 or broken JSON near a valid record. */
const corruptedExample = fc
  .array(fc.tuple(fc.nat({ max: example.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const bytes = example.slice();
    for (const [index, byte] of edits) bytes[index] = byte;
    return bytes;
  });

describe('parseSummary never throws and always returns a well-typed result', () => {
  test('on 2,000 random byte strings', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 600 }), corruptedExample);
    fc.assert(
      fc.property(bytes, (input) => expectWellTyped(parseSafely(input))),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  test('on 2,000 random JSON-ish objects, as text and as bytes', () => {
    const objects = fc.oneof(summaryLike, withRawIdentifier, fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(objects, fc.boolean(), (value, asBytes) => {
        const text = JSON.stringify(value);
        const result = parseSafely(asBytes ? new TextEncoder().encode(text) : text);
        expectWellTyped(result);
        if (hasForbiddenKey(value)) expect(result).toMatchObject({ ok: false, rejection: { reason: 'raw-identifier' } });
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  test('on random strings, including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => expectWellTyped(parseSafely(input))),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});
