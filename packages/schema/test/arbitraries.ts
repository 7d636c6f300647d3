/**
 * fast-check generators of signalling-summary-like objects: mostly valid values with boundary cases, wrong
 * types, missing and unknown fields mixed in, so that random records land on both sides of every rule.
 */
import fc from 'fast-check';

/** Every property test uses a fixed seed, so a failure reproduces exactly. */
export const SEED = 20_261_130;

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** A field's generators: values the contract accepts, and values near them that it does not. */
interface FieldArbitraries {
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}

function field(valid: fc.Arbitrary<unknown>, ...invalid: fc.Arbitrary<unknown>[]): FieldArbitraries {
  return { valid, invalid: fc.oneof(...invalid, anyJson) };
}

const digitChar = fc.constantFrom(...'0123456789');
const digits = (min: number, max: number) => fc.string({ unit: digitChar, minLength: min, maxLength: max });
const labelChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

function intIn(min: number, max: number): FieldArbitraries {
  return field(
    fc.integer({ min, max }),
    fc.constantFrom(min - 1, max + 1, min + 0.5, 2 ** 53, -(2 ** 53), 1e300, String(min)),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
}

const validPlmn = digits(3, 3).chain((mcc) => digits(2, 3).map((mnc) => `${mcc}-${mnc}`));
const plmn = field(validPlmn, fc.constantFrom('234-1', '2341-15', '234-1234', '23415', ''));
const gt = field(digits(1, 15), digits(16, 18), fc.constantFrom('', '+44770', '44 77', '12a'));
const label = fc
  .tuple(labelChar, fc.string({ unit: fc.oneof(labelChar, fc.constant('-')), maxLength: 8 }), labelChar)
  .map(([first, middle, last]) => (middle === '' ? first : `${first}${middle}${last}`));
const dnsName = field(
  fc.oneof({ weight: 4, arbitrary: fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.')) }, fc.domain()),
  fc.constantFrom('', '-a.b', 'a-.b', 'a..b', 'a_b.org', 'a.b.', `${'a'.repeat(64)}.org`, `${'a.'.repeat(128)}a`),
  fc.string({ maxLength: 20 }),
);

const isoInstant = fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true });
const rfc3339 = fc
  .tuple(isoInstant, fc.constantFrom('Z', '+05:30', '-08:00', '+00:00'), fc.stringMatching(/^(\.\d{1,6})?$/))
  .map(([date, offset, fraction]) => `${date.toISOString().slice(0, 19)}${fraction}${offset}`);
const time = field(
  fc.oneof(rfc3339, fc.integer({ min: 900_000_000_000, max: 1_900_000_000_000 })),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-11-30T10:00:00', '2026-11-30T24:00:00Z', '1796033702120', 1.5e12 + 0.5),
  fc.string({ maxLength: 30 }),
);

const subscriber = field(
  fc.tuple(labelChar, fc.string({ unit: fc.oneof(labelChar, fc.constantFrom('.', '_', ':', '-')), minLength: 15, maxLength: 40 }))
    .map(([first, rest]) => `k${first}${rest}`),
  digits(1, 20),
  fc.string({ unit: fc.constantFrom(...'0123456789._:-'), minLength: 16, maxLength: 20 }),
  fc.string({ minLength: 10, maxLength: 140 }),
);

const COMMON: Record<string, FieldArbitraries> = {
  schemaVersion: field(fc.constant(1), fc.constantFrom(0, 2, '1', 1.5)),
  id: field(fc.string({ minLength: 1, maxLength: 128 }), fc.constantFrom('', 'x'.repeat(129))),
  time,
  reporter: plmn,
  direction: field(fc.constantFrom('in', 'out'), fc.constantFrom('IN', 'both', '')),
  result: field(fc.constantFrom('ok', 'error', 'reject', 'abort', 'timeout'), fc.constantFrom('OK', 'success')),
};

const OPTIONAL: Record<string, FieldArbitraries> = {
  originHost: dnsName,
  destinationRealm: dnsName,
  visitedPlmn: plmn,
  idrFlags: intIn(0, 2 ** 32),
  callingSsn: intIn(0, 255),
  calledSsn: intIn(0, 255),
  ingress: field(fc.string({ maxLength: 64 }), fc.string({ minLength: 65, maxLength: 70 })),
  subscriber,
  subscriberPlmn: plmn,
  vlrGt: gt,
  scAddress: gt,
  errorCode: intIn(-10, 6000),
  locationReturned: field(fc.boolean(), fc.constantFrom('true', 0)),
  firewall: field(fc.constantFrom('allow', 'block', 'monitor'), fc.constantFrom('deny', 'ALLOW')),
  count: intIn(1, 1_000_000),
};

const MAP: Record<string, FieldArbitraries> = {
  protocol: field(fc.constantFrom('MAP', 'CAP'), fc.constantFrom('map', 'SIP', 'DIAMETER')),
  operation: intIn(0, 255),
  callingGt: gt,
  calledGt: gt,
};

const DIAMETER: Record<string, FieldArbitraries> = {
  protocol: field(fc.constant('DIAMETER'), fc.constantFrom('Diameter', 'MAP')),
  operation: intIn(0, 16_777_215),
  application: intIn(0, 2 ** 32),
  originRealm: dnsName,
};

type JsonRecord = Record<string, unknown>;

const validOf = (fields: Record<string, FieldArbitraries>) =>
  Object.fromEntries(Object.entries(fields).map(([key, arbitraries]) => [key, arbitraries.valid]));

/** A valid record of one protocol, with a random subset of the optional fields. */
function validRecord(protocolFields: Record<string, FieldArbitraries>): fc.Arbitrary<JsonRecord> {
  return fc
    .tuple(
      fc.record(validOf({ ...COMMON, ...protocolFields })),
      fc.record(validOf(OPTIONAL), { requiredKeys: [] }),
    )
    .map(([required, optional]) => ({ ...required, ...optional }));
}

/** One way to break a record: a field set to a nearby invalid value, or removed. */
function mutation(fields: Record<string, FieldArbitraries>): fc.Arbitrary<[string, unknown]> {
  const keys = Object.keys(fields);
  return fc.constantFrom(...keys).chain((key) =>
    fc.oneof(
      { weight: 4, arbitrary: (fields[key] as FieldArbitraries).invalid.map((value): [string, unknown] => [key, value]) },
      { weight: 1, arbitrary: fc.constant<[string, unknown]>([key, undefined]) },
    ),
  );
}

function recordOf(protocolFields: Record<string, FieldArbitraries>): fc.Arbitrary<JsonRecord> {
  const all = { ...COMMON, ...OPTIONAL, ...protocolFields };
  return fc
    .tuple(
      validRecord(protocolFields),
      fc.oneof(fc.constant([]), fc.array(mutation(all), { minLength: 1, maxLength: 2 })),
      fc.option(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }), { freq: 3 }),
    )
    .map(([record, mutations, unknown]) => {
      const result: JsonRecord = { ...(unknown ?? {}), ...record };
      for (const [key, value] of mutations) {
        if (value === undefined) delete result[key];
        else result[key] = value;
      }
      // Through JSON, so that the values are exactly what JSON.parse can produce.
      return JSON.parse(JSON.stringify(result)) as JsonRecord;
    });
}

/** A summary-shaped object: about half valid, the rest one or two rules away from it. */
export const summaryLike: fc.Arbitrary<JsonRecord> = fc.oneof(recordOf(MAP), recordOf(DIAMETER));

const FORBIDDEN = ['imsi', 'IMSI', 'Msisdn', 'imei', 'IMEISV', 'iMsI'];

/** Puts a forbidden key somewhere in the record: top level, or nested in objects and arrays. */
export const withRawIdentifier: fc.Arbitrary<JsonRecord> = fc
  .tuple(summaryLike, fc.constantFrom(...FORBIDDEN), fc.oneof(digits(5, 17), anyJson), fc.array(fc.constantFrom('object', 'array'), { maxLength: 4 }))
  .map(([record, key, value, nesting]) => {
    let nested: unknown = { [key]: value };
    for (const kind of nesting) nested = kind === 'array' ? [1, nested] : { inner: nested };
    return nesting.length === 0 ? { ...record, [key]: value } : { ...record, extra: nested };
  });

/** Independent oracle for the any-depth rule (recursion is fine at these depths). */
export function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, child]) => ['imsi', 'msisdn', 'imei', 'imeisv'].includes(key.toLowerCase()) || hasForbiddenKey(child),
  );
}
