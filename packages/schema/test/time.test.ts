import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_CLOCK_SKEW_MS, MIN_EVENT_TIME_MS, rfc3339ToEpochMs } from '../src/formats.js';
import { accepted, mapRecord, NOW_MS, rejected, withField } from './fixtures.js';

const at = (time: unknown) => withField(mapRecord(), 'time', time);
const timeOf = (time: unknown, nowMs = NOW_MS) => accepted(at(time), nowMs).time;

describe('time as an RFC 3339 string', () => {
  test('with Z', () => {
    expect(timeOf('2026-11-30T10:15:02.120Z')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2, 120));
  });

  test('with a positive and a negative offset', () => {
    expect(timeOf('2026-11-30T15:45:02+05:30')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2));
    expect(timeOf('2026-11-30T02:15:02-08:00')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2));
  });

  test('fractional seconds of any length, truncated to milliseconds', () => {
    expect(timeOf('2026-11-30T10:15:02.1Z')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2, 100));
    expect(timeOf('2026-11-30T10:15:02.12Z')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2, 120));
    expect(timeOf('2026-11-30T10:15:02.123999999Z')).toBe(Date.UTC(2026, 10, 30, 10, 15, 2, 123));
  });

  test('29 February of a leap year', () => {
    expect(timeOf('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  test.each([
    ['2026-11-30T10:15:02', 'no offset'],
    ['2026-11-30T10:15Z', 'no seconds'],
    ['2026-11-30 10:15:02Z', 'a space for T'],
    ['2026-11-30t10:15:02z', 'lower-case t and z'],
    ['2026-02-30T10:15:02Z', '30 February'],
    ['2026-02-29T10:15:02Z', '29 February of a common year'],
    ['2100-02-29T10:15:02Z', '29 February of a century that is not a leap year'],
    ['2026-04-31T10:15:02Z', '31 April'],
    ['2026-13-01T10:15:02Z', 'month 13'],
    ['2026-11-30T24:00:00Z', 'hour 24'],
    ['2026-11-30T23:59:60Z', 'a leap second'],
    ['2026-11-30T10:15:02+0530', 'an offset without a colon'],
    ['2026-11-30T10:15:02+24:00', 'offset hour 24'],
    ['2026-11-30T10:15:02.Z', 'an empty fraction'],
    ['1796033702120', 'epoch milliseconds as a string'],
    ['', 'an empty string'],
  ])('%j (%s) is invalid-field', (time) => {
    expect(rejected(at(time))).toMatchObject({ reason: 'invalid-field', path: 'time' });
  });
});

describe('time as epoch milliseconds', () => {
  test('an integer is taken as is', () => {
    expect(timeOf(1_796_033_702_120)).toBe(1_796_033_702_120);
  });

  test.each([[1_796_033_702_120.5], [true], [null], [{}]])('%j is invalid-field', (time) => {
    expect(rejected(at(time))).toMatchObject({ reason: 'invalid-field', path: 'time' });
  });
});

describe('time range', () => {
  test('2000-01-01T00:00:00Z is the earliest accepted instant', () => {
    expect(timeOf('2000-01-01T00:00:00Z')).toBe(MIN_EVENT_TIME_MS);
    expect(timeOf(MIN_EVENT_TIME_MS)).toBe(MIN_EVENT_TIME_MS);
  });

  test.each([
    ['1999-12-31T23:59:59.999Z'],
    ['2000-01-01T00:30:00+01:00'],
    ['0050-06-01T00:00:00Z'],
    [MIN_EVENT_TIME_MS - 1],
    [-1],
  ])('%j is before 2000 and time-out-of-range', (time) => {
    expect(rejected(at(time))).toMatchObject({ reason: 'time-out-of-range', path: 'time' });
  });

  test('exactly nowMs + 1 h is accepted, 1 ms later is time-out-of-range', () => {
    const limit = NOW_MS + MAX_CLOCK_SKEW_MS;
    expect(timeOf(limit)).toBe(limit);
    expect(timeOf(new Date(limit).toISOString())).toBe(limit);
    expect(rejected(at(limit + 1))).toMatchObject({ reason: 'time-out-of-range', path: 'time' });
    expect(rejected(at('2026-11-30T13:00:00.001Z'))).toMatchObject({ reason: 'time-out-of-range' });
  });

  test('records late relative to the clock are valid input', () => {
    expect(timeOf('2001-01-01T00:00:00Z')).toBe(Date.UTC(2001, 0, 1));
  });

  test('a clock that is not a number rejects rather than accepts every time', () => {
    expect(rejected(mapRecord(), Number.NaN).reason).toBe('time-out-of-range');
  });
});

describe('rfc3339ToEpochMs', () => {
  test('agrees with Date on random instants, offsets and fractions', () => {
    const instant = fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9998, 11, 31) });
    const offsetMinutes = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    const fraction = fc.stringMatching(/^\d{0,9}$/);
    fc.assert(
      fc.property(instant, offsetMinutes, fraction, (ms, offset, digits) => {
        const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        const text = `${local}${digits === '' ? '' : `.${digits}`}${sign}${hhmm}`;
        const millis = Number(digits.padEnd(3, '0').slice(0, 3));
        expect(rfc3339ToEpochMs(text)).toBe(Math.floor(ms / 1000) * 1000 + millis);
      }),
      { seed: 20_261_130, numRuns: 2000 },
    );
  });
});
