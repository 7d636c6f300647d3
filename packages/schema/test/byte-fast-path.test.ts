import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FIELD_NAMES, scanSummaryBytes } from '../src/byte-fast-path.js';
import { MIN_EVENT_TIME_MS } from '../src/formats.js';
import { parseSummary, parseSummaryGenerically } from '../src/parse.js';
import type { ParseResult } from '../src/reasons.js';
import { DiameterSummarySchema, MapSummarySchema } from '../src/summary.js';
import { SEED, summaryLike, withRawIdentifier } from './arbitraries.js';
import { RULES } from './field-rules.js';
import { CONTRACT_EXAMPLE, diameterRecord, mapRecord, NOW_MS, withField, without } from './fixtures.js';

/**
 * The fast paths are optimisations of the generic route (JSON.parse, the privacy checks, zod), never a second
 * contract: on every input parseSummary must give exactly what the generic route gives — the same record with
 * its keys in the same order, or the same rejection (reason, message, path, reporter, redacted original).
 */
const encoder = new TextEncoder();

function expectSameAsGeneric(input: Uint8Array | string): ParseResult {
  const generic = parseSummaryGenerically(input, { nowMs: NOW_MS });
  const fast = parseSummary(input, { nowMs: NOW_MS });
  expect(fast).toEqual(generic);
  if (fast.ok && generic.ok) expect(Object.keys(fast.record)).toEqual(Object.keys(generic.record));
  if (input instanceof Uint8Array) {
    // The byte path on its own: it may decline anything, but what it accepts the generic route accepts identically.
    // The clock bound is the caller's, so it is lifted here; the bound on old times is not.
    const scanned = scanSummaryBytes(input);
    if (scanned !== undefined) {
      const unbounded = parseSummaryGenerically(input, { nowMs: Number.MAX_SAFE_INTEGER });
      if (unbounded.ok) {
        expect(scanned).toEqual(unbounded.record);
        expect(Object.keys(scanned)).toEqual(Object.keys(unbounded.record));
      } else {
        expect(unbounded.rejection.reason).toBe('time-out-of-range');
        expect(scanned.time).toBeLessThan(MIN_EVENT_TIME_MS);
      }
    }
  }
  return fast;
}

function expectSameBothWays(text: string): ParseResult {
  expectSameAsGeneric(text);
  return expectSameAsGeneric(encoder.encode(text));
}

const accepts = (text: string) => scanSummaryBytes(encoder.encode(text)) !== undefined;

test('the byte path knows exactly the fields of the zod schemas', () => {
  // A field added to the contract but not here would be dropped from records the byte path accepts.
  const shapes = new Set([...Object.keys(MapSummarySchema.shape), ...Object.keys(DiameterSummarySchema.shape)]);
  expect([...FIELD_NAMES].sort()).toEqual([...shapes].sort());
});

describe('the byte path takes the records producers send', () => {
  test('the contract example, the fixtures, and the same with whitespace between every token', () => {
    expect(accepts(CONTRACT_EXAMPLE)).toBe(true);
    expect(accepts(JSON.stringify(mapRecord()))).toBe(true);
    expect(accepts(JSON.stringify(diameterRecord()))).toBe(true);
    expect(accepts(JSON.stringify(diameterRecord(), null, '\t'))).toBe(true);
    expect(accepts(` \r\n${JSON.stringify(mapRecord(), null, 2)}\n `)).toBe(true);
    expect(expectSameBothWays(CONTRACT_EXAMPLE).ok).toBe(true);
  });

  test('unknown fields of every JSON type except objects and arrays', () => {
    const fields = JSON.stringify({ ...mapRecord(), note: 'x', n: -12.5e-3, t: true, f: false, z: null });
    // A number JSON allows but no double holds exactly; it is ignored like any unknown field.
    const text = fields.replace('{', '{"big":123456789012345678901,"e":1E+2,');
    expect(accepts(text)).toBe(true);
    expect(expectSameBothWays(text).ok).toBe(true);
  });

  test('most random valid records', () => {
    let valid = 0;
    let taken = 0;
    fc.assert(
      fc.property(summaryLike, (record) => {
        const bytes = encoder.encode(JSON.stringify(record));
        if (parseSummaryGenerically(bytes, { nowMs: NOW_MS }).ok) {
          valid++;
          if (scanSummaryBytes(bytes) !== undefined) taken++;
        }
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    // Declines are for strings with escapes or non-ASCII characters, which the generator produces often.
    expect(taken).toBeGreaterThan(valid * 0.3);
  });
});

describe('reads a record wherever its bytes lie', () => {
  // The byte path compares words through a view of the input's whole buffer, kept while inputs share a buffer.
  test('records at every offset of one buffer, in a shared buffer, and between records of other buffers', () => {
    const texts = [CONTRACT_EXAMPLE, JSON.stringify(mapRecord()), JSON.stringify(diameterRecord())];
    const packed = new Uint8Array(4096);
    const shared = new Uint8Array(new SharedArrayBuffer(4096));
    for (let offset = 0; offset < 8; offset++) {
      for (const text of texts) {
        const alone = encoder.encode(text);
        const expected = parseSummaryGenerically(alone, { nowMs: NOW_MS });
        expect(expected.ok).toBe(true);
        for (const store of [packed, shared]) {
          // Neighbouring bytes that differ from the record's, so a read past either end would show.
          store.fill(0x7b);
          store.set(alone, offset);
          const inPlace = store.subarray(offset, offset + alone.length);
          expect(scanSummaryBytes(inPlace)).toEqual(expected.ok ? expected.record : undefined);
          expect(parseSummary(inPlace, { nowMs: NOW_MS })).toEqual(expected);
          expect(parseSummary(alone, { nowMs: NOW_MS })).toEqual(expected);
        }
      }
    }
  });

  test('a GT whose hash equals that of a remembered GT is still read as itself', () => {
    // Interned values are found by their FNV-1a hash and then compared byte for byte: two 12-digit GTs with one
    // hash (found by search, so the comparison is what tells them apart) must each come back as themselves.
    const fnv1a = (text: string): number => {
      let hash = 0x811c9dc5 | 0;
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      return hash;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    // Spread over the number space: FNV-1a rarely maps consecutive numbers together.
    for (let n = 0; pair === undefined && n < 1_000_000; n++) {
      const gt = `4477${String((n * 7_919_993) % 100_000_000).padStart(8, '0')}`;
      const other = seen.get(fnv1a(gt));
      if (other !== undefined) pair = [other, gt];
      else seen.set(fnv1a(gt), gt);
    }
    expect(pair).toBeDefined();
    const [first, second] = pair as [string, string];
    for (const gt of [first, second, first, second]) {
      const scanned = scanSummaryBytes(encoder.encode(JSON.stringify(withField(mapRecord(), 'callingGt', gt))));
      expect(scanned && 'callingGt' in scanned ? scanned.callingGt : undefined).toBe(gt);
    }
  });
});

describe('agrees with the generic route', () => {
  test('on every field fixture, valid and invalid, and without each field', () => {
    for (const { field, base, valid, invalid } of RULES) {
      for (const value of [...valid, ...invalid]) expectSameBothWays(JSON.stringify(withField(base(), field, value)));
      expectSameBothWays(JSON.stringify(without(base(), field)));
    }
  });

  test('on 2,000 random summary-like records', () => {
    fc.assert(
      fc.property(summaryLike, (record) => {
        expectSameBothWays(JSON.stringify(record));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  test('on 500 records with raw identifiers at any depth', () => {
    fc.assert(
      fc.property(withRawIdentifier, (record) => {
        expect(expectSameBothWays(JSON.stringify(record)).ok).toBe(false);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  test('on every truncation and on single-byte corruptions at every position of a valid record', () => {
    const text = JSON.stringify({ ...diameterRecord(), ingress: 'dea-1', errorCode: -5001, locationReturned: false });
    const bytes = encoder.encode(text);
    for (let end = 0; end < bytes.length; end++) expectSameAsGeneric(bytes.slice(0, end));
    const replacements = [0x00, 0x09, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x31, 0x3a, 0x41, 0x5c, 0x65, 0x7b, 0x7d, 0x7f, 0xc3, 0xff];
    for (let index = 0; index < bytes.length; index++) {
      for (const byte of replacements) {
        const corrupted = bytes.slice();
        corrupted[index] = byte;
        expectSameAsGeneric(corrupted);
      }
    }
  });

  test('on JSON spellings the byte path leaves to JSON.parse', () => {
    const base = JSON.stringify(mapRecord());
    const variants = [
      base.replace('"schemaVersion":1', '"schemaVersion":1.0'),
      base.replace('"schemaVersion":1', '"schemaVersion":1e0'),
      base.replace('"schemaVersion":1', '"schemaVersion":10e-1'),
      base.replace('"operation":71', '"operation":-0'),
      base.replace('"operation":71', '"operation":071'),
      base.replace('"operation":71', '"operation":7.1e1'),
      base.replace('"operation":71', '"operation":71.'),
      base.replace('"operation":71', '"operation":-'),
      base.replace('"operation":71', '"operation":0000000000000071'),
      base.replace('"r1-000042"', '"r1-\\u0030\\u0030\\u0030042"'),
      base.replace('"ingress"', '"ingr\\u0065ss"'),
      base.replace('"ipx-carrier-a"', '"ipx-carrier-ä"'),
      base.replace('"ipx-carrier-a"', '"ipx\\"carrier"'),
      base.replace('"ipx-carrier-a"', '"ipx\tcarrier"'),
      base.replace('"ipx-carrier-a"', '{"imsi":"234150123456789"}'),
      base.replace('"ipx-carrier-a"', '["a"]'),
      base.replace('{', '{"callingGt":"1",'),
      base.replace('{', '{"IMSI":"x",'),
      base.replace('{', '{"MsIsDn":7,'),
      base.replace('{', '{"imeis":7,'),
      base.replace('{', '{"":7,'),
      base.replace('{', '{"x":tru,'),
      base.replace('{', '{"x":nul,'),
      base.replace('{', '{"x":falsey,'),
      base.replace('}', ',}'),
      `\ufeff${base}`,
      `${base}x`,
      `${base}{}`,
      `[${base}]`,
      '{}',
      '',
      ' ',
      '"x"',
      '7',
    ];
    for (const variant of variants) expectSameBothWays(variant);
  });

  test('on 1,000 records with random whitespace, key order and unknown fields', () => {
    const spaced = fc
      .tuple(summaryLike, fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n  '), { minLength: 64, maxLength: 64 }), fc.nat())
      .map(([record, spaces, seed]) => {
        const entries = Object.entries(record);
        // A deterministic shuffle from the generated seed.
        entries.sort((a, b) => ((a[0].charCodeAt(0) * 31 + seed) % 7) - ((b[0].charCodeAt(0) * 31 + seed) % 7));
        let k = 0;
        const ws = () => spaces[k++ % spaces.length] as string;
        return `${ws()}{${entries.map(([key, value]) => `${ws()}${JSON.stringify(key)}${ws()}:${ws()}${JSON.stringify(value)}${ws()}`).join(',')}}${ws()}`;
      });
    fc.assert(
      fc.property(spaced, (text) => {
        expectSameBothWays(text);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});

describe('time, read from the bytes', () => {
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  // Near-valid date-times: every part drawn a little beyond its range, with fractions of 0–12 digits and offsets.
  const dateTime = fc
    .tuple(
      fc.constantFrom('1996', '2000', '2024', '2026', '2100', '1900', '0000', '2400', '20a6'),
      two(13),
      two(32),
      fc.constantFrom('T', 't', ' '),
      two(25),
      two(61),
      two(61),
      fc.array(digit, { maxLength: 12 }).map((d) => (d.length === 0 ? '' : `.${d.join('')}`)),
      fc.constantFrom('Z', 'z', '+00:00', '-08:00', '+05:30', '+24:00', '-23:59', '+0530', '', '+05:60', '.Z'),
    )
    .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

  test('agrees with the generic route on 2,000 near-valid date-times', () => {
    let accepted = 0;
    fc.assert(
      fc.property(dateTime, (time) => {
        const result = expectSameBothWays(JSON.stringify(withField(mapRecord(), 'time', time)));
        if (result.ok) accepted++;
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    expect(accepted).toBeGreaterThan(40);
  });

  test('every day of a leap and a common year, in three offsets', () => {
    for (const year of [2024, 2026]) {
      for (let day = 0; day < 366; day++) {
        const date = new Date(Date.UTC(year, 0, 1 + day, 23, 59, 59, 999));
        for (const offset of ['Z', '+13:45', '-09:30']) {
          const text = `${date.toISOString().slice(0, 23)}${offset}`;
          expectSameBothWays(JSON.stringify(withField(mapRecord(), 'time', text)));
        }
      }
    }
  });

  test('fractions longer than milliseconds are truncated as the generic route does', () => {
    for (const fraction of ['.9', '.99', '.999', '.9999', '.999999999', '.9999999999', '.123999999999999999999']) {
      expectSameBothWays(JSON.stringify(withField(mapRecord(), 'time', `2026-11-30T10:15:02${fraction}Z`)));
    }
  });
});
