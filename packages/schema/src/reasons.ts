import type { SignallingSummary } from './summary.js';

/**
 * Stable machine codes for a rejected signalling summary. They appear in dead letters, metrics and docs, so a
 * code is never renamed or reused; a new failure gets a new code. When a record has several faults, the first
 * in this order wins: privacy faults (once the text is parsed) before shape faults, so that every privacy
 * incident is counted as one.
 *
 * - `too-large`: more than 16 KiB (16384 bytes) of UTF-8. Checked before anything else, so a huge record costs
 *   nothing to reject.
 * - `invalid-utf8`: bytes that are not well-formed UTF-8 (for string input: a lone UTF-16 surrogate, which no
 *   UTF-8 text can produce).
 * - `invalid-json`: not a single JSON text. Also the code of the last-resort catch in `parseSummary`, which a
 *   bug or a caller passing neither a string nor bytes could reach.
 * - `raw-identifier`: a key named `imsi`, `msisdn`, `imei` or `imeisv` (any letter case) at any depth,
 *   including in arrays and unknown fields. `path` points at the first one in document order.
 * - `not-an-object`: valid JSON whose top level is not an object (array, string, number, boolean, null).
 * - `subscriber-not-pseudonymous`: `subscriber` is all digits (a raw IMSI or MSISDN, as a string or a number).
 * - `unsupported-schema-version`: `schemaVersion` is present but not `1`.
 * - `missing-field`: a field the contract requires (for the record's protocol) is absent.
 * - `invalid-field`: a field is present with a wrong type, range or format.
 * - `time-out-of-range`: `time` is before 2000-01-01T00:00:00Z or more than 1 hour after the processor clock.
 * - `reporter-mismatch`: a valid record read from an operator's own input topic (`signalling.v1.<MCC-MNC>`)
 *   whose `reporter` is another PLMN: one operator must not write in another's name (`reporterMismatch`).
 */
export const REJECT_REASONS = [
  'too-large',
  'invalid-utf8',
  'invalid-json',
  'raw-identifier',
  'not-an-object',
  'subscriber-not-pseudonymous',
  'unsupported-schema-version',
  'missing-field',
  'invalid-field',
  'time-out-of-range',
  'reporter-mismatch',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  /** A human sentence naming the field; never contains a value from the record. */
  message: string;
  /** Where the fault is, e.g. `callingGt` or `extra[1].IMSI`; absent when it concerns the whole record. */
  path?: string;
  /** The record's `reporter` when it is a valid PLMN id, else null. */
  reporter: string | null;
  /** The original text with raw identifiers masked (see redact.ts). */
  original: string;
  /** True when `original` was cut to its first 4096 characters. */
  truncated: boolean;
}

export type ParseResult = { ok: true; record: SignallingSummary } | { ok: false; rejection: Rejection };

export interface ParseOptions {
  /** The processor's clock in epoch milliseconds, passed in so that parsing never reads the wall clock. */
  nowMs: number;
}
