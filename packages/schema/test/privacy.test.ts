import { describe, expect, test } from 'vitest';
import { maskText, redactText } from '../src/redact.js';
import { accepted, mapRecord, rejected, withField } from './fixtures.js';

describe('raw-identifier', () => {
  test('a nested IMSI inside an array of an unknown field is rejected and redacted', () => {
    const record = { ...mapRecord(), vendor: { hops: [{ ok: 1 }, { IMSI: '234150123456789' }] } };
    const rejection = rejected(record);
    expect(rejection).toMatchObject({ reason: 'raw-identifier', path: 'vendor.hops[1].IMSI', reporter: '234-15' });
    expect(rejection.message).toContain('`vendor.hops[1].IMSI`');
    expect(rejection.original).toContain('"IMSI":"23415**********"');
    expect(rejection.original).not.toContain('234150123456789');
    expect(JSON.parse(rejection.original)).toMatchObject({ id: 'r1-000042', vendor: { hops: [{ ok: 1 }, {}] } });
  });

  test.each([['imsi'], ['IMSI'], ['Msisdn'], ['imei'], ['IMEISV'], ['iMeIsV']])('the key %s is forbidden', (key) => {
    expect(rejected({ ...mapRecord(), [key]: '490154203237518' })).toMatchObject({ reason: 'raw-identifier', path: key });
  });

  test('a key spelled with a JSON escape is still found', () => {
    const text = JSON.stringify(mapRecord()).replace('{', '{"ims\\u0069":"234150123456789",');
    const rejection = rejected(text);
    expect(rejection).toMatchObject({ reason: 'raw-identifier', path: 'imsi' });
    expect(rejection.original).toContain('"imsi":"23415**********"');
  });

  test('numbers are masked as their decimal string', () => {
    expect(rejected({ ...mapRecord(), msisdn: 447_700_900_001 }).original).toContain('"msisdn":"44770*******"');
  });

  test('objects and arrays under a forbidden key are masked leaf by leaf', () => {
    const record = { ...mapRecord(), imsi: { value: '234150123456789', list: [1234567, true, null, 'ab'] } };
    const original = JSON.parse(rejected(record).original) as Record<string, unknown>;
    expect(original.imsi).toEqual({ value: '23415**********', list: ['12345**', true, null, 'ab'] });
  });

  test('every forbidden key is masked, not only the first', () => {
    const record = { imsi: '234150123456789', ...mapRecord(), x: [{ imei: '490154203237518' }] };
    const original = rejected(record).original;
    expect(original).toContain('"imsi":"23415**********"');
    expect(original).toContain('"imei":"49015**********"');
  });

  test('is reported before any other fault, even on a JSON array', () => {
    expect(rejected({ imsi: '234150123456789', schemaVersion: 9 }).reason).toBe('raw-identifier');
    expect(rejected([{ imsi: '234150123456789' }])).toMatchObject({ reason: 'raw-identifier', path: '[0].imsi' });
  });

  test('keys that merely contain a forbidden word are unknown fields, stripped', () => {
    const record = accepted({ ...mapRecord(), imsiHash: 'x', subscriberImsi: 'y' });
    expect(record).not.toHaveProperty('imsiHash');
  });

  test('forbidden words as values are fine', () => {
    expect(accepted({ ...mapRecord(), ingress: 'imsi', note: '"imsi"' }).ingress).toBe('imsi');
  });

  test('digit runs in a path are masked like any other digits', () => {
    const rejection = rejected({ ...mapRecord(), byImsi: { '234150123456789': { imsi: 'x' } } });
    expect(rejection.path).toBe('byImsi["23415**********"].imsi');
  });
});

describe('subscriber', () => {
  test('a pseudonym mentioning imsi is fine', () => {
    expect(accepted(withField(mapRecord(), 'subscriber', 'hs256.k1.imsi.8c1f0a6b9e2d4c3b')).subscriber).toBe(
      'hs256.k1.imsi.8c1f0a6b9e2d4c3b',
    );
  });

  test.each([['234150123456789'], [234_150_123_456_789], ['447700900001'], ['1']])(
    'all digits (%j) is subscriber-not-pseudonymous and redacted',
    (subscriber) => {
      const rejection = rejected(withField(mapRecord(), 'subscriber', subscriber));
      expect(rejection).toMatchObject({ reason: 'subscriber-not-pseudonymous', path: 'subscriber', reporter: '234-15' });
      expect(rejection.original).toContain(`"subscriber":"${maskText(String(subscriber))}"`);
    },
  );

  test('is checked before the other fields', () => {
    const record = { ...withField(mapRecord(), 'subscriber', '234150123456789'), direction: 'x' };
    expect(rejected(record).reason).toBe('subscriber-not-pseudonymous');
  });

  test('a subscriber that is not a pseudonym but has other characters is invalid-field, and still masked', () => {
    const rejection = rejected(withField(mapRecord(), 'subscriber', '+44 7700 900001'));
    expect(rejection).toMatchObject({ reason: 'invalid-field', path: 'subscriber' });
    expect(rejection.original).toContain('"subscriber":"+44 7**********"');
  });
});

describe('redaction of any rejected record', () => {
  test('digit runs of 14 or more are masked after their first 5 digits, wherever they are', () => {
    const record = { ...withField(mapRecord(), 'direction', 'x'), note: 'raw 490154203237518 here', n: 4_901_542_032_375_180 };
    const original = rejected(record).original;
    expect(original).toContain('"note":"raw 49015********** here"');
    expect(original).toContain('"n":"49015***********"');
    expect(original).not.toMatch(/\d{14}/);
    expect(() => JSON.parse(original)).not.toThrow();
  });

  test('13-digit runs (most Global Titles) are left alone', () => {
    const original = rejected(withField(mapRecord(), 'direction', 'x')).original;
    expect(original).toContain('"callingGt":"2250760000123"');
  });
});

describe('redactText (input that is not JSON)', () => {
  test.each([
    ['{"imsi":"234150123456789",', '{"imsi":"23415**********",'],
    ['{"IMSI" : 234150123456789 ,', '{"IMSI" : 23415********** ,'],
    ["{'msisdn': '447700900001'}", "{'msisdn': '44770*******'}"],
    ['imei=4901542032 rest', 'imei=49015***** rest'],
    ['{"imei":"49015420', '{"imei":"49015***'],
    ['"imsi":"ab\\"cdefgh"', '"imsi":"ab\\"c*****"'],
    ['primsi: 1234567', 'primsi: 1234567'],
    ['garbage 4901542032375189999 more', 'garbage 49015************** more'],
    ['short 1234567890123 ok', 'short 1234567890123 ok'],
  ])('%j becomes %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  test('keeps the length of the text', () => {
    const text = '{"imsi":"234150123456789","msisdn":447700900001,"x":"12345678901234567890"';
    expect(redactText(text)).toHaveLength(text.length);
  });
});

test('the path of a deeply nested forbidden key is shortened to its tail', () => {
  const deep = `{"a":${'['.repeat(500)}{"IMSI":"x"}${']'.repeat(500)}}`;
  const rejection = rejected(deep);
  expect(rejection.path?.length).toBeLessThanOrEqual(201);
  expect(rejection.path?.endsWith('[0].IMSI')).toBe(true);
});
