import { threeDigitsAt } from './digits.js';

/**
 * MCC → ISO 3166-1 alpha-2, after the ITU-T E.212 list of Mobile Country Codes (annex to the ITU Operational
 * Bulletin, "Mobile Network Codes (MNC) for the international identification plan for public networks and
 * subscriptions"). Kept in the repository rather than taken from a package because the only maintained one
 * (mcc-mnc-list, scraped from Wikipedia) misses MCCs without listed networks (e.g. 225, 332, 406, 430) and
 * has composite codes such as "AU/CC/CX"; test/mcc.test.ts cross-checks this table against it.
 *
 * An MCC that covers several territories maps to the main one, which is what the contract needs (the
 * subscriber's home *country* by MCC): 234 → GB although JE, GG and IM networks use it too, 505 → AU (also
 * CC, CX, NF), 340 → GP (French Antilles: GP, MQ, BL, MF), 362 → CW (former Netherlands Antilles: CW, SX,
 * BQ), 647 → RE (also YT), 425 → IL (also PS networks). MCCs that belong to no country (001 test, 901
 * international/satellite, 902, 991 trials, 999 internal) map to null, as do MCCs the ITU has not assigned
 * (e.g. 289, used in Abkhazia).
 */
const MCC_COUNTRY: ReadonlyArray<readonly [mcc: number, country: string]> = [
  // 2xx Europe
  [202, 'GR'], [204, 'NL'], [206, 'BE'], [208, 'FR'], [212, 'MC'], [213, 'AD'], [214, 'ES'], [216, 'HU'],
  [218, 'BA'], [219, 'HR'], [220, 'RS'], [221, 'XK'], [222, 'IT'], [225, 'VA'], [226, 'RO'], [228, 'CH'],
  [230, 'CZ'], [231, 'SK'], [232, 'AT'], [234, 'GB'], [235, 'GB'], [238, 'DK'], [240, 'SE'], [242, 'NO'],
  [244, 'FI'], [246, 'LT'], [247, 'LV'], [248, 'EE'], [250, 'RU'], [255, 'UA'], [257, 'BY'], [259, 'MD'],
  [260, 'PL'], [262, 'DE'], [266, 'GI'], [268, 'PT'], [270, 'LU'], [272, 'IE'], [274, 'IS'], [276, 'AL'],
  [278, 'MT'], [280, 'CY'], [282, 'GE'], [283, 'AM'], [284, 'BG'], [286, 'TR'], [288, 'FO'], [290, 'GL'],
  [292, 'SM'], [293, 'SI'], [294, 'MK'], [295, 'LI'], [297, 'ME'],
  // 3xx North America and the Caribbean
  [302, 'CA'], [308, 'PM'], [310, 'US'], [311, 'US'], [312, 'US'], [313, 'US'], [314, 'US'], [315, 'US'],
  [316, 'US'], [330, 'PR'], [332, 'VI'], [334, 'MX'], [338, 'JM'], [340, 'GP'], [342, 'BB'], [344, 'AG'],
  [346, 'KY'], [348, 'VG'], [350, 'BM'], [352, 'GD'], [354, 'MS'], [356, 'KN'], [358, 'LC'], [360, 'VC'],
  [362, 'CW'], [363, 'AW'], [364, 'BS'], [365, 'AI'], [366, 'DM'], [368, 'CU'], [370, 'DO'], [372, 'HT'],
  [374, 'TT'], [376, 'TC'],
  // 4xx Asia and the Middle East
  [400, 'AZ'], [401, 'KZ'], [402, 'BT'], [404, 'IN'], [405, 'IN'], [406, 'IN'], [410, 'PK'], [412, 'AF'],
  [413, 'LK'], [414, 'MM'], [415, 'LB'], [416, 'JO'], [417, 'SY'], [418, 'IQ'], [419, 'KW'], [420, 'SA'],
  [421, 'YE'], [422, 'OM'], [424, 'AE'], [425, 'IL'], [426, 'BH'], [427, 'QA'], [428, 'MN'], [429, 'NP'],
  [430, 'AE'], [431, 'AE'], [432, 'IR'], [434, 'UZ'], [436, 'TJ'], [437, 'KG'], [438, 'TM'], [440, 'JP'],
  [441, 'JP'], [450, 'KR'], [452, 'VN'], [454, 'HK'], [455, 'MO'], [456, 'KH'], [457, 'LA'], [460, 'CN'],
  [461, 'CN'], [466, 'TW'], [467, 'KP'], [470, 'BD'], [472, 'MV'],
  // 5xx Oceania and South-East Asia
  [502, 'MY'], [505, 'AU'], [510, 'ID'], [514, 'TL'], [515, 'PH'], [520, 'TH'], [525, 'SG'], [528, 'BN'],
  [530, 'NZ'], [536, 'NR'], [537, 'PG'], [539, 'TO'], [540, 'SB'], [541, 'VU'], [542, 'FJ'], [543, 'WF'],
  [544, 'AS'], [545, 'KI'], [546, 'NC'], [547, 'PF'], [548, 'CK'], [549, 'WS'], [550, 'FM'], [551, 'MH'],
  [552, 'PW'], [553, 'TV'], [554, 'TK'], [555, 'NU'],
  // 6xx Africa
  [602, 'EG'], [603, 'DZ'], [604, 'MA'], [605, 'TN'], [606, 'LY'], [607, 'GM'], [608, 'SN'], [609, 'MR'],
  [610, 'ML'], [611, 'GN'], [612, 'CI'], [613, 'BF'], [614, 'NE'], [615, 'TG'], [616, 'BJ'], [617, 'MU'],
  [618, 'LR'], [619, 'SL'], [620, 'GH'], [621, 'NG'], [622, 'TD'], [623, 'CF'], [624, 'CM'], [625, 'CV'],
  [626, 'ST'], [627, 'GQ'], [628, 'GA'], [629, 'CG'], [630, 'CD'], [631, 'AO'], [632, 'GW'], [633, 'SC'],
  [634, 'SD'], [635, 'RW'], [636, 'ET'], [637, 'SO'], [638, 'DJ'], [639, 'KE'], [640, 'TZ'], [641, 'UG'],
  [642, 'BI'], [643, 'MZ'], [645, 'ZM'], [646, 'MG'], [647, 'RE'], [648, 'ZW'], [649, 'NA'], [650, 'MW'],
  [651, 'LS'], [652, 'BW'], [653, 'SZ'], [654, 'KM'], [655, 'ZA'], [657, 'ER'], [658, 'SH'], [659, 'SS'],
  // 7xx Central and South America
  [702, 'BZ'], [704, 'GT'], [706, 'SV'], [708, 'HN'], [710, 'NI'], [712, 'CR'], [714, 'PA'], [716, 'PE'],
  [722, 'AR'], [724, 'BR'], [730, 'CL'], [732, 'CO'], [734, 'VE'], [736, 'BO'], [738, 'GY'], [740, 'EC'],
  [742, 'GF'], [744, 'PY'], [746, 'SR'], [748, 'UY'], [750, 'FK'],
  // 9xx: only the British Indian Ocean Territory is a country; 901, 902, 991, 999 are not
  [995, 'IO'],
];

/**
 * MCCs whose networks all have 3-digit MNCs (ITU E.212 practice, checked against mcc-mnc-list). Used only to
 * pick the display form of a PLMN id; comparisons never depend on it.
 */
const THREE_DIGIT_MNC_MCCS: readonly number[] = [
  302, 310, 311, 312, 313, 314, 315, 316, 330, 334, 342, 344, 346, 348, 352, 354, 356, 358, 360, 365, 366, 376,
  708, 722, 732, 750,
];

// Indexed by the numeric MCC so a lookup allocates nothing.
const countryByMcc: ReadonlyArray<string | null> = buildCountryIndex();
const threeDigitMnc: ReadonlyArray<boolean> = buildThreeDigitIndex();

function buildCountryIndex(): Array<string | null> {
  const index = new Array<string | null>(1000).fill(null);
  for (const [mcc, country] of MCC_COUNTRY) index[mcc] = country;
  return index;
}

function buildThreeDigitIndex(): boolean[] {
  const index = new Array<boolean>(1000).fill(false);
  for (const mcc of THREE_DIGIT_MNC_MCCS) index[mcc] = true;
  return index;
}

/** Country of a numeric MCC (0–999), or null when it belongs to no country or is unassigned. */
export function countryOfMccNumber(mcc: number): string | null {
  return countryByMcc[mcc] ?? null;
}

/** Country of an MCC given as three digits ("234" → "GB"); null for anything else. */
export function countryOfMcc(mcc: string): string | null {
  if (mcc.length !== 3) return null;
  const value = threeDigitsAt(mcc, 0);
  return value < 0 ? null : countryOfMccNumber(value);
}

/** Whether the MCC's networks use 3-digit MNCs, so "310-26" is displayed as "310-026". */
export function usesThreeDigitMnc(mcc: number): boolean {
  return threeDigitMnc[mcc] ?? false;
}

/** Every MCC in the table with its country, for tests and documentation. */
export function mccTable(): ReadonlyArray<readonly [mcc: string, country: string]> {
  return MCC_COUNTRY.map(([mcc, country]) => [String(mcc).padStart(3, '0'), country] as const);
}
