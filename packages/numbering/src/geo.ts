import { createRequire } from 'node:module';

/**
 * Country "centres" for distances between countries. The coordinates come from the world-countries package
 * (mledoze/countries, ODbL-1.0), whose `latlng` values are the CIA World Factbook's "geographic coordinates":
 * an approximate centre of each country or territory, rounded to whole degrees for large countries (GB is
 * 54°N 2°W, FR 46°N 2°E, US 38°N 97°W). They are read from the package at startup, not copied here.
 * That list has every ISO 3166-1 code plus XK; libphonenumber also returns AC (Ascension) and TA (Tristan da
 * Cunha), which are added below from their main settlements.
 */
const EXTRA_CENTROIDS: ReadonlyArray<readonly [country: string, lat: number, lon: number]> = [
  ['AC', -7.95, -14.36],
  ['TA', -37.07, -12.31],
];

const EARTH_RADIUS_KM = 6371.0088;

interface Centroids {
  readonly indexOf: ReadonlyMap<string, number>;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
}

const centroids: Centroids = buildCentroids(readWorldCountries());

// distances[i * n + j], NaN until first asked for: at most n² numbers (about 0.5 MB), so memoising is bounded.
const distances = new Float64Array(centroids.lat.length * centroids.lat.length).fill(Number.NaN);

function readWorldCountries(): Array<readonly [string, number, number]> {
  const require = createRequire(import.meta.url);
  const raw: unknown = require('world-countries/dist/countries.json');
  if (!Array.isArray(raw)) throw new Error('world-countries: countries.json is not an array');
  const rows: Array<readonly [string, number, number]> = [];
  for (const entry of raw as unknown[]) {
    const row = centroidRow(entry);
    if (row !== null) rows.push(row);
  }
  return rows;
}

function centroidRow(entry: unknown): readonly [string, number, number] | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { cca2, latlng } = entry as { cca2?: unknown; latlng?: unknown };
  if (typeof cca2 !== 'string' || !Array.isArray(latlng)) return null;
  const [lat, lon] = latlng as unknown[];
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  return [cca2, lat, lon];
}

function buildCentroids(rows: ReadonlyArray<readonly [string, number, number]>): Centroids {
  const all = [...rows, ...EXTRA_CENTROIDS];
  const indexOf = new Map<string, number>();
  const lat = new Float64Array(all.length);
  const lon = new Float64Array(all.length);
  all.forEach(([country, la, lo], i) => {
    indexOf.set(country, i);
    lat[i] = la;
    lon[i] = lo;
  });
  return { indexOf, lat, lon };
}

/** Whether `country` is an ISO 3166-1 alpha-2 code (or XK, AC, TA) with a known centre. */
export function isKnownCountry(country: string): boolean {
  return centroids.indexOf.has(country);
}

/** All countries with a centre, sorted. */
export function knownCountries(): readonly string[] {
  return [...centroids.indexOf.keys()].sort();
}

/** Approximate centre `[lat, lon]` in degrees of a country, or null when unknown. */
export function centroidOf(country: string): readonly [lat: number, lon: number] | null {
  const i = centroids.indexOf.get(country);
  if (i === undefined) return null;
  return [centroids.lat[i] ?? 0, centroids.lon[i] ?? 0];
}

/** Great-circle distance in km between two points given in degrees (haversine, mean Earth radius). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance in km between two countries' centres, memoised; null when either country is unknown. */
export function distanceKm(countryA: string, countryB: string): number | null {
  const a = centroids.indexOf.get(countryA);
  const b = centroids.indexOf.get(countryB);
  if (a === undefined || b === undefined) return null;
  const slot = a * centroids.lat.length + b;
  const memo = distances[slot] ?? Number.NaN;
  if (!Number.isNaN(memo)) return memo;
  const km = haversineKm(centroids.lat[a] ?? 0, centroids.lon[a] ?? 0, centroids.lat[b] ?? 0, centroids.lon[b] ?? 0);
  distances[slot] = km;
  distances[b * centroids.lat.length + a] = km;
  return km;
}
