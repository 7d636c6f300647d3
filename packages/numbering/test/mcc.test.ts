import { all as allOperators } from 'mcc-mnc-list';
import { describe, expect, it } from 'vitest';
import { isKnownCountry } from '../src/geo.js';
import { countryOfMcc, mccTable } from '../src/mcc.js';

describe('MCC → country', () => {
  it('maps the five signatories', () => {
    expect(countryOfMcc('234')).toBe('GB');
    expect(countryOfMcc('235')).toBe('GB');
    for (const mcc of ['310', '311', '312', '313', '314', '315', '316']) expect(countryOfMcc(mcc)).toBe('US');
    expect(countryOfMcc('302')).toBe('CA');
    expect(countryOfMcc('505')).toBe('AU');
    expect(countryOfMcc('530')).toBe('NZ');
  });

  it('maps a dozen others, including Caribbean and multi-MCC countries', () => {
    const expected: Record<string, string> = {
      '262': 'DE', '208': 'FR', '612': 'CI', '404': 'IN', '405': 'IN', '250': 'RU', '401': 'KZ',
      '222': 'IT', '225': 'VA', '242': 'NO', '338': 'JM', '342': 'BB', '344': 'AG', '364': 'BS',
      '330': 'PR', '332': 'VI', '440': 'JP', '460': 'CN', '724': 'BR', '655': 'ZA', '430': 'AE',
      '221': 'XK', '995': 'IO',
    };
    for (const [mcc, country] of Object.entries(expected)) expect(countryOfMcc(mcc), mcc).toBe(country);
  });

  it('gives no country for international, test and unassigned MCCs', () => {
    for (const mcc of ['001', '901', '902', '991', '999', '289', '100', '000']) expect(countryOfMcc(mcc), mcc).toBeNull();
    for (const bad of ['23', '2340', 'abc', '']) expect(countryOfMcc(bad)).toBeNull();
  });

  it('only maps to countries with a centroid', () => {
    for (const [mcc, country] of mccTable()) expect(isKnownCountry(country), `${mcc} → ${country}`).toBe(true);
  });

  it('agrees with mcc-mnc-list wherever that list names a country', () => {
    // The majority of an MCC's records decides, which irons out records filed under a neighbour. Composite
    // codes ("AU/CC/CX", "BL/GF/GP/MF/MQ", "BQ/CW/SX") agree when the table's country is one of them.
    const votes = new Map<string, Map<string, number>>();
    for (const { mcc, countryCode } of allOperators()) {
      if (typeof countryCode !== 'string' || !/^[A-Z]{2}(\/[A-Z]{2})*$/.test(countryCode)) continue;
      const tally = votes.get(mcc) ?? new Map<string, number>();
      tally.set(countryCode, (tally.get(countryCode) ?? 0) + 1);
      votes.set(mcc, tally);
    }
    const disagreements: string[] = [];
    for (const [mcc, tally] of votes) {
      const majority = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
      const country = countryOfMcc(mcc);
      if (country === null || !majority.split('/').includes(country)) {
        disagreements.push(`${mcc}: table ${country}, list ${majority}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(votes.size).toBeGreaterThan(200);
  });
});
