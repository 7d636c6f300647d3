import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import { BoundedCache, DEFAULT_CACHE_ENTRIES } from './cache.js';
import { isAllDigits } from './digits.js';

/** What a GT's E.164 digits say about where it is: the country and the calling code. */
export interface GtCountry {
  readonly country: string | null;
  readonly callingCode: string | null;
}

// libphonenumber uses "001" as the region of non-geographic codes (+800, +870, +882, +883 …).
const NON_GEOGRAPHIC = '001';

// For each calling code, its regions with the main one first (libphonenumber's order); non-geographic codes
// (listed apart in the metadata) get the region "001" so they still count as calling codes.
const regionsByCallingCode: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...Object.entries(metadata.country_calling_codes),
  ...Object.keys(metadata.nonGeographic ?? {}).map((code): [string, readonly string[]] => [code, [NON_GEOGRAPHIC]]),
]);

const UNKNOWN: GtCountry = Object.freeze({ country: null, callingCode: null });

// One frozen result per (calling code, country) pair, so cache entries share objects instead of copying.
const interned = new Map<string, GtCountry>();

function result(callingCode: string, country: string | null): GtCountry {
  const key = `${callingCode}:${country ?? ''}`;
  let value = interned.get(key);
  if (value === undefined) {
    value = Object.freeze({ country, callingCode });
    interned.set(key, value);
  }
  return value;
}

/** The E.164 country calling code that starts `digits` (longest of 1–3 digits), or null. */
export function callingCodeOf(digits: string): string | null {
  for (let length = 3; length >= 1; length--) {
    if (digits.length < length) continue;
    const candidate = digits.slice(0, length);
    if (regionsByCallingCode.has(candidate)) return candidate;
  }
  return null;
}

/** The main region of a calling code (US for +1, GB for +44, RU for +7); null for non-geographic codes. */
export function mainCountryOfCallingCode(callingCode: string): string | null {
  const main = regionsByCallingCode.get(callingCode)?.[0];
  return main === undefined || main === NON_GEOGRAPHIC ? null : main;
}

/** Every region libphonenumber can return, for tests that check the centroid table covers them. */
export function allGtRegions(): readonly string[] {
  const regions = new Set<string>();
  for (const list of regionsByCallingCode.values()) {
    for (const region of list) if (region !== NON_GEOGRAPHIC) regions.add(region);
  }
  return [...regions].sort();
}

// Subscriber parts tried after an NPA to find which NANP region owns it. Several are needed because some
// Caribbean regions list only the exchange codes (NXX) in use; the first one libphonenumber places wins.
const NANP_SAMPLE_LINES = [
  '2345678',
  '5550123',
  '7654321',
  '9012345',
  '3456789',
  '6789012',
  '4567890',
  '8123456',
  '2001234',
  '3501234',
];

// Filled lazily, one NPA at a time: at most 1,000 entries, and about ten parses the first time an NPA shows up.
const nanpRegionByNpa = new Map<string, string>();

/**
 * The NANP region of an area code, as libphonenumber places full numbers in it: 416 → CA, 876 → JM, 787 → PR.
 * Area codes no region claims (unassigned, 8XX toll-free, 5XX/900 services) go to the main region, US.
 */
export function nanpRegionOfAreaCode(npa: string): string {
  const known = nanpRegionByNpa.get(npa);
  if (known !== undefined) return known;
  const region = probeNanpRegion(npa);
  if (npa.length === 3 && isAllDigits(npa)) nanpRegionByNpa.set(npa, region);
  return region;
}

function probeNanpRegion(npa: string): string {
  if (npa.length !== 3 || !isAllDigits(npa)) return 'US';
  for (const line of NANP_SAMPLE_LINES) {
    const country = parsePhoneNumberFromString(`+1${npa}${line}`)?.country;
    if (country !== undefined) return country;
  }
  return 'US';
}

/**
 * NANP area codes that belong to no country: toll-free 8XX, personal communications 5XX, 700 and 900 services.
 * libphonenumber places them in the US (the main region of +1), but a GT there says nothing about the US, so it must
 * not route an alert to the US regulator. (Canada's own non-geographic 600 and 622/633 stay Canadian.)
 */
const NANP_NON_GEOGRAPHIC = /^(?:500|5(?:2[1-9]|3[0-3]|44|66|77|88)|700|8(?:00|33|44|55|66|77|88)|900)$/;

/**
 * GT digits (E.164, no '+') → country, uncached. Full numbers get libphonenumber's region, which splits shared
 * calling codes (+1 NANP, +44 GB/JE/GG/IM, +7 RU/KZ, +61 AU/CC/CX, +39 IT/VA, +47 NO/SJ, +262, +590, +599 …).
 * Partial GTs (CC only, CC+NDC, truncated) that libphonenumber cannot place fall back to the calling code's
 * main country, except +1 with at least an area code, which goes by the area code (no country for the NANP's
 * non-geographic codes). libphonenumber still
 * places some partial GTs from leading digits (+7701 → KZ, +447624 → IM); that answer is kept.
 */
export function countryOfGtUncached(digits: string): GtCountry {
  const national = digits.charCodeAt(0) === 43 /* + */ ? digits.slice(1) : digits;
  if (!isAllDigits(national)) return UNKNOWN;
  const callingCode = callingCodeOf(national);
  if (callingCode === null) return UNKNOWN;
  const regions = regionsByCallingCode.get(callingCode) ?? [];
  // A single-region code needs no parse: libphonenumber would return that region or nothing.
  if (regions.length === 1) return result(callingCode, mainCountryOfCallingCode(callingCode));
  if (callingCode === '1' && national.length >= 4 && NANP_NON_GEOGRAPHIC.test(national.slice(1, 4))) return result(callingCode, null);
  const parsed = parsePhoneNumberFromString(`+${national}`)?.country;
  if (parsed !== undefined) return result(callingCode, parsed);
  if (callingCode === '1' && national.length >= 4) {
    return result(callingCode, nanpRegionOfAreaCode(national.slice(1, 4)));
  }
  return result(callingCode, mainCountryOfCallingCode(callingCode));
}

const gtCountryCache = new BoundedCache<string, GtCountry>(DEFAULT_CACHE_ENTRIES);

/** GT digits → `{ country, callingCode }` (see countryOfGtUncached), through a bounded process-wide cache. */
export function countryOfGt(digits: string): GtCountry {
  const cached = gtCountryCache.get(digits);
  if (cached !== undefined) return cached;
  const value = countryOfGtUncached(digits);
  gtCountryCache.set(digits, value);
  return value;
}
