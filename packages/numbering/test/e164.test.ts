import { describe, expect, it } from 'vitest';
import {
  allGtRegions,
  callingCodeOf,
  countryOfGt,
  countryOfGtUncached,
  mainCountryOfCallingCode,
  nanpRegionOfAreaCode,
} from '../src/e164.js';
import { isKnownCountry } from '../src/geo.js';

function country(digits: string): string | null {
  return countryOfGt(digits).country;
}

describe('GT digits → country', () => {
  it('places full numbers in a dozen countries', () => {
    const expected: Record<string, string> = {
      '447785016005': 'GB',
      '4915123456789': 'DE',
      '33612345678': 'FR',
      '12125550123': 'US',
      '14165550123': 'CA',
      '61412345678': 'AU',
      '6421123456': 'NZ',
      '2250712345678': 'CI',
      '919812345678': 'IN',
      '79161234567': 'RU',
      '77011234567': 'KZ',
      '390612345678': 'IT',
      '4791234567': 'NO',
      '819012345678': 'JP',
      '5511987654321': 'BR',
    };
    for (const [digits, region] of Object.entries(expected)) expect(country(digits), digits).toBe(region);
  });

  it('returns the calling code with the country', () => {
    expect(countryOfGt('447785016005')).toEqual({ country: 'GB', callingCode: '44' });
    expect(countryOfGt('2250712345678')).toEqual({ country: 'CI', callingCode: '225' });
    expect(countryOfGt('14165550123')).toEqual({ country: 'CA', callingCode: '1' });
  });

  it('splits NANP full numbers into US, CA and the Caribbean', () => {
    expect(country('12025550123')).toBe('US');
    expect(country('16045550123')).toBe('CA');
    expect(country('18765550123')).toBe('JM');
    expect(country('12425550123')).toBe('BS');
    expect(country('17875550123')).toBe('PR');
    expect(country('18095550123')).toBe('DO');
    expect(country('12465550123')).toBe('BB');
  });

  it('places partial NANP GTs by area code once there are 4 digits', () => {
    expect(country('1416')).toBe('CA');
    expect(country('1416555')).toBe('CA');
    expect(country('1876')).toBe('JM');
    expect(country('1787')).toBe('PR');
    expect(country('1212')).toBe('US');
    expect(country('1242')).toBe('BS');
    // Fewer digits than an area code: the main country.
    expect(country('1')).toBe('US');
    expect(country('141')).toBe('US');
  });

  it('gives the NANP non-geographic codes no country, so they route to no regulator', () => {
    for (const gt of ['1800', '18002345678', '18882345678', '15002345678', '15332345678', '19002345678']) {
      expect(countryOfGt(gt)).toEqual({ country: null, callingCode: '1' });
    }
    // Canada's own non-geographic codes stay Canadian, and a geographic US area code stays US.
    expect(country('16002345678')).toBe('CA');
    expect(country('12025550123')).toBe('US');
  });

  it('splits +44 full numbers between GB and the Crown Dependencies', () => {
    expect(country('447797123456')).toBe('JE');
    expect(country('441534123456')).toBe('JE');
    expect(country('447781123456')).toBe('GG');
    expect(country('441481256789')).toBe('GG');
    expect(country('447624123456')).toBe('IM');
    expect(country('441624123456')).toBe('IM');
    expect(country('442079460123')).toBe('GB');
  });

  it('gives partial GTs of shared codes the main country unless libphonenumber places them', () => {
    expect(countryOfGt('44')).toEqual({ country: 'GB', callingCode: '44' });
    expect(country('4477')).toBe('GB');
    expect(country('447797')).toBe('GB');
    expect(country('61')).toBe('AU');
    expect(country('7')).toBe('RU');
    expect(country('39')).toBe('IT');
    expect(country('47')).toBe('NO');
    expect(country('262')).toBe('RE');
    expect(country('590')).toBe('GP');
    // libphonenumber's leading-digit rules place these even when partial.
    expect(country('7701')).toBe('KZ');
    expect(country('447624')).toBe('IM');
    expect(country('3906698')).toBe('VA');
  });

  it('splits the other shared codes for full numbers', () => {
    expect(country('61891641234')).toBe('CX');
    expect(country('390669812345')).toBe('VA');
    expect(country('4779123456')).toBe('SJ');
    expect(country('262269601234')).toBe('YT');
    expect(country('590590271234')).toBe('BL');
  });

  it('gives single-region codes their country even for short or over-long GTs', () => {
    expect(country('49')).toBe('DE');
    expect(country('4915')).toBe('DE');
    expect(country('6421')).toBe('NZ');
    expect(country('22507')).toBe('CI');
    expect(country('49151234567890123')).toBe('DE');
  });

  it('knows non-geographic calling codes but gives them no country', () => {
    expect(countryOfGt('88299555123')).toEqual({ country: null, callingCode: '882' });
    expect(countryOfGt('870')).toEqual({ country: null, callingCode: '870' });
    expect(countryOfGt('80012345678')).toEqual({ country: null, callingCode: '800' });
  });

  it('rejects what is not E.164 digits', () => {
    for (const bad of ['', 'abc', '44 7785', '44-77', '999123', '0']) {
      expect(countryOfGt(bad), bad).toEqual({ country: null, callingCode: null });
    }
    expect(countryOfGt('+447785016005')).toEqual({ country: 'GB', callingCode: '44' });
  });

  it('serves the cached answer equal to the uncached one', () => {
    for (const digits of ['447797123456', '1416', '44', '882']) {
      expect(countryOfGt(digits)).toEqual(countryOfGtUncached(digits));
      expect(countryOfGt(digits)).toBe(countryOfGt(digits));
    }
  });

  it('finds the longest calling code and its main country', () => {
    expect(callingCodeOf('1416')).toBe('1');
    expect(callingCodeOf('2250712')).toBe('225');
    expect(callingCodeOf('35312345')).toBe('353');
    expect(callingCodeOf('999')).toBeNull();
    expect(mainCountryOfCallingCode('1')).toBe('US');
    expect(mainCountryOfCallingCode('44')).toBe('GB');
    expect(mainCountryOfCallingCode('882')).toBeNull();
  });

  it('maps NANP area codes to regions', () => {
    expect(nanpRegionOfAreaCode('416')).toBe('CA');
    expect(nanpRegionOfAreaCode('604')).toBe('CA');
    expect(nanpRegionOfAreaCode('876')).toBe('JM');
    expect(nanpRegionOfAreaCode('658')).toBe('JM');
    expect(nanpRegionOfAreaCode('939')).toBe('PR');
    expect(nanpRegionOfAreaCode('671')).toBe('GU');
    expect(nanpRegionOfAreaCode('212')).toBe('US');
    expect(nanpRegionOfAreaCode('100')).toBe('US');
  });

  it('only returns countries that have a centroid', () => {
    for (const region of allGtRegions()) expect(isKnownCountry(region), region).toBe(true);
  });
});
