/**
 * Approximate country centres for the countries of the simulated world, used to keep benign travel plausible and
 * to make velocity attacks implausible. The values are the CIA World Factbook "geographic coordinates" (as in the
 * world-countries package that @gtwatch/numbering reads), so distances here match the detection's.
 */
const CENTROIDS: Readonly<Record<string, readonly [lat: number, lon: number]>> = {
  GB: [54, -2],
  US: [38, -97],
  CA: [60, -95],
  AU: [-27, 133],
  NZ: [-41, 174],
  DE: [51, 9],
  FR: [46, 2],
  ES: [40, -4],
  IN: [20, 77],
  ZA: [-29, 24],
  BR: [-10, -55],
  JP: [36, 138],
  MX: [23, -102],
  CH: [47, 8],
  LU: [49.75, 6.16666666],
  CI: [8, -5],
  PH: [13, 122],
  ID: [-5, 120],
  LV: [57, 25],
  HR: [45.16666666, 15.5],
  LI: [47.26666666, 9.53333333],
  SG: [1.36666666, 103.8],
  EE: [59, 26],
  PT: [39.5, -8],
  SE: [62, 15],
  BD: [24, 90],
  KW: [29.5, 45.75],
};

const EARTH_RADIUS_KM = 6371.0088;

export function centroid(country: string): readonly [number, number] {
  const c = CENTROIDS[country];
  if (c === undefined) throw new Error(`no centroid for country ${country}`);
  return c;
}

export function hasCentroid(country: string): boolean {
  return CENTROIDS[country] !== undefined;
}

/** Great-circle distance in km between two countries' centres (haversine). */
export function countryDistanceKm(a: string, b: string): number {
  if (a === b) return 0;
  const [lat1, lon1] = centroid(a);
  const [lat2, lon2] = centroid(b);
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
