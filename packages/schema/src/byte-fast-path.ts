/**
 * The byte-level fast path: reads a signalling summary straight from its UTF-8 bytes, validating while it scans,
 * without decoding the text, building JSON.parse's intermediate object or running a regex.
 *
 * Why: on the scorer's hot path the generic route (UTF-8 decode, JSON.parse, then the object-level fast path)
 * cost about three times JSON.parse alone, most of it in work a flat, ASCII, well-formed record does not need.
 *
 * It only ever ACCEPTS. It understands the shape producers actually send — one flat JSON object, ASCII strings
 * without escapes, integers as plain digits — and returns `undefined` for anything else (an escape, a non-ASCII
 * byte, a nested value, a fraction or exponent in a contract field, a duplicate key, a key spelling a raw
 * identifier, any rule violation), so that the generic route decides and explains, exactly as before. Accepting
 * is allowed only where the generic route accepts with the same record, key order included;
 * test/byte-fast-path.test.ts checks that on valid records, on every field fixture and on random bytes.
 */
import { daysFromCivil, DNS_NAME_MAX_LENGTH, MS_PER_DAY } from './formats.js';
import type { SignallingSummary } from './summary.js';

// Field ids. The order is the zod shape's, which is the order of the output's keys.
const SCHEMA_VERSION = 0;
const ID = 1;
const TIME = 2;
const REPORTER = 3;
const DIRECTION = 4;
const RESULT = 5;
const ORIGIN_HOST = 6;
const DESTINATION_REALM = 7;
const VISITED_PLMN = 8;
const IDR_FLAGS = 9;
const CALLING_SSN = 10;
const CALLED_SSN = 11;
const INGRESS = 12;
const SUBSCRIBER = 13;
const SUBSCRIBER_PLMN = 14;
const VLR_GT = 15;
const SC_ADDRESS = 16;
const ERROR_CODE = 17;
const LOCATION_RETURNED = 18;
const FIREWALL = 19;
const COUNT = 20;
const PROTOCOL = 21;
const OPERATION = 22;
const CALLING_GT = 23;
const CALLED_GT = 24;
const APPLICATION = 25;
const ORIGIN_REALM = 26;

/** Every field of both protocols' schemas; a test keeps this list equal to the zod shapes. */
export const FIELD_NAMES = [
  'schemaVersion', 'id', 'time', 'reporter', 'direction', 'result', 'originHost', 'destinationRealm', 'visitedPlmn',
  'idrFlags', 'callingSsn', 'calledSsn', 'ingress', 'subscriber', 'subscriberPlmn', 'vlrGt', 'scAddress', 'errorCode',
  'locationReturned', 'firewall', 'count', 'protocol', 'operation', 'callingGt', 'calledGt', 'application',
  'originRealm',
] as const;

/*
 * String formats checked while scanning, so a value is read once: the check, the hash for interning and the
 * search for the closing quote are one loop. A value that fails its format ends the fast path (the record may
 * still be valid — e.g. a MAP record ignores `originRealm` — and the generic route will say so).
 */
const ANY = 0;
const GT = 1;
const PLMN = 2;
const DNS = 3;
const PSEUDONYM = 4;
/** Free text that repeats across records (ingress labels): hashed while scanned so that it can be interned. */
const LABEL = 5;
const FORMATS = new Uint8Array(FIELD_NAMES.length);
for (const field of [CALLING_GT, CALLED_GT, VLR_GT, SC_ADDRESS]) FORMATS[field] = GT;
for (const field of [REPORTER, VISITED_PLMN, SUBSCRIBER_PLMN]) FORMATS[field] = PLMN;
for (const field of [ORIGIN_REALM, ORIGIN_HOST, DESTINATION_REALM]) FORMATS[field] = DNS;
FORMATS[SUBSCRIBER] = PSEUDONYM;
FORMATS[INGRESS] = LABEL;

// Value kinds.
const STRING = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function codesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

const NAME_BYTES = FIELD_NAMES.map(codesOf);

/*
 * Byte ranges known to lie inside the input are compared four bytes at a time, through a DataView of the input's
 * buffer: a typed-array element read costs about as much as a word read, so this is about four times fewer reads.
 * The view is made again only when the input lives in another buffer (records sliced from one batch share one).
 */
let inputBuffer: ArrayBufferLike = new ArrayBuffer(0);
let inputView: DataView<ArrayBufferLike> = new DataView(inputBuffer);
/** Where the current input starts in `inputView`. */
let inputOffset = 0;

function useInput(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (buffer !== inputBuffer) {
    inputBuffer = buffer;
    inputView = new DataView(buffer);
  }
  inputOffset = bytes.byteOffset;
}

/** Whether the input's `length` bytes at `start` equal those of `stored` at `base`. */
function equalBytes(bytes: Uint8Array, start: number, length: number, stored: Uint8Array, storedView: DataView, base: number): boolean {
  const offset = inputOffset + start;
  let k = 0;
  for (; k + 4 <= length; k += 4) if (inputView.getInt32(offset + k, true) !== storedView.getInt32(base + k, true)) return false;
  for (; k < length; k++) if (bytes[start + k] !== stored[base + k]) return false;
  return true;
}

/** All names in one buffer, each at NAME_OFFSETS[field], for word-wise comparison. */
const NAME_STORE = new Uint8Array(NAME_BYTES.reduce((total, name) => total + name.length, 0));
const NAME_STORE_VIEW = new DataView(NAME_STORE.buffer);
const NAME_OFFSETS = new Int32Array(NAME_BYTES.length);
const NAME_LENGTHS = new Int32Array(NAME_BYTES.length);
for (let field = 0, offset = 0; field < NAME_BYTES.length; field++) {
  const name = NAME_BYTES[field] as Uint8Array;
  NAME_STORE.set(name, offset);
  NAME_OFFSETS[field] = offset;
  NAME_LENGTHS[field] = name.length;
  offset += name.length;
}

/*
 * A key is matched in place against the contract's names that start with its first byte, the match ending at the
 * closing quote: known keys are read once, with no search for the quote first. Only other keys are scanned.
 */
const CANDIDATES: number[][] = Array.from({ length: 128 }, () => []);
for (let field = 0; field < NAME_BYTES.length; field++) (CANDIDATES[(NAME_BYTES[field] as Uint8Array)[0] as number] as number[]).push(field);

/** Set by `knownKey`: the index of the closing quote of the key it matched. */
let keyEnd = 0;

/** The field whose name the key starting at `start` spells exactly, or -1. */
function knownKey(bytes: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  const first = bytes[start] as number;
  if (first >= 128) return -1;
  const candidates = CANDIDATES[first] as number[];
  for (let c = 0; c < candidates.length; c++) {
    const field = candidates[c] as number;
    const length = NAME_LENGTHS[field] as number;
    const close = start + length;
    if (close >= end || bytes[close] !== QUOTE) continue;
    if (equalBytes(bytes, start, length, NAME_STORE, NAME_STORE_VIEW, NAME_OFFSETS[field] as number)) {
      keyEnd = close;
      return field;
    }
  }
  return -1;
}

// Per-call scratch, reused so that scanning allocates nothing. Only fields whose bit is set in `seen` are read.
const kinds = new Uint8Array(FIELD_NAMES.length);
const starts = new Int32Array(FIELD_NAMES.length);
const ends = new Int32Array(FIELD_NAMES.length);
const numbers = new Float64Array(FIELD_NAMES.length);
/** FNV-1a of GT, PLMN, DNS and label values, taken while scanning them, for the intern cache. */
const hashes = new Int32Array(FIELD_NAMES.length);

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
// Node's one-copy string constructor for bytes already known to be ASCII; it accepts any Uint8Array.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: Latin1Slice }).latin1Slice;

function fresh(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end);
}

/*
 * Values that repeat across records (reporters, PLMNs, GTs, realms, ingress labels) come from a small
 * direct-mapped cache instead of a new string each time: cheaper than creating it, and the records and the state
 * built from them share one copy. A collision replaces the slot, so memory stays bounded whatever the input.
 */
const INTERN_SLOTS = 8192;
const INTERN_MAX_LENGTH = 64;
const internHashes = new Int32Array(INTERN_SLOTS);
const internLengths = new Int32Array(INTERN_SLOTS).fill(-1);
const internBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX_LENGTH);
const internView = new DataView(internBytes.buffer);
const internStrings: string[] = new Array<string>(INTERN_SLOTS).fill('');

function interned(bytes: Uint8Array, start: number, end: number, hash: number): string {
  const length = end - start;
  if (length > INTERN_MAX_LENGTH) return fresh(bytes, start, end);
  const slot = (hash ^ (hash >>> 15)) & (INTERN_SLOTS - 1);
  const base = slot * INTERN_MAX_LENGTH;
  if (internHashes[slot] === hash && internLengths[slot] === length && equalBytes(bytes, start, length, internBytes, internView, base)) {
    return internStrings[slot] as string;
  }
  const value = fresh(bytes, start, end);
  for (let k = 0; k < length; k++) internBytes[base + k] = bytes[start + k] as number;
  internHashes[slot] = hash;
  internLengths[slot] = length;
  internStrings[slot] = value;
  return value;
}

function skipSpace(bytes: Uint8Array, index: number, end: number): number {
  let i = index;
  while (i < end) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    i++;
  }
  return i;
}

/** `imsi`, `msisdn`, `imei`, `imeisv` in any letter case: such a record must go the generic way to be rejected. */
function isForbiddenKey(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length !== 4 && length !== 6) return false;
  let lower = '';
  for (let k = start; k < end; k++) lower += String.fromCharCode((bytes[k] as number) | 0x20);
  return lower === 'imsi' || lower === 'imei' || lower === 'msisdn' || lower === 'imeisv';
}

/** Index of the quote closing a string that starts at `index`, or -1 for an escape, a control or non-ASCII byte. */
function stringEnd(bytes: Uint8Array, index: number, end: number): number {
  for (let i = index; i < end; i++) {
    const b = bytes[i] as number;
    // One comparison passes the common bytes; the rest are sorted out below.
    if (b > QUOTE && b !== BACKSLASH && b < 0x80) continue;
    if (b === QUOTE) return i;
    if (b !== 0x20 && b !== 0x21) return -1;
  }
  return -1;
}

/** stringEnd, also hashing the bytes for the intern cache (an unhashed value would always land in one slot). */
function labelEnd(bytes: Uint8Array, index: number, end: number, field: number): number {
  let hash = FNV_OFFSET;
  for (let i = index; i < end; i++) {
    const b = bytes[i] as number;
    if (b > QUOTE && b !== BACKSLASH && b < 0x80) {
      hash = Math.imul(hash ^ b, FNV_PRIME);
      continue;
    }
    if (b === QUOTE) {
      hashes[field] = hash;
      return i;
    }
    if (b !== 0x20 && b !== 0x21) return -1;
    hash = Math.imul(hash ^ b, FNV_PRIME);
  }
  return -1;
}

/** GT digits up to the closing quote: its index, or -1 when the value is not 1–15 digits. */
function gtEnd(bytes: Uint8Array, index: number, end: number, field: number): number {
  let hash = FNV_OFFSET;
  let i = index;
  for (; i < end; i++) {
    const b = bytes[i] as number;
    if (b < DIGIT_0 || b > DIGIT_9) break;
    hash = Math.imul(hash ^ b, FNV_PRIME);
  }
  if (i >= end || bytes[i] !== QUOTE || i === index || i - index > 15) return -1;
  hashes[field] = hash;
  return i;
}

/** `\d{3}-\d{2,3}` up to the closing quote: its index, or -1. */
function plmnEnd(bytes: Uint8Array, index: number, end: number, field: number): number {
  const length = bytes[index + 6] === QUOTE ? 6 : bytes[index + 7] === QUOTE ? 7 : -1;
  if (length < 0 || index + length >= end || bytes[index + 3] !== MINUS) return -1;
  let hash = FNV_OFFSET;
  for (let k = index; k < index + length; k++) {
    const b = bytes[k] as number;
    if (k !== index + 3 && (b < DIGIT_0 || b > DIGIT_9)) return -1;
    hash = Math.imul(hash ^ b, FNV_PRIME);
  }
  hashes[field] = hash;
  return index + length;
}

function isAlphanumeric(b: number): boolean {
  return (b >= DIGIT_0 && b <= DIGIT_9) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** DNS_NAME_PATTERN and the 255-character bound up to the closing quote: its index, or -1. */
function dnsEnd(bytes: Uint8Array, index: number, end: number, field: number): number {
  let hash = FNV_OFFSET;
  let labelStart = index;
  let i = index;
  for (; i < end; i++) {
    const b = bytes[i] as number;
    if (b === QUOTE || b === DOT) {
      const length = i - labelStart;
      if (length < 1 || length > 63 || bytes[labelStart] === MINUS || bytes[i - 1] === MINUS) return -1;
      if (b === QUOTE) break;
      labelStart = i + 1;
    } else if (b !== MINUS && !isAlphanumeric(b)) {
      return -1;
    }
    hash = Math.imul(hash ^ b, FNV_PRIME);
  }
  if (i >= end || i - index > DNS_NAME_MAX_LENGTH) return -1;
  hashes[field] = hash;
  return i;
}

/** SUBSCRIBER_PATTERN up to the closing quote (16–128 of [A-Za-z0-9._:-], a letter among them): its index, or -1. */
function pseudonymEnd(bytes: Uint8Array, index: number, end: number): number {
  let letter = false;
  let i = index;
  for (; i < end; i++) {
    const b = bytes[i] as number;
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) letter = true;
    else if (!(b >= DIGIT_0 && b <= DIGIT_9) && b !== DOT && b !== 0x5f /* _ */ && b !== COLON && b !== MINUS) break;
  }
  if (i >= end || bytes[i] !== QUOTE || !letter || i - index < 16 || i - index > 128) return -1;
  return i;
}

function literalAt(bytes: Uint8Array, index: number, literal: Uint8Array): boolean {
  for (let k = 0; k < literal.length; k++) if (bytes[index + k] !== literal[k]) return false;
  return true;
}

const TRUE_BYTES = codesOf('true');
const FALSE_BYTES = codesOf('false');
const NULL_BYTES = codesOf('null');

/**
 * Scans one flat object into the scratch arrays. Returns the bit set of the contract fields present, or -1 when
 * the input is outside what this path handles (the generic route then decides).
 */
function scan(bytes: Uint8Array): number {
  const end = bytes.length;
  let i = skipSpace(bytes, 0, end);
  if (bytes[i] !== OPEN_BRACE) return -1;
  i = skipSpace(bytes, i + 1, end);
  let seen = 0;
  for (;;) {
    if (i >= end || bytes[i] !== QUOTE) return -1;
    const keyStart = ++i;
    const field = knownKey(bytes, keyStart, end);
    if (field >= 0) {
      i = keyEnd;
    } else {
      i = stringEnd(bytes, keyStart, end);
      if (i < 0 || isForbiddenKey(bytes, keyStart, i)) return -1;
    }
    i = skipSpace(bytes, i + 1, end);
    if (i >= end || bytes[i] !== COLON) return -1;
    i = skipSpace(bytes, i + 1, end);
    if (i >= end) return -1;
    const first = bytes[i] as number;
    let kind: number;
    if (first === QUOTE) {
      const valueStart = ++i;
      const format = field >= 0 ? (FORMATS[field] as number) : ANY;
      if (format === ANY) i = stringEnd(bytes, i, end);
      else if (format === GT) i = gtEnd(bytes, i, end, field);
      else if (format === PLMN) i = plmnEnd(bytes, i, end, field);
      else if (format === DNS) i = dnsEnd(bytes, i, end, field);
      else if (format === LABEL) i = labelEnd(bytes, i, end, field);
      else i = pseudonymEnd(bytes, i, end);
      if (i < 0) return -1;
      if (field >= 0) {
        starts[field] = valueStart;
        ends[field] = i;
      }
      i++;
      kind = STRING;
    } else if (first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) {
      // RFC 8259 number grammar; only a plain integer of at most 15 digits is taken as a value, anything else
      // (valid or not) in a contract field goes the generic way.
      const negative = first === MINUS;
      if (negative) i++;
      const digitsStart = i;
      let value = 0;
      let b = i < end ? (bytes[i] as number) : -1;
      if (b === DIGIT_0) {
        i++;
      } else if (b > DIGIT_0 && b <= DIGIT_9) {
        while (b >= DIGIT_0 && b <= DIGIT_9) {
          value = value * 10 + (b - DIGIT_0);
          i++;
          b = i < end ? (bytes[i] as number) : -1;
        }
      } else {
        return -1;
      }
      let plainInteger = i - digitsStart <= 15 && !(negative && value === 0);
      b = i < end ? (bytes[i] as number) : -1;
      if (b === DOT) {
        plainInteger = false;
        i++;
        const fractionStart = i;
        while (i < end && (bytes[i] as number) >= DIGIT_0 && (bytes[i] as number) <= DIGIT_9) i++;
        if (i === fractionStart) return -1;
        b = i < end ? (bytes[i] as number) : -1;
      }
      if (b === 0x65 /* e */ || b === 0x45 /* E */) {
        plainInteger = false;
        i++;
        if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
        const exponentStart = i;
        while (i < end && (bytes[i] as number) >= DIGIT_0 && (bytes[i] as number) <= DIGIT_9) i++;
        if (i === exponentStart) return -1;
      }
      if (field >= 0) {
        if (!plainInteger) return -1;
        numbers[field] = negative ? -value : value;
      }
      kind = NUMBER;
    } else if (first === 0x74 /* t */ && literalAt(bytes, i, TRUE_BYTES)) {
      i += 4;
      kind = TRUE;
    } else if (first === 0x66 /* f */ && literalAt(bytes, i, FALSE_BYTES)) {
      i += 5;
      kind = FALSE;
    } else if (first === 0x6e /* n */ && literalAt(bytes, i, NULL_BYTES)) {
      i += 4;
      kind = NULL;
    } else {
      // Objects and arrays (which may nest a raw identifier), and anything that is not JSON.
      return -1;
    }
    if (field >= 0) {
      const bit = 1 << field;
      // JSON.parse keeps the last of duplicate keys; rare enough to leave to it.
      if ((seen & bit) !== 0) return -1;
      seen |= bit;
      kinds[field] = kind;
    }
    i = skipSpace(bytes, i, end);
    if (i >= end) return -1;
    const separator = bytes[i];
    if (separator === COMMA) {
      i = skipSpace(bytes, i + 1, end);
      continue;
    }
    if (separator !== CLOSE_BRACE) return -1;
    break;
  }
  return skipSpace(bytes, i + 1, end) === end ? seen : -1;
}

const has = (seen: number, field: number): boolean => (seen & (1 << field)) !== 0;

function stringOf(seen: number, field: number): boolean {
  return has(seen, field) && kinds[field] === STRING;
}

function lengthOf(field: number): number {
  return (ends[field] as number) - (starts[field] as number);
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= DIGIT_0 && b <= DIGIT_9;
}

function equalsAt(bytes: Uint8Array, field: number, literal: Uint8Array): boolean {
  return lengthOf(field) === literal.length && literalAt(bytes, starts[field] as number, literal);
}

function oneOf(bytes: Uint8Array, field: number, literals: readonly Uint8Array[], values: readonly string[]): string | undefined {
  for (let k = 0; k < literals.length; k++) if (equalsAt(bytes, field, literals[k] as Uint8Array)) return values[k];
  return undefined;
}

const DIRECTIONS = ['in', 'out'];
const RESULTS = ['ok', 'error', 'reject', 'abort', 'timeout'];
const FIREWALLS = ['allow', 'block', 'monitor'];
const DIRECTION_BYTES = DIRECTIONS.map(codesOf);
const RESULT_BYTES = RESULTS.map(codesOf);
const FIREWALL_BYTES = FIREWALLS.map(codesOf);
const MAP_BYTES = codesOf('MAP');
const CAP_BYTES = codesOf('CAP');
const DIAMETER_BYTES = codesOf('DIAMETER');

function digitsAt(bytes: Uint8Array, index: number, count: number): number {
  let value = 0;
  for (let k = index; k < index + count; k++) {
    const b = bytes[k];
    if (!isDigit(b)) return -1;
    value = value * 10 + ((b as number) - DIGIT_0);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Longest fraction taken here; longer ones go the generic way, whose float arithmetic then decides the ms. */
const MAX_FRACTION_DIGITS = 9;

/**
 * Epoch milliseconds of an RFC 3339 date-time with offset, checked by the same rules as zod's pattern (real
 * calendar dates, hours 00–23, no leap second, `T` and `Z` in upper case), or NaN when it is not one.
 */
function rfc3339At(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return Number.NaN;
  const year = digitsAt(bytes, start, 4);
  const month = digitsAt(bytes, start + 5, 2);
  const day = digitsAt(bytes, start + 8, 2);
  const hour = digitsAt(bytes, start + 11, 2);
  const minute = digitsAt(bytes, start + 14, 2);
  const second = digitsAt(bytes, start + 17, 2);
  if (bytes[start + 4] !== MINUS || bytes[start + 7] !== MINUS || bytes[start + 10] !== 0x54 /* T */) return Number.NaN;
  if (bytes[start + 13] !== COLON || bytes[start + 16] !== COLON) return Number.NaN;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  let i = start + 19;
  let millis = 0;
  if (bytes[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < end && isDigit(bytes[i])) {
      if (i - fractionStart < 3) millis = millis * 10 + ((bytes[i] as number) - DIGIT_0);
      i++;
    }
    const digits = i - fractionStart;
    if (digits === 0 || digits > MAX_FRACTION_DIGITS) return Number.NaN;
    if (digits === 1) millis *= 100;
    else if (digits === 2) millis *= 10;
  }
  let offset = 0;
  const sign = bytes[i];
  if (sign === 0x5a /* Z */) {
    i++;
  } else if (sign === PLUS || sign === MINUS) {
    const offsetHours = digitsAt(bytes, i + 1, 2);
    const offsetMinutes = digitsAt(bytes, i + 4, 2);
    if (bytes[i + 3] !== COLON || offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
      return Number.NaN;
    }
    offset = (sign === PLUS ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
    i += 6;
  } else {
    return Number.NaN;
  }
  if (i !== end) return Number.NaN;
  const clock = hour * 3_600_000 + minute * 60_000 + second * 1000;
  return daysFromCivil(year, month, day) * MS_PER_DAY + clock + millis - offset;
}

function integerIn(seen: number, field: number, min: number, max: number): boolean {
  if (!has(seen, field) || kinds[field] !== NUMBER) return false;
  const value = numbers[field] as number;
  return value >= min && value <= max;
}

/** Optional field absent, or present with an acceptable value. */
function optionalInteger(seen: number, field: number, min: number, max: number): boolean {
  return !has(seen, field) || integerIn(seen, field, min, max);
}

/** Optional string field absent, or a string; its format (if it has one) was checked by the scan. */
function optionalString(seen: number, field: number): boolean {
  return !has(seen, field) || kinds[field] === STRING;
}

/** Every optional field the record carries is valid (for its protocol's schema). */
function optionalsValid(bytes: Uint8Array, seen: number): boolean {
  return (
    optionalString(seen, ORIGIN_HOST) &&
    optionalString(seen, DESTINATION_REALM) &&
    optionalString(seen, VISITED_PLMN) &&
    optionalInteger(seen, IDR_FLAGS, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) &&
    optionalInteger(seen, CALLING_SSN, 0, 255) &&
    optionalInteger(seen, CALLED_SSN, 0, 255) &&
    (optionalString(seen, INGRESS) && (!has(seen, INGRESS) || lengthOf(INGRESS) <= 64)) &&
    optionalString(seen, SUBSCRIBER) &&
    optionalString(seen, SUBSCRIBER_PLMN) &&
    optionalString(seen, VLR_GT) &&
    optionalString(seen, SC_ADDRESS) &&
    optionalInteger(seen, ERROR_CODE, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) &&
    (!has(seen, LOCATION_RETURNED) || kinds[LOCATION_RETURNED] === TRUE || kinds[LOCATION_RETURNED] === FALSE) &&
    (optionalString(seen, FIREWALL) && (!has(seen, FIREWALL) || oneOf(bytes, FIREWALL, FIREWALL_BYTES, FIREWALLS) !== undefined)) &&
    optionalInteger(seen, COUNT, 1, Number.MAX_SAFE_INTEGER)
  );
}

function timeOf(bytes: Uint8Array, seen: number): number {
  if (!has(seen, TIME)) return Number.NaN;
  if (kinds[TIME] === NUMBER) return numbers[TIME] as number;
  return kinds[TIME] === STRING ? rfc3339At(bytes, starts[TIME] as number, ends[TIME] as number) : Number.NaN;
}

function text(bytes: Uint8Array, field: number): string {
  return fresh(bytes, starts[field] as number, ends[field] as number);
}

function shared(bytes: Uint8Array, field: number): string {
  return interned(bytes, starts[field] as number, ends[field] as number, hashes[field] as number);
}

/**
 * Builds the record in the zod shape's key order. A constructor function rather than an object literal: V8 sizes
 * its instances for every property assigned here, so a record never grows an out-of-object property store (four
 * reallocations per record with a literal). Its prototype is Object.prototype, so the instances are plain objects.
 */
function summaryRecord(
  this: Record<string, unknown>,
  bytes: Uint8Array,
  seen: number,
  time: number,
  direction: string,
  result: string,
  protocol: string,
): void {
  this.schemaVersion = 1;
  this.id = text(bytes, ID);
  this.time = time;
  this.reporter = shared(bytes, REPORTER);
  this.direction = direction;
  this.result = result;
  if (has(seen, ORIGIN_HOST)) this.originHost = shared(bytes, ORIGIN_HOST);
  if (has(seen, DESTINATION_REALM)) this.destinationRealm = shared(bytes, DESTINATION_REALM);
  if (has(seen, VISITED_PLMN)) this.visitedPlmn = shared(bytes, VISITED_PLMN);
  if (has(seen, IDR_FLAGS)) this.idrFlags = numbers[IDR_FLAGS];
  if (has(seen, CALLING_SSN)) this.callingSsn = numbers[CALLING_SSN];
  if (has(seen, CALLED_SSN)) this.calledSsn = numbers[CALLED_SSN];
  if (has(seen, INGRESS)) this.ingress = shared(bytes, INGRESS);
  if (has(seen, SUBSCRIBER)) this.subscriber = text(bytes, SUBSCRIBER);
  if (has(seen, SUBSCRIBER_PLMN)) this.subscriberPlmn = shared(bytes, SUBSCRIBER_PLMN);
  if (has(seen, VLR_GT)) this.vlrGt = shared(bytes, VLR_GT);
  if (has(seen, SC_ADDRESS)) this.scAddress = shared(bytes, SC_ADDRESS);
  if (has(seen, ERROR_CODE)) this.errorCode = numbers[ERROR_CODE];
  if (has(seen, LOCATION_RETURNED)) this.locationReturned = kinds[LOCATION_RETURNED] === TRUE;
  if (has(seen, FIREWALL)) this.firewall = oneOf(bytes, FIREWALL, FIREWALL_BYTES, FIREWALLS);
  this.count = has(seen, COUNT) ? numbers[COUNT] : 1;
  this.protocol = protocol;
  this.operation = numbers[OPERATION];
  if (protocol === 'DIAMETER') {
    this.application = numbers[APPLICATION];
    this.originRealm = shared(bytes, ORIGIN_REALM);
  } else {
    this.callingGt = shared(bytes, CALLING_GT);
    this.calledGt = shared(bytes, CALLED_GT);
  }
}
summaryRecord.prototype = Object.prototype;
const SummaryRecord = summaryRecord as unknown as new (...args: Parameters<typeof summaryRecord>) => SignallingSummary;

/** The validated record, or undefined when the generic route must decide. */
function build(bytes: Uint8Array, seen: number): SignallingSummary | undefined {
  if (!integerIn(seen, SCHEMA_VERSION, 1, 1)) return undefined;
  if (!stringOf(seen, ID) || lengthOf(ID) < 1 || lengthOf(ID) > 128) return undefined;
  const time = timeOf(bytes, seen);
  if (Number.isNaN(time)) return undefined;
  if (!stringOf(seen, REPORTER)) return undefined;
  const direction = stringOf(seen, DIRECTION) ? oneOf(bytes, DIRECTION, DIRECTION_BYTES, DIRECTIONS) : undefined;
  const result = stringOf(seen, RESULT) ? oneOf(bytes, RESULT, RESULT_BYTES, RESULTS) : undefined;
  if (direction === undefined || result === undefined || !stringOf(seen, PROTOCOL)) return undefined;
  let protocol: 'MAP' | 'CAP' | 'DIAMETER';
  if (equalsAt(bytes, PROTOCOL, MAP_BYTES)) protocol = 'MAP';
  else if (equalsAt(bytes, PROTOCOL, CAP_BYTES)) protocol = 'CAP';
  else if (equalsAt(bytes, PROTOCOL, DIAMETER_BYTES)) protocol = 'DIAMETER';
  else return undefined;
  const diameter = protocol === 'DIAMETER';
  if (!integerIn(seen, OPERATION, 0, diameter ? 16_777_215 : 255)) return undefined;
  if (diameter) {
    if (!integerIn(seen, APPLICATION, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) return undefined;
    if (!stringOf(seen, ORIGIN_REALM)) return undefined;
  } else if (!stringOf(seen, CALLING_GT) || !stringOf(seen, CALLED_GT)) {
    return undefined;
  }
  if (!optionalsValid(bytes, seen)) return undefined;

  return new SummaryRecord(bytes, seen, time, direction, result, protocol);
}

/**
 * The validated record read from UTF-8 bytes, or undefined when the generic route (decode, JSON.parse, zod) must
 * decide. The caller checks the size limit before and the clock bound after, as for the generic route.
 */
export function scanSummaryBytes(bytes: Uint8Array): SignallingSummary | undefined {
  useInput(bytes);
  const seen = scan(bytes);
  return seen < 0 ? undefined : build(bytes, seen);
}
