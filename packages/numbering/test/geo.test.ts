import { describe, expect, it } from 'vitest';
import { centroidOf, distanceKm, haversineKm, isKnownCountry, knownCountries } from '../src/geo.js';

describe('country centroids and distances', () => {
  it('has a centre for every ISO country plus XK, AC and TA', () => {
    expect(knownCountries().length).toBeGreaterThanOrEqual(250);
    for (const country of ['GB', 'US', 'CA', 'AU', 'NZ', 'JE', 'GG', 'IM', 'CC', 'CX', 'XK', 'AC', 'TA', 'SJ', 'VA']) {
      expect(isKnownCountry(country), country).toBe(true);
    }
    expect(isKnownCountry('UK')).toBe(false);
    expect(centroidOf('GB')).toEqual([54, -2]);
    expect(centroidOf('ZZ')).toBeNull();
  });

  it('computes haversine distances', () => {
    // London (51.5074, -0.1278) to Paris (48.8566, 2.3522): about 344 km.
    expect(haversineKm(51.5074, -0.1278, 48.8566, 2.3522)).toBeCloseTo(343.6, 0);
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371.0088, 3);
  });

  it('gives plausible distances between country centres', () => {
    // The GB centre (54°N 2°W) lies in northern England, so GB–FR is about 930 km, not London–Paris.
    expect(distanceKm('GB', 'FR')).toBeGreaterThan(800);
    expect(distanceKm('GB', 'FR')).toBeLessThan(1000);
    expect(distanceKm('FR', 'DE')).toBeGreaterThan(400);
    expect(distanceKm('FR', 'DE')).toBeLessThan(900);
    expect(distanceKm('GB', 'US')).toBeGreaterThan(6000);
    expect(distanceKm('GB', 'US')).toBeLessThan(8000);
    expect(distanceKm('AU', 'NZ')).toBeGreaterThan(2000);
    expect(distanceKm('AU', 'NZ')).toBeLessThan(4500);
    // A Crown Dependency is close to GB: below the 500 km velocity threshold.
    expect(distanceKm('GB', 'JE')).toBeLessThan(600);
    expect(distanceKm('GB', 'IM')).toBeLessThan(500);
  });

  it('is symmetric, zero for the same country and null for unknown ones', () => {
    expect(distanceKm('CI', 'IN')).toBe(distanceKm('IN', 'CI'));
    expect(distanceKm('GB', 'GB')).toBe(0);
    expect(distanceKm('GB', 'ZZ')).toBeNull();
    expect(distanceKm('', 'GB')).toBeNull();
  });
});
