import { describe, expect, test } from 'vitest';
import { SignallingSummarySchema } from '../src/summary.js';
import { accepted, diameterRecord, mapRecord, rejected, withField, without } from './fixtures.js';

type Base = () => Record<string, unknown>;

interface FieldRule {
  field: string;
  base: Base;
  valid: unknown[];
  invalid: unknown[];
}

const label63 = 'a'.repeat(63);
// Four 63-character labels joined by dots: exactly 255 characters.
const dns255 = [label63, label63, label63, label63].join('.');
const pseudonym128 = `k${'0'.repeat(127)}`;

const DNS_VALID = ['epc.mnc015.mcc234.3gppnetwork.org', 'a', 'A-1.b2', label63, dns255];
const DNS_INVALID = ['', `${label63}a`, '-abc.org', 'abc-.org', 'a..b', 'a_b.org', 'a.b.', 'ex ample.org', `${dns255.slice(0, -1)}.a`, 7];
const PLMN_VALID = ['234-15', '310-260', '001-01'];
const PLMN_INVALID = ['234-1', '2341-15', '234-1234', '23415', 'abc-de', ' 234-15', '234-15 ', 234];
const GT_VALID = ['1', '2250760000123', '123456789012345'];
const GT_INVALID = ['', '1234567890123456', '+447700900001', '44 7700', '4477009000a1', 447_700_900_001];

const RULES: FieldRule[] = [
  { field: 'id', base: mapRecord, valid: ['a', 'x'.repeat(128), 'r1-000042'], invalid: ['', 'x'.repeat(129), 42, null] },
  { field: 'reporter', base: mapRecord, valid: PLMN_VALID, invalid: PLMN_INVALID },
  { field: 'direction', base: mapRecord, valid: ['in', 'out'], invalid: ['IN', 'both', '', true] },
  { field: 'result', base: mapRecord, valid: ['ok', 'error', 'reject', 'abort', 'timeout'], invalid: ['success', 'OK', 0] },
  { field: 'operation', base: mapRecord, valid: [0, 255, 71], invalid: [-1, 256, 1.5, '71', null] },
  { field: 'operation', base: diameterRecord, valid: [0, 316, 16_777_215], invalid: [-1, 16_777_216, 316.5, '316'] },
  { field: 'callingGt', base: mapRecord, valid: GT_VALID, invalid: GT_INVALID },
  { field: 'calledGt', base: mapRecord, valid: GT_VALID, invalid: GT_INVALID },
  { field: 'application', base: diameterRecord, valid: [0, 16_777_251, 4_294_967_295], invalid: [1.5, '16777251', null] },
  { field: 'originRealm', base: diameterRecord, valid: DNS_VALID, invalid: DNS_INVALID },
  { field: 'originHost', base: diameterRecord, valid: DNS_VALID, invalid: DNS_INVALID },
  { field: 'destinationRealm', base: diameterRecord, valid: DNS_VALID, invalid: DNS_INVALID },
  { field: 'visitedPlmn', base: diameterRecord, valid: PLMN_VALID, invalid: PLMN_INVALID },
  { field: 'idrFlags', base: diameterRecord, valid: [0, 8, 24], invalid: [1.5, '24', true] },
  { field: 'callingSsn', base: mapRecord, valid: [0, 6, 255], invalid: [-1, 256, 6.5, '6'] },
  { field: 'calledSsn', base: mapRecord, valid: [0, 147, 255], invalid: [-1, 256, 147.1, '147'] },
  { field: 'ingress', base: mapRecord, valid: ['', 'ipx-carrier-a', 'x'.repeat(64)], invalid: ['x'.repeat(65), 5] },
  {
    field: 'subscriber',
    base: mapRecord,
    valid: ['hs256.k1.imsi.8c1f0a6b9e2d4c3b', `a${'0'.repeat(15)}`, pseudonym128, 'HS256:K1:MSISDN-0a1b2c3d_x'],
    // Too short, too long, a forbidden character, and long enough but without any letter.
    invalid: ['abcdefghijklmno', `${pseudonym128}0`, 'hs256.k1 imsi.8c1f0a6b9e2d4c3b', '+447700900001234', '2341-5012-3456-789', 1.5],
  },
  { field: 'subscriberPlmn', base: mapRecord, valid: PLMN_VALID, invalid: PLMN_INVALID },
  { field: 'vlrGt', base: mapRecord, valid: GT_VALID, invalid: GT_INVALID },
  { field: 'scAddress', base: mapRecord, valid: GT_VALID, invalid: GT_INVALID },
  { field: 'errorCode', base: mapRecord, valid: [0, 27, 5001, -1], invalid: [1.5, '27', false] },
  { field: 'locationReturned', base: mapRecord, valid: [true, false], invalid: ['true', 1, null] },
  { field: 'firewall', base: mapRecord, valid: ['allow', 'block', 'monitor'], invalid: ['deny', 'ALLOW', ''] },
  { field: 'count', base: mapRecord, valid: [1, 2, 1_000_000], invalid: [0, -1, 1.5, '2'] },
];

describe.each(RULES)('field $field on a $base.name', ({ field, base, valid, invalid }) => {
  test.each(valid.map((value) => [value]))('accepts %j', (value) => {
    expect(accepted(withField(base(), field, value))[field as keyof object]).toEqual(value);
  });

  test.each(invalid.map((value) => [value]))('rejects %j as invalid-field with the path', (value) => {
    const rejection = rejected(withField(base(), field, value));
    expect(rejection).toMatchObject({ reason: 'invalid-field', path: field });
    expect(rejection.message).toContain(`field \`${field}\``);
  });
});

describe('required fields', () => {
  const common = ['id', 'time', 'reporter', 'protocol', 'direction', 'operation', 'result'];
  test.each([...common, 'callingGt', 'calledGt'].map((field) => [field]))('MAP without %s is missing-field', (field) => {
    expect(rejected(without(mapRecord(), field))).toMatchObject({ reason: 'missing-field', path: field });
  });

  test.each([...common, 'application', 'originRealm'].map((field) => [field]))(
    'DIAMETER without %s is missing-field',
    (field) => {
      expect(rejected(without(diameterRecord(), field))).toMatchObject({ reason: 'missing-field', path: field });
    },
  );

  test('the message names the field and, for protocol-specific fields, the protocol', () => {
    expect(rejected(without(mapRecord(), 'callingGt')).message).toBe('field `callingGt` is required for protocol MAP');
    expect(rejected(without(diameterRecord(), 'originRealm')).message).toBe(
      'field `originRealm` is required for protocol DIAMETER',
    );
  });

  test('a record with several faults reports the first and counts the rest', () => {
    const record = withField(without(mapRecord(), 'calledGt'), 'direction', 'sideways');
    expect(rejected(record).message).toMatch(/\(and 1 more problem\)$/);
  });
});

describe('protocol', () => {
  test('CAP is accepted like MAP', () => {
    expect(accepted(withField(mapRecord(), 'protocol', 'CAP')).protocol).toBe('CAP');
  });

  test.each([['SIP'], ['map'], [1]])('%j is invalid-field', (protocol) => {
    expect(rejected(withField(mapRecord(), 'protocol', protocol))).toMatchObject({
      reason: 'invalid-field',
      path: 'protocol',
    });
  });

  test("the other protocol's fields are not part of the record", () => {
    const map = accepted({ ...mapRecord(), originRealm: 'example.org', application: 4 });
    expect(map).not.toHaveProperty('originRealm');
    const diameter = accepted({ ...diameterRecord(), callingGt: '123', calledGt: '456' });
    expect(diameter).not.toHaveProperty('callingGt');
  });
});

describe('schemaVersion', () => {
  test.each([[2], ['1'], [0], [null]])('%j is unsupported-schema-version', (version) => {
    expect(rejected(withField(mapRecord(), 'schemaVersion', version))).toMatchObject({
      reason: 'unsupported-schema-version',
      path: 'schemaVersion',
    });
  });

  test('an absent schemaVersion is missing-field', () => {
    expect(rejected(without(mapRecord(), 'schemaVersion'))).toMatchObject({
      reason: 'missing-field',
      path: 'schemaVersion',
    });
  });
});

describe('unknown fields and defaults', () => {
  test('unknown fields are stripped, at any depth', () => {
    const record = accepted({ ...mapRecord(), vendor: { x: [1, 2] }, note: 'hello' });
    expect(record).not.toHaveProperty('vendor');
    expect(record).not.toHaveProperty('note');
  });

  test('count defaults to 1', () => {
    expect(accepted(mapRecord()).count).toBe(1);
    expect(accepted(withField(mapRecord(), 'count', 7)).count).toBe(7);
  });

  test('the zod schema alone gives the same record as parseSummary', () => {
    const viaSchema = SignallingSummarySchema.parse({ ...mapRecord(), extra: 1 });
    expect(accepted({ ...mapRecord(), extra: 1 })).toEqual(viaSchema);
  });
});
