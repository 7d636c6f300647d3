/**
 * Human messages for contract violations. They are written here rather than taken from zod so that they are
 * stable, name the field and the rule as the contract states it, and never echo a value from the record
 * (which could be a raw identifier).
 */
import type * as z from 'zod';
import type { RejectReason } from './reasons.js';

const FIELD_RULES: Readonly<Record<string, string>> = {
  schemaVersion: 'must be 1',
  id: 'must be a string of 1–128 characters',
  time: 'must be an RFC 3339 date-time with an offset (Z or ±hh:mm) or an integer of epoch milliseconds',
  reporter: 'must be a PLMN id MCC-MNC (3 digits, a hyphen, 2–3 digits)',
  protocol: 'must be "MAP", "CAP" or "DIAMETER"',
  direction: 'must be "in" or "out"',
  result: 'must be "ok", "error", "reject", "abort" or "timeout"',
  callingGt: 'must be 1–15 digits',
  calledGt: 'must be 1–15 digits',
  application: 'must be an integer',
  originRealm: 'must be a DNS name of at most 255 characters',
  originHost: 'must be a DNS name of at most 255 characters',
  destinationRealm: 'must be a DNS name of at most 255 characters',
  visitedPlmn: 'must be a PLMN id MCC-MNC (3 digits, a hyphen, 2–3 digits)',
  idrFlags: 'must be an integer',
  callingSsn: 'must be an integer 0–255',
  calledSsn: 'must be an integer 0–255',
  ingress: 'must be a string of at most 64 characters',
  subscriber: 'must be a pseudonym: 16–128 characters of A-Z a-z 0-9 . _ : - with at least one letter',
  subscriberPlmn: 'must be a PLMN id MCC-MNC (3 digits, a hyphen, 2–3 digits)',
  vlrGt: 'must be 1–15 digits',
  scAddress: 'must be 1–15 digits',
  errorCode: 'must be an integer',
  locationReturned: 'must be true or false',
  firewall: 'must be "allow", "block" or "monitor"',
  count: 'must be an integer of at least 1',
};

function operationRule(protocol: unknown): string {
  if (protocol === 'DIAMETER') return 'must be an integer 0–16777215 (a Diameter command code)';
  if (protocol === 'MAP' || protocol === 'CAP') return `must be an integer 0–255 (a ${protocol} operation code)`;
  return 'must be an integer';
}

const PROTOCOL_SPECIFIC = new Set(['callingGt', 'calledGt', 'application', 'originRealm']);

export interface FieldFault {
  reason: RejectReason;
  message: string;
  path: string;
}

function andMore(count: number): string {
  if (count <= 0) return '';
  return count === 1 ? ' (and 1 more problem)' : ` (and ${count} more problems)`;
}

/** Turns the first zod issue into a rejection reason and message; the record is a plain object. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], record: Record<string, unknown>): FieldFault {
  const first = issues[0];
  const field = first === undefined || first.path.length === 0 ? '' : String(first.path[0]);
  const more = andMore(issues.length - 1);
  if (field === '') return { reason: 'invalid-field', message: `the record does not match the contract${more}`, path: '' };
  if (!Object.hasOwn(record, field)) {
    const scope = PROTOCOL_SPECIFIC.has(field) ? ` for protocol ${String(record.protocol)}` : '';
    return { reason: 'missing-field', message: `field \`${field}\` is required${scope}${more}`, path: field };
  }
  const rule = field === 'operation' ? operationRule(record.protocol) : (FIELD_RULES[field] ?? 'is invalid');
  return { reason: 'invalid-field', message: `field \`${field}\` ${rule}${more}`, path: field };
}
