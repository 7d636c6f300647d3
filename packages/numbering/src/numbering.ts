import { BoundedCache, DEFAULT_CACHE_ENTRIES } from './cache.js';
import { DigitTrie } from './digit-trie.js';
import { isAllDigits } from './digits.js';
import { countryOfGt } from './e164.js';
import { distanceKm } from './geo.js';
import { countryOfMcc } from './mcc.js';
import { countryOfPlmn, samePlmn } from './plmn.js';
import { normalizeRealm, plmnOfRealm } from './realm.js';
import type { AllowlistEntry, GtRange, ReferenceData } from './reference.js';

/** What the reference data and the numbering plan say about a GT. */
export interface GtResolution {
  /** The gt-ranges.csv prefix that matched, or null when none did. */
  readonly prefix: string | null;
  readonly plmn: string | null;
  readonly operator: string | null;
  /** From the matched range, else from the GT's E.164 digits. */
  readonly country: string | null;
  readonly leased: boolean;
}

/** What the reference data and the 3GPP naming rules say about a Diameter realm. */
export interface RealmResolution {
  readonly plmn: string | null;
  readonly operator: string | null;
  readonly country: string | null;
  /** Always false: leasing is recorded for GT ranges only. */
  readonly leased: false;
}

export interface NumberingOptions {
  /** Bound of each per-record cache; the cache empties itself when full. Default 262,144. */
  readonly cacheEntries?: number;
}

/** Lookups built once from the reference data; every per-record method is precomputed or cached. */
export interface Numbering {
  /** Longest-prefix match on gt-ranges.csv, falling back to the E.164 country of the digits. */
  resolveGt(digits: string): GtResolution;
  /** realms.csv first, then the PLMN a 3GPP realm carries; country from the PLMN's MCC. */
  resolveRealm(realm: string): RealmResolution;
  /**
   * Whether any allowlist row covers this source GT (its prefix is a prefix of `sourceDigits`), this reporter
   * (`*` or the same PLMN, compared numerically) and this operation code (`*` or listed). Rows add up: a
   * shorter prefix's agreement still applies when a longer prefix has a row of its own.
   */
  isAllowlisted(sourceDigits: string, reporterPlmn: string, operation: number): boolean;
  countryOfPlmn(plmn: string): string | null;
  countryOfMcc(mcc: string): string | null;
  distanceKm(countryA: string, countryB: string): number | null;
  readonly reference: ReferenceData;
}

const UNKNOWN_REALM: RealmResolution = Object.freeze({ plmn: null, operator: null, country: null, leased: false });

export function createNumbering(reference: ReferenceData, options: NumberingOptions = {}): Numbering {
  const cacheEntries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
  const resolveGt = gtResolver(reference.gtRanges, cacheEntries);
  const resolveRealm = realmResolver(reference, cacheEntries);
  const isAllowlisted = allowlistMatcher(reference.allowlist);
  return { resolveGt, resolveRealm, isAllowlisted, countryOfPlmn, countryOfMcc, distanceKm, reference };
}

function gtResolver(ranges: readonly GtRange[], cacheEntries: number): (digits: string) => GtResolution {
  const trie = new DigitTrie<GtResolution>();
  for (const { prefix, plmn, operator, country, leased } of ranges) {
    trie.set(prefix, Object.freeze({ prefix, plmn, operator, country, leased }));
  }
  // Unmatched GTs share one frozen result per country instead of one per GT.
  const unmatched = new Map<string | null, GtResolution>();
  const cache = new BoundedCache<string, GtResolution>(cacheEntries);
  const resolve = (digits: string): GtResolution => {
    // A range must never match the digits before some garbage ("4420abc"), so such input matches nothing.
    const matched = isAllDigits(digits) ? trie.longestMatch(digits) : undefined;
    if (matched !== undefined) return matched;
    const { country } = countryOfGt(digits);
    let value = unmatched.get(country);
    if (value === undefined) {
      value = Object.freeze({ prefix: null, plmn: null, operator: null, country, leased: false });
      unmatched.set(country, value);
    }
    return value;
  };
  return (digits) => {
    const cached = cache.get(digits);
    if (cached !== undefined) return cached;
    const value = resolve(digits);
    cache.set(digits, value);
    return value;
  };
}

function realmResolver(reference: ReferenceData, cacheEntries: number): (realm: string) => RealmResolution {
  const listed = new Map<string, RealmResolution>();
  for (const { realm, plmn, operator, country } of reference.realms) {
    listed.set(realm, Object.freeze({ plmn, operator, country, leased: false }));
  }
  const operators = operatorsByPlmn(reference);
  const cache = new BoundedCache<string, RealmResolution>(cacheEntries);
  const resolve = (realm: string): RealmResolution => {
    const entry = listed.get(normalizeRealm(realm));
    if (entry !== undefined) return entry;
    const plmn = plmnOfRealm(realm);
    if (plmn === null) return UNKNOWN_REALM;
    return Object.freeze({ plmn, operator: operators.get(plmn) ?? null, country: countryOfPlmn(plmn), leased: false });
  };
  return (realm) => {
    const cached = cache.get(realm);
    if (cached !== undefined) return cached;
    const value = resolve(realm);
    cache.set(realm, value);
    return value;
  };
}

/**
 * Operator names per canonical PLMN, for realms that only encode the PLMN: realms.csv first, then
 * gt-ranges.csv in file order. Leased ranges are skipped because their operator may be the lessee.
 */
function operatorsByPlmn(reference: ReferenceData): Map<string, string> {
  const operators = new Map<string, string>();
  const add = (plmn: string | null, operator: string | null): void => {
    if (plmn !== null && operator !== null && !operators.has(plmn)) operators.set(plmn, operator);
  };
  for (const { plmn, operator } of reference.realms) add(plmn, operator);
  for (const { plmn, operator, leased } of reference.gtRanges) if (!leased) add(plmn, operator);
  return operators;
}

function allowlistMatcher(entries: readonly AllowlistEntry[]): Numbering['isAllowlisted'] {
  const trie = new DigitTrie<AllowlistEntry[]>();
  const byPrefix = new Map<string, AllowlistEntry[]>();
  for (const entry of entries) {
    const list = byPrefix.get(entry.prefix) ?? [];
    list.push(entry);
    byPrefix.set(entry.prefix, list);
  }
  for (const [prefix, list] of byPrefix) trie.set(prefix, list);
  return (sourceDigits, reporterPlmn, operation) => {
    // Realm sources and malformed GTs are never allowlisted: the contract's allowlist keys are GT prefixes.
    if (!isAllDigits(sourceDigits)) return false;
    let node = DigitTrie.ROOT;
    for (let i = 0; i < sourceDigits.length; i++) {
      node = trie.child(node, sourceDigits, i);
      if (node < 0) return false;
      const list = trie.valueAt(node);
      if (list !== undefined && anyCovers(list, reporterPlmn, operation)) return true;
    }
    return false;
  };
}

function anyCovers(list: readonly AllowlistEntry[], reporterPlmn: string, operation: number): boolean {
  for (const entry of list) if (covers(entry, reporterPlmn, operation)) return true;
  return false;
}

function covers(entry: AllowlistEntry, reporterPlmn: string, operation: number): boolean {
  const reporterMatches = entry.reporter === '*' || samePlmn(entry.reporter, reporterPlmn);
  return reporterMatches && (entry.operations === '*' || entry.operations.includes(operation));
}
