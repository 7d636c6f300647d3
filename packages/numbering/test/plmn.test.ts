import { describe, expect, it } from 'vitest';
import { canonicalPlmn, countryOfPlmn, isPlmn, mccOf, parsePlmn, samePlmn } from '../src/plmn.js';

describe('PLMN ids', () => {
  it('accepts MCC-MNC with a 3-digit MCC and a 2- or 3-digit MNC', () => {
    for (const good of ['262-01', '262-001', '310-260', '001-01', '999-999']) expect(isPlmn(good)).toBe(true);
    for (const bad of ['26201', '262-1', '262-0001', '26-01', '262_01', 'abc-01', '262-0a', ' 262-01', '']) {
      expect(isPlmn(bad), bad).toBe(false);
    }
  });

  it('splits into MCC and numeric MNC', () => {
    expect(parsePlmn('262-001')).toEqual({ mcc: '262', mnc: 1 });
    expect(parsePlmn('310-260')).toEqual({ mcc: '310', mnc: 260 });
    expect(parsePlmn('23415')).toBeNull();
  });

  it('compares by MCC and the numeric MNC', () => {
    expect(samePlmn('262-01', '262-001')).toBe(true);
    expect(samePlmn('310-026', '310-26')).toBe(true);
    expect(samePlmn('262-01', '262-02')).toBe(false);
    expect(samePlmn('262-01', '226-01')).toBe(false);
    expect(samePlmn('262-10', '262-100')).toBe(false);
    expect(samePlmn('nonsense', 'nonsense')).toBe(false);
  });

  it('has a canonical form that is also the comparison key', () => {
    expect(canonicalPlmn('262-001')).toBe('262-01');
    expect(canonicalPlmn('262-01')).toBe('262-01');
    expect(canonicalPlmn('234-015')).toBe('234-15');
    // NANP and other 3-digit-MNC MCCs keep three digits.
    expect(canonicalPlmn('310-26')).toBe('310-026');
    expect(canonicalPlmn('302-720')).toBe('302-720');
    expect(canonicalPlmn('405-025')).toBe('405-25');
    expect(canonicalPlmn('262-100')).toBe('262-100');
    expect(canonicalPlmn('2620-1')).toBeNull();
  });

  it('gives the MCC and the MCC country', () => {
    expect(mccOf('262-01')).toBe('262');
    expect(mccOf('26201')).toBeNull();
    expect(countryOfPlmn('234-15')).toBe('GB');
    expect(countryOfPlmn('235-77')).toBe('GB');
    expect(countryOfPlmn('311-480')).toBe('US');
    expect(countryOfPlmn('302-720')).toBe('CA');
    expect(countryOfPlmn('901-18')).toBeNull();
    expect(countryOfPlmn('bad')).toBeNull();
  });
});
