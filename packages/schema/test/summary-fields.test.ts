import { describe, expect, test } from 'vitest';
import { SignallingSummarySchema } from '../src/summary.js';
import { RULES } from './field-rules.js';
import { accepted, diameterRecord, mapRecord, rejected, withField, without } from './fixtures.js';

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
