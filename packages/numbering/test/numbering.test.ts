import { describe, expect, it } from 'vitest';
import { EXAMPLE_REFERENCE_DIR } from '../src/fixtures.js';
import { createNumbering } from '../src/numbering.js';
import { loadReferenceData, loadReferenceDataFromStrings } from '../src/reference.js';

const numbering = createNumbering(loadReferenceData(EXAMPLE_REFERENCE_DIR));

describe('resolveGt', () => {
  it('matches the longest prefix', () => {
    expect(numbering.resolveGt('447700900555')).toEqual({
      prefix: '447700900',
      plmn: '234-91',
      operator: 'Albion Mobile (fictional)',
      country: 'GB',
      leased: false,
    });
    expect(numbering.resolveGt('447700900155')).toMatchObject({ prefix: '4477009001', operator: 'Albion Mobile HLR (fictional)' });
    expect(numbering.resolveGt('442079460123')).toMatchObject({ prefix: '442079460', plmn: '234-92' });
    expect(numbering.resolveGt('442071234567')).toMatchObject({ prefix: '4420', plmn: null, country: 'GB' });
  });

  it('carries the leased flag of the matching range only', () => {
    expect(numbering.resolveGt('447700900955')).toMatchObject({ prefix: '4477009009', plmn: '234-91', leased: true });
    expect(numbering.resolveGt('447700900855').leased).toBe(false);
    expect(numbering.resolveGt('33639981123').leased).toBe(true);
    expect(numbering.resolveGt('33639980123').leased).toBe(false);
  });

  it('uses the range country, explicit or derived from the prefix', () => {
    expect(numbering.resolveGt('447797555123')).toMatchObject({ country: 'JE', plmn: '234-93' });
    expect(numbering.resolveGt('447781555123')).toMatchObject({ country: 'GG' });
    expect(numbering.resolveGt('14165550123')).toMatchObject({ country: 'CA', plmn: '302-910' });
    expect(numbering.resolveGt('18765550123')).toMatchObject({ country: 'JM', plmn: '338-910' });
    expect(numbering.resolveGt('12425550123')).toMatchObject({ country: 'BS' });
    expect(numbering.resolveGt('17875550123')).toMatchObject({ country: 'PR' });
    expect(numbering.resolveGt('61491570123')).toMatchObject({ country: 'AU', plmn: '505-91' });
    expect(numbering.resolveGt('6421555123')).toMatchObject({ country: 'NZ' });
    expect(numbering.resolveGt('491555012345')).toMatchObject({ country: 'DE', plmn: '262-91' });
    expect(numbering.resolveGt('2250755512345')).toMatchObject({ country: 'CI', plmn: '612-91' });
    expect(numbering.resolveGt('919855512345')).toMatchObject({ country: 'IN', plmn: '404-91' });
    expect(numbering.resolveGt('88299555123')).toMatchObject({ country: null, plmn: '901-91' });
  });

  it('falls back to the E.164 country when no range matches', () => {
    expect(numbering.resolveGt('447624123456')).toEqual({ prefix: null, plmn: null, operator: null, country: 'IM', leased: false });
    expect(numbering.resolveGt('4477')).toMatchObject({ prefix: null, country: 'GB' });
    expect(numbering.resolveGt('1416')).toMatchObject({ prefix: null, country: 'CA' });
    expect(numbering.resolveGt('447700')).toMatchObject({ prefix: null, country: 'GB' });
    expect(numbering.resolveGt('nonsense')).toMatchObject({ prefix: null, country: null });
    expect(numbering.resolveGt('4420abc')).toEqual({ prefix: null, plmn: null, operator: null, country: null, leased: false });
    expect(numbering.resolveGt('')).toMatchObject({ prefix: null, country: null });
  });

  it('returns the same object from the cache and survives the cache filling up', () => {
    const small = createNumbering(loadReferenceData(EXAMPLE_REFERENCE_DIR), { cacheEntries: 2 });
    const first = small.resolveGt('447700900555');
    for (const digits of ['4915', '33612345678', '14165550123', '61412345678']) small.resolveGt(digits);
    expect(small.resolveGt('447700900555')).toEqual(first);
    expect(numbering.resolveGt('447700900555')).toBe(numbering.resolveGt('447700900555'));
  });
});

describe('resolveRealm', () => {
  it('uses realms.csv first, case-insensitively and with a trailing dot', () => {
    const albion = { plmn: '234-91', operator: 'Albion Mobile (fictional)', country: 'GB', leased: false };
    expect(numbering.resolveRealm('diameter.albion-mobile.example')).toEqual(albion);
    expect(numbering.resolveRealm('Diameter.Albion-Mobile.EXAMPLE.')).toEqual(albion);
    expect(numbering.resolveRealm('ipx.orbit-roaming.example')).toEqual({
      plmn: null,
      operator: 'Orbit Roaming IPX (fictional)',
      country: null,
      leased: false,
    });
  });

  it('parses 3GPP realms and names the operator the reference data knows for that PLMN', () => {
    expect(numbering.resolveRealm('epc.mnc091.mcc262.3gppnetwork.org')).toEqual({
      plmn: '262-91',
      operator: 'Rhein Funk (fictional)',
      country: 'DE',
      leased: false,
    });
    expect(numbering.resolveRealm('EPC.MNC910.MCC302.3GPPNETWORK.ORG.')).toMatchObject({
      plmn: '302-910',
      operator: 'Maple Mobility (fictional)',
      country: 'CA',
    });
    // The leased range's operator is a lessee, never the name of the PLMN.
    expect(numbering.resolveRealm('epc.mnc091.mcc234.3gppnetwork.org').operator).toBe('Albion Mobile (fictional)');
    expect(numbering.resolveRealm('ims.mnc001.mcc262.3gppnetwork.org')).toEqual({
      plmn: '262-01',
      operator: null,
      country: 'DE',
      leased: false,
    });
    expect(numbering.resolveRealm('epc.mnc001.mcc901.3gppnetwork.org')).toMatchObject({ plmn: '901-01', country: null });
  });

  it('knows nothing about other realms', () => {
    expect(numbering.resolveRealm('diameter.unknown.example')).toEqual({ plmn: null, operator: null, country: null, leased: false });
  });
});

describe('isAllowlisted', () => {
  it('honours a "*" reporter with an operation list', () => {
    expect(numbering.isAllowlisted('447700900155', '262-91', 7)).toBe(true);
    expect(numbering.isAllowlisted('447700900155', '310-910', 3)).toBe(true);
    expect(numbering.isAllowlisted('447700900155', '262-91', 71)).toBe(false);
    // Outside the allowlisted prefix, even in the same operator's range.
    expect(numbering.isAllowlisted('447700900555', '262-91', 7)).toBe(false);
  });

  it('honours a specific reporter, compared numerically, with "*" operations', () => {
    expect(numbering.isAllowlisted('14165550123', '234-91', 71)).toBe(true);
    expect(numbering.isAllowlisted('14165550123', '234-091', 22)).toBe(true);
    expect(numbering.isAllowlisted('14165550123', '234-92', 71)).toBe(false);
  });

  it('requires both the reporter and the operation to match', () => {
    expect(numbering.isAllowlisted('33639980123', '262-91', 71)).toBe(true);
    expect(numbering.isAllowlisted('33639980123', '262-091', 71)).toBe(true);
    expect(numbering.isAllowlisted('33639980123', '262-91', 22)).toBe(false);
    expect(numbering.isAllowlisted('33639980123', '208-91', 71)).toBe(false);
  });

  it('adds up rows along the prefix path and ignores non-digit sources', () => {
    const custom = createNumbering(
      loadReferenceDataFromStrings({
        'gt-ranges.csv': 'prefix,plmn,operator,country,leased\n',
        'allowlist.csv': 'prefix,reporter,operations\n44,234-15,2\n4477,*,316\n4477,310-410,22;71\n',
      }),
    );
    expect(custom.isAllowlisted('447712345678', '234-15', 2)).toBe(true);
    expect(custom.isAllowlisted('447712345678', '234-15', 316)).toBe(true);
    expect(custom.isAllowlisted('447712345678', '310-410', 71)).toBe(true);
    expect(custom.isAllowlisted('447712345678', '234-15', 71)).toBe(false);
    expect(custom.isAllowlisted('441234', '310-410', 22)).toBe(false);
    expect(custom.isAllowlisted('44', '234-15', 2)).toBe(true);
    expect(custom.isAllowlisted('4', '234-15', 2)).toBe(false);
    expect(custom.isAllowlisted('epc.mnc015.mcc234.3gppnetwork.org', '234-15', 2)).toBe(false);
    expect(custom.isAllowlisted('', '234-15', 2)).toBe(false);
    expect(custom.isAllowlisted('4477x', '234-15', 2)).toBe(false);
  });

  it('allows nothing without an allowlist', () => {
    const none = createNumbering(loadReferenceDataFromStrings({ 'gt-ranges.csv': 'prefix,plmn,operator,country,leased\n' }));
    expect(none.isAllowlisted('447700900155', '234-91', 7)).toBe(false);
  });
});

describe('country helpers', () => {
  it('exposes MCC, PLMN and distance lookups', () => {
    expect(numbering.countryOfMcc('530')).toBe('NZ');
    expect(numbering.countryOfPlmn('505-01')).toBe('AU');
    expect(numbering.countryOfPlmn('901-18')).toBeNull();
    expect(numbering.distanceKm('US', 'CA')).toBeGreaterThan(1500);
    expect(numbering.distanceKm('US', 'CA')).toBeLessThan(3500);
  });
});
