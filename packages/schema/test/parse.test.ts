import { describe, expect, test, vi } from 'vitest';
import { MAX_ORIGINAL_CHARS, MAX_RECORD_BYTES } from '../src/formats.js';
import { parseSummary, reporterMismatch } from '../src/parse.js';
import { REJECT_REASONS } from '../src/reasons.js';
import { redactText } from '../src/redact.js';
import { CONTRACT_EXAMPLE, accepted, diameterRecord, mapRecord, NOW_MS, parse, rejected, withField } from './fixtures.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** A valid MAP record padded with an unknown field to exactly `bytes` bytes of UTF-8. */
function recordOfSize(bytes: number, padding = 'x'): string {
  const base = JSON.stringify({ ...mapRecord(), pad: '' });
  const room = bytes - encode(base).length;
  const unit = encode(padding).length;
  const text = JSON.stringify({ ...mapRecord(), pad: padding.repeat(Math.floor(room / unit)) + 'x'.repeat(room % unit) });
  expect(encode(text).length).toBe(bytes);
  return text;
}

describe('the contract example', () => {
  test('parses, from text and from bytes', () => {
    const record = accepted(CONTRACT_EXAMPLE);
    expect(record).toEqual({
      schemaVersion: 1,
      id: 'r1-000042',
      time: Date.UTC(2026, 10, 30, 10, 15, 2, 120),
      reporter: '234-15',
      protocol: 'MAP',
      direction: 'in',
      operation: 71,
      result: 'ok',
      callingGt: '2250760000123',
      calledGt: '447700900001',
      callingSsn: 147,
      calledSsn: 6,
      ingress: 'ipx-carrier-a',
      subscriber: 'hs256.k1.imsi.8c1f0a6b9e2d4c3b',
      subscriberPlmn: '234-15',
      locationReturned: true,
      count: 1,
    });
    expect(accepted(encode(CONTRACT_EXAMPLE))).toEqual(record);
  });

  test('a Diameter record parses', () => {
    expect(accepted(diameterRecord())).toMatchObject({ protocol: 'DIAMETER', application: 16_777_251, count: 3 });
  });

  test('bytes that are a view into a larger buffer are read from their offset', () => {
    const framed = encode(`xxxx${CONTRACT_EXAMPLE}yyyy`);
    expect(accepted(framed.subarray(4, framed.length - 4)).id).toBe('r1-000042');
  });

  test('a leading byte order mark is ignored', () => {
    expect(accepted(`\uFEFF${CONTRACT_EXAMPLE}`).id).toBe('r1-000042');
    expect(accepted(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(CONTRACT_EXAMPLE)])).id).toBe('r1-000042');
  });
});

describe('too-large', () => {
  test('16384 bytes is accepted, 16385 is rejected', () => {
    expect(accepted(recordOfSize(MAX_RECORD_BYTES)).id).toBe('r1-000042');
    expect(accepted(encode(recordOfSize(MAX_RECORD_BYTES))).id).toBe('r1-000042');
    expect(rejected(recordOfSize(MAX_RECORD_BYTES + 1)).reason).toBe('too-large');
    expect(rejected(encode(recordOfSize(MAX_RECORD_BYTES + 1))).reason).toBe('too-large');
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const euros = recordOfSize(MAX_RECORD_BYTES + 2, '€');
    expect(euros.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(rejected(euros).reason).toBe('too-large');
    expect(accepted(recordOfSize(MAX_RECORD_BYTES, '€')).id).toBe('r1-000042');
    expect(accepted(recordOfSize(MAX_RECORD_BYTES, '😀')).id).toBe('r1-000042');
  });

  test('keeps only the first 4096 characters, redacted, and says so', () => {
    const text = JSON.stringify({ imsi: '234150123456789', ...mapRecord(), pad: 'y'.repeat(20_000) });
    for (const input of [text, encode(text)]) {
      const rejection = rejected(input);
      expect(rejection).toMatchObject({ reason: 'too-large', truncated: true, reporter: '234-15' });
      expect(rejection.original).toHaveLength(MAX_ORIGINAL_CHARS);
      expect(rejection.original.startsWith('{"imsi":"23415**********"')).toBe(true);
      expect(rejection).not.toHaveProperty('path');
    }
  });

  test('a digit run cut by the 4096-character limit is still masked', () => {
    const text = `${'x'.repeat(MAX_ORIGINAL_CHARS - 8)}234150123456789${'x'.repeat(20_000)}`;
    expect(rejected(text).original.endsWith('xx23415***')).toBe(true);
  });

  test('the cut never splits a surrogate pair', () => {
    const text = `${'x'.repeat(MAX_ORIGINAL_CHARS - 1)}😀${'x'.repeat(20_000)}`;
    expect(rejected(text).original).toBe('x'.repeat(MAX_ORIGINAL_CHARS - 1));
  });
});

describe('invalid-utf8', () => {
  test.each([
    ['a stray continuation byte', [0x80]],
    ['an invalid byte', [0xff]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('%s', (_name, bad) => {
    const [before, after] = JSON.stringify({ ...mapRecord(), ingress: 'ip|x' }).split('|') as [string, string];
    const broken = new Uint8Array([...encode(before), ...bad, ...encode(after)]);
    const rejection = rejected(broken);
    // The reporter is read from the text as a best effort, as for broken JSON.
    expect(rejection).toMatchObject({ reason: 'invalid-utf8', reporter: '234-15', truncated: false });
    expect(rejection.original).toContain('\uFFFD');
  });

  test('a string with a lone surrogate', () => {
    const rejection = rejected(`{"id":"\uD800","imsi":"234150123456789"}`);
    expect(rejection.reason).toBe('invalid-utf8');
    expect(rejection.original).toBe('{"id":"\uFFFD","imsi":"23415**********"}');
  });
});

describe('invalid-json and not-an-object', () => {
  test.each([[''], ['{'], ['not json'], ['{"a":1}{"b":2}'], ["{'a':1}"], ['{"a":1,}']])('%j is invalid-json', (text) => {
    expect(rejected(text)).toMatchObject({ reason: 'invalid-json', reporter: null, truncated: false, original: text });
  });

  test('the reporter of broken JSON is taken when it can be read', () => {
    expect(rejected('{"schemaVersion":1,"reporter":"234-15","id":').reporter).toBe('234-15');
  });

  test.each([['[]'], ['[{"a":1}]'], ['42'], ['"text"'], ['null'], ['true']])('%j is not-an-object', (text) => {
    expect(rejected(text)).toMatchObject({ reason: 'not-an-object', original: text, reporter: null });
  });
});

describe('the rejection', () => {
  test('carries the reporter when it is a valid PLMN, else null', () => {
    expect(rejected(withField(mapRecord(), 'direction', 'x')).reporter).toBe('234-15');
    expect(rejected(withField(mapRecord(), 'reporter', '23415')).reporter).toBeNull();
    expect(rejected(withField(mapRecord(), 'reporter', 234)).reporter).toBeNull();
  });

  test('keeps the original text unchanged when nothing needs masking', () => {
    const text = JSON.stringify(withField(mapRecord(), 'direction', 'x'), null, 2);
    expect(rejected(text).original).toBe(text);
  });

  test('messages never echo a value from the record', () => {
    for (const [field, value] of [
      ['callingGt', '99999999999999999999'],
      ['id', ''],
      ['reporter', 'evil-value'],
    ] as const) {
      expect(rejected(withField(mapRecord(), field, value)).message).not.toContain(value || 'never');
    }
  });

  test('every reason code is documented in the exported list', () => {
    expect(new Set(REJECT_REASONS).size).toBe(11);
  });
});

describe('never throws', () => {
  test('on input of the wrong type from untyped callers', () => {
    const call = parseSummary as (input: unknown, options: unknown) => ReturnType<typeof parseSummary>;
    for (const input of [null, undefined, 42, {}, [1, 2], new ArrayBuffer(4)]) {
      const result = call(input, { nowMs: NOW_MS });
      expect(result).toMatchObject({ ok: false, rejection: { reason: 'invalid-json' } });
    }
    expect(call(CONTRACT_EXAMPLE, undefined)).toMatchObject({ ok: false });
  });

  test('on JSON nested thousands of levels deep', () => {
    const depth = 8_000;
    const deep = `{"a":${'['.repeat(depth)}{"IMSI":"234150123456789"}${']'.repeat(depth)}}`;
    const rejection = rejected(deep);
    expect(rejection.reason).toBe('raw-identifier');
    expect(rejection.original).not.toMatch(/\d{14}/);
    expect(parse(`${'['.repeat(depth)}${']'.repeat(depth)}`).ok).toBe(false);
  });
});

test('never reads the wall clock: the caller passes it', () => {
  const now = vi.spyOn(Date, 'now').mockImplementation(() => {
    throw new Error('parseSummary read Date.now()');
  });
  try {
    expect(parse(CONTRACT_EXAMPLE).ok).toBe(true);
    expect(parse(withField(mapRecord(), 'time', NOW_MS + 3_600_001)).ok).toBe(false);
  } finally {
    now.mockRestore();
  }
});

describe('reporterMismatch', () => {
  const parsed = parseSummary(CONTRACT_EXAMPLE, { nowMs: NOW_MS });
  if (!parsed.ok) throw new Error('the contract example must parse');
  const reporter = parsed.record.reporter;

  test('accepts a record from its own operator’s topic', () => {
    expect(reporterMismatch(parsed.record, CONTRACT_EXAMPLE, reporter)).toBeNull();
  });

  test('rejects a record naming another operator, with the usual redacted original', () => {
    const rejection = reporterMismatch(parsed.record, new TextEncoder().encode(CONTRACT_EXAMPLE), '262-02');
    expect(rejection).toMatchObject({ reason: 'reporter-mismatch', path: 'reporter', reporter, truncated: false });
    expect(rejection?.message).toBe("the record's reporter is not 262-02, the operator whose input topic it arrived on");
    expect(rejection?.original).toBe(redactText(CONTRACT_EXAMPLE));
  });
});
