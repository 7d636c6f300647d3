import { describe, expect, it } from 'vitest';
import * as numbering from '../src/index.js';

describe('public API', () => {
  it('exports the documented functions and nothing internal', () => {
    expect(Object.keys(numbering).sort()).toEqual([
      'EXAMPLE_REFERENCE_DIR',
      'ReferenceDataError',
      'canonicalPlmn',
      'centroidOf',
      'countryOfGt',
      'countryOfMcc',
      'countryOfPlmn',
      'createNumbering',
      'distanceKm',
      'isKnownCountry',
      'isPlmn',
      'loadReferenceData',
      'loadReferenceDataFromStrings',
      'mccOf',
      'normalizeRealm',
      'parsePlmn',
      'plmnOfRealm',
      'samePlmn',
    ]);
  });
});
