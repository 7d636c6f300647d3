/**
 * The single entry point from raw bytes or text to a validated signalling summary. It runs on the processor's
 * hot path, so the common case costs as little as possible: a valid record given as bytes is read by the byte
 * fast path (one scan, no decoding, no JSON.parse); given as text, or when the byte path declines, it takes a
 * UTF-8 check, JSON.parse, one regex over the text and the object fast path. zod runs only for records neither
 * fast path accepts, to give the verdict and the reason; everything else happens only on the way to a rejection.
 */
import { MAX_CLOCK_SKEW_MS, MAX_ORIGINAL_CHARS, MAX_RECORD_BYTES, MIN_EVENT_TIME_MS, PLMN_PATTERN } from './formats.js';
import { scanSummaryBytes } from './byte-fast-path.js';
import { fastParseSummary } from './fast-path.js';
import { describeIssues } from './messages.js';
import type { ParseOptions, ParseResult, RejectReason, Rejection } from './reasons.js';
import {
  findForbiddenKey,
  isAllDigits,
  maskDigitRuns,
  mightHoldForbiddenKey,
  redactParsed,
  redactText,
} from './redact.js';
import { type SignallingSummary, SignallingSummarySchema } from './summary.js';

type JsonObject = Record<string, unknown>;

interface Fault {
  reason: RejectReason;
  message: string;
  path?: string | undefined;
}

function rejection(fault: Fault, reporter: string | null, original: string, truncated: boolean): ParseResult {
  const result: Rejection = { reason: fault.reason, message: fault.message, reporter, original, truncated };
  if (fault.path !== undefined && fault.path !== '') result.path = fault.path;
  return { ok: false, rejection: result };
}

interface StringWellFormedness {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

// ES2024 methods that Node 20 has but the ES2023 lib does not declare.
const wellFormed = (text: string): StringWellFormedness => text as unknown as StringWellFormedness;

// Room past the cut so that a digit run or a `key: value` pair that straddles it is still recognised whole.
const REDACTION_MARGIN = 64;
const TEXT_REPORTER = /"reporter"\s*:\s*"(\d{3}-\d{2,3})"/;

/** Best effort for text that did not parse: the first `"reporter":"MCC-MNC"` pair, if any. */
function reporterInText(text: string): string | null {
  return TEXT_REPORTER.exec(text)?.[1] ?? null;
}

function rejectText(fault: Fault, text: string): ParseResult {
  if (text.length <= MAX_ORIGINAL_CHARS) return rejection(fault, reporterInText(text), redactText(text), false);
  // Redact before cutting (masks keep length), then cut without splitting a surrogate pair.
  const window = redactText(wellFormed(text.slice(0, MAX_ORIGINAL_CHARS + REDACTION_MARGIN)).toWellFormed());
  const lastCode = window.charCodeAt(MAX_ORIGINAL_CHARS - 1);
  const end = lastCode >= 0xd800 && lastCode <= 0xdbff ? MAX_ORIGINAL_CHARS - 1 : MAX_ORIGINAL_CHARS;
  return rejection(fault, reporterInText(window.slice(0, end)), window.slice(0, end), true);
}

const TOO_LARGE: Fault = { reason: 'too-large', message: `the record is larger than ${MAX_RECORD_BYTES} bytes of UTF-8` };
const INVALID_UTF8: Fault = { reason: 'invalid-utf8', message: 'the record is not valid UTF-8 text' };

/** UTF-8 length of a well-formed or ill-formed string (a lone surrogate encodes as U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Text of a string input, or the rejection that stops it. */
function textOfString(input: string): string | ParseResult {
  // UTF-8 needs at least one byte per UTF-16 unit and at most three, so the exact count is rarely needed.
  if (input.length > MAX_RECORD_BYTES) return rejectText(TOO_LARGE, input);
  if (input.length * 3 > MAX_RECORD_BYTES && utf8Length(input) > MAX_RECORD_BYTES) return rejectText(TOO_LARGE, input);
  if (!wellFormed(input).isWellFormed()) return rejectText(INVALID_UTF8, wellFormed(input).toWellFormed());
  return input;
}

// One fatal decoder validates and decodes in a single pass; the lenient one (U+FFFD for bad sequences) makes
// the text copy of a rejected record. Both are stateless between calls when used without `stream`.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** Text of a byte input, or the rejection that stops it. */
function textOfBytes(input: Uint8Array): string | ParseResult {
  if (input.byteLength > MAX_RECORD_BYTES) {
    // Four bytes per character at most: enough bytes to fill the kept prefix and its margin.
    const head = lenientUtf8.decode(input.subarray(0, (MAX_ORIGINAL_CHARS + REDACTION_MARGIN) * 4));
    return rejectText(TOO_LARGE, head);
  }
  try {
    return strictUtf8.decode(input);
  } catch {
    return rejectText(INVALID_UTF8, lenientUtf8.decode(input));
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reporterOf(value: unknown): string | null {
  if (!isJsonObject(value)) return null;
  const reporter = value.reporter;
  return typeof reporter === 'string' && PLMN_PATTERN.test(reporter) ? reporter : null;
}

const MAX_PATH_CHARS = 200;

/**
 * A path built from the record's own keys, made safe to log: digit runs masked like the original, and only the
 * tail kept (the forbidden key itself) when deep nesting would make it longer than the record.
 */
function presentablePath(path: string): string {
  const masked = maskDigitRuns(path);
  return masked.length <= MAX_PATH_CHARS ? masked : `…${masked.slice(-MAX_PATH_CHARS)}`;
}

function rawIdentifierFault(value: unknown): Fault | undefined {
  const found = findForbiddenKey(value);
  if (found === undefined) return undefined;
  const path = presentablePath(found);
  const message = `field \`${path}\` is a raw subscriber identifier; imsi, msisdn, imei and imeisv are forbidden at any depth`;
  return { reason: 'raw-identifier', message, path };
}

/** Faults found before the contract's own fields are checked: privacy first, then the overall shape. */
function preliminaryFault(value: unknown, mayHoldForbiddenKey: boolean): Fault | undefined {
  const rawIdentifier = mayHoldForbiddenKey ? rawIdentifierFault(value) : undefined;
  if (rawIdentifier !== undefined) return rawIdentifier;
  if (!isJsonObject(value)) return { reason: 'not-an-object', message: 'the record must be a JSON object' };
  if (isAllDigits(value.subscriber)) {
    const message = 'field `subscriber` is all digits; it must be a pseudonym, never a raw IMSI or MSISDN';
    return { reason: 'subscriber-not-pseudonymous', message, path: 'subscriber' };
  }
  if (!Object.hasOwn(value, 'schemaVersion')) {
    return { reason: 'missing-field', message: 'field `schemaVersion` is required', path: 'schemaVersion' };
  }
  if (value.schemaVersion !== 1) {
    const message = 'field `schemaVersion` must be 1: this processor reads version 1 of the contract only';
    return { reason: 'unsupported-schema-version', message, path: 'schemaVersion' };
  }
  return undefined;
}

function timeFault(timeMs: number, nowMs: number): Fault | undefined {
  // Written so that a NaN clock rejects every record rather than accepting every future time.
  if (timeMs >= MIN_EVENT_TIME_MS && timeMs <= nowMs + MAX_CLOCK_SKEW_MS) return undefined;
  const message = 'field `time` must be no earlier than 2000-01-01T00:00:00Z and at most 1 hour after the processor clock';
  return { reason: 'time-out-of-range', message, path: 'time' };
}

function rejectParsed(fault: Fault, value: unknown, text: string, mayHoldForbiddenKey: boolean): ParseResult {
  const reporter = reporterOf(value);
  return rejection(fault, reporter, redactParsed(value, text, mayHoldForbiddenKey), false);
}

const INVALID_JSON: Fault = { reason: 'invalid-json', message: 'the record is not valid JSON' };

function parseText(text: string, nowMs: number, fast: boolean): ParseResult {
  // RFC 8259 §8.1 lets a parser ignore a byte order mark; producers on some platforms write one.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return rejectText(INVALID_JSON, json);
  }
  const mayHoldForbiddenKey = mightHoldForbiddenKey(json);
  if (fast && !mayHoldForbiddenKey && isJsonObject(value)) {
    // The fast path accepting implies that every check of preliminaryFault passes (a valid subscriber has a
    // letter, schemaVersion is 1), so only the clock remains.
    const record = fastParseSummary(value);
    if (record !== undefined) return accept(record, value, json, nowMs);
  }
  return parseSlowly(value, json, mayHoldForbiddenKey, nowMs);
}

function accept(record: SignallingSummary, value: unknown, json: string, nowMs: number): ParseResult {
  const late = timeFault(record.time, nowMs);
  return late === undefined ? { ok: true, record } : rejectParsed(late, value, json, false);
}

/** All checks in reason order, with zod as the judge of the contract's fields. */
function parseSlowly(value: unknown, json: string, mayHoldForbiddenKey: boolean, nowMs: number): ParseResult {
  const fault = preliminaryFault(value, mayHoldForbiddenKey);
  if (fault !== undefined) return rejectParsed(fault, value, json, mayHoldForbiddenKey);
  const result = SignallingSummarySchema.safeParse(value);
  if (!result.success) return rejectParsed(describeIssues(result.error.issues, value as JsonObject), value, json, false);
  return accept(result.data, value, json, nowMs);
}

function parseInput(input: Uint8Array | string, nowMs: number, fast: boolean): ParseResult {
  let text: string | ParseResult;
  if (typeof input === 'string') {
    text = textOfString(input);
  } else if (input instanceof Uint8Array) {
    if (fast && input.byteLength <= MAX_RECORD_BYTES) {
      // Only acceptances come out of the byte fast path; every other outcome is the generic route's.
      const record = scanSummaryBytes(input);
      if (record !== undefined && timeFault(record.time, nowMs) === undefined) return { ok: true, record };
    }
    text = textOfBytes(input);
  } else {
    return internalFailure('the input must be a string or a Uint8Array');
  }
  return typeof text === 'string' ? parseText(text, nowMs, fast) : text;
}

function internalFailure(message: string, input?: unknown): ParseResult {
  let original = '';
  try {
    if (typeof input === 'string') original = redactText(input.slice(0, MAX_ORIGINAL_CHARS));
  } catch {
    // Keep the empty copy: the dead letter must be written even when the input defeats the redactor.
  }
  const truncated = typeof input === 'string' && input.length > MAX_ORIGINAL_CHARS;
  return rejection({ reason: 'invalid-json', message }, null, original, truncated);
}

/**
 * Parses one signalling summary (signalling-summary-v1.md) from UTF-8 bytes or text. Never throws: every
 * failure is a rejection with a stable reason code and a redacted copy of the input for the dead letter.
 * `nowMs` is the processor clock; records more than 1 hour ahead of it are rejected.
 */
export function parseSummary(input: Uint8Array | string, options: ParseOptions): ParseResult {
  return parseGuarded(input, options, true);
}

/**
 * parseSummary without its two fast paths: JSON.parse, the privacy checks and zod alone. Internal (not exported
 * by the package): the reference the fast paths are tested against.
 */
export function parseSummaryGenerically(input: Uint8Array | string, options: ParseOptions): ParseResult {
  return parseGuarded(input, options, false);
}

function parseGuarded(input: Uint8Array | string, options: ParseOptions, fast: boolean): ParseResult {
  try {
    return parseInput(input, options.nowMs, fast);
  } catch {
    // Unreachable by design; kept so that a bug costs one record, never the consumer loop.
    return internalFailure('the record could not be processed', input);
  }
}

/**
 * A per-reporter input topic carries one operator's records only. For a record that parsed (`parseSummary`) from
 * the topic of `topicReporter`: null when its `reporter` is that PLMN, else the `reporter-mismatch` rejection (with
 * the same redacted original every rejection carries), so that one operator cannot write in another's name.
 */
export function reporterMismatch(record: SignallingSummary, input: Uint8Array | string, topicReporter: string): Rejection | null {
  if (record.reporter === topicReporter) return null;
  const text = typeof input === 'string' ? input : lenientUtf8.decode(input);
  const fault: Fault = {
    reason: 'reporter-mismatch',
    message: `the record's reporter is not ${topicReporter}, the operator whose input topic it arrived on`,
    path: 'reporter',
  };
  const result = rejectText(fault, text);
  return result.ok ? null : { ...result.rejection, reporter: record.reporter };
}
