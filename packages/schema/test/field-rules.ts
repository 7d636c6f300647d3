/** The per-field fixtures: values the contract accepts and values it rejects, on a base record of each protocol. */
import { diameterRecord, mapRecord } from './fixtures.js';

export type Base = () => Record<string, unknown>;

export interface FieldRule {
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

export const RULES: FieldRule[] = [
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

