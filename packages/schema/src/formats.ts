/**
 * Lexical formats and limits shared by the contracts. Regexes are written for the JSON Schema export too, so
 * they stay within the ECMA-262 subset that JSON Schema `pattern` uses (no flags).
 */

/** signalling-summary-v1.md: a record larger than this many bytes of UTF-8 is rejected unread. */
export const MAX_RECORD_BYTES = 16_384;

/** How much of a too-large record the dead letter keeps: enough to identify the producer, bounded in size. */
export const MAX_ORIGINAL_CHARS = 4_096;

/** signalling-summary-v1.md: event times before 2000-01-01T00:00:00Z are rejected. */
export const MIN_EVENT_TIME_MS = 946_684_800_000;

/** signalling-summary-v1.md: event times more than 1 hour ahead of the processor's clock are rejected. */
export const MAX_CLOCK_SKEW_MS = 3_600_000;

export const PLMN_PATTERN = /^\d{3}-\d{2,3}$/;
export const GT_PATTERN = /^\d{1,15}$/;

// One label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen (RFC 1123). The total
// length is checked separately so that its violation gets its own message.
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const DNS_NAME_PATTERN = new RegExp(`^${label}(?:\\.${label})*$`);
export const DNS_NAME_MAX_LENGTH = 255;

// The lookahead demands a letter so that an all-digit value (a raw IMSI or MSISDN) can never pass as a pseudonym.
export const SUBSCRIBER_PATTERN = /^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9._:-]{16,128}$/;

export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
export const JURISDICTION_PATTERN = /^[a-z]{2}$/;

// urn:gtwatch:<service>:<instance>; both parts use URN-safe unreserved characters so that the colon stays a
// separator.
export const ALERT_SOURCE_PATTERN = /^urn:gtwatch:[A-Za-z0-9][A-Za-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._~-]*$/;

export const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Used instead of
 * Date.UTC, which maps years 0–99 to 1900–1999 and would give such a string the wrong instant.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

/**
 * Epoch milliseconds of an RFC 3339 date-time that has ALREADY been validated (`YYYY-MM-DDTHH:MM:SS[.f+](Z|±hh:mm)`).
 * Fractional digits beyond milliseconds are truncated, which floors the instant, as Date.parse does. Written
 * by hand so the hot path does no allocation and the result does not depend on the engine's Date parser.
 */
export function rfc3339ToEpochMs(text: string): number {
  const days = daysFromCivil(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
  const clock = digitsAt(text, 11, 2) * 3_600_000 + digitsAt(text, 14, 2) * 60_000 + digitsAt(text, 17, 2) * 1000;
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    i++;
    let scale = 100;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
      millis += (c - 48) * scale;
      scale /= 10;
    }
    millis = Math.floor(millis);
  }
  let offset = 0;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    const minutes = digitsAt(text, i + 1, 2) * 60 + digitsAt(text, i + 4, 2);
    offset = (sign === 43 ? 1 : -1) * minutes * 60_000;
  }
  return days * MS_PER_DAY + clock + millis - offset;
}
