import { digitAt, threeDigitsAt } from './digits.js';
import { countryOfMccNumber, usesThreeDigitMnc } from './mcc.js';

/**
 * A PLMN id split into its parts. The MNC is kept as a number because the contract compares PLMNs by the
 * numeric MNC: "262-01", "262-001" and a realm's "mnc001.mcc262" are the same network.
 */
export interface PlmnParts {
  readonly mcc: string;
  readonly mnc: number;
}

/** MCC, or -1 when `text` is not `MCC-MNC` (3 digits, '-', 2 or 3 digits). Allocation-free. */
function mccNumberOf(text: string): number {
  if (text.length !== 6 && text.length !== 7) return -1;
  if (text.charCodeAt(3) !== 45 /* - */) return -1;
  return threeDigitsAt(text, 0);
}

/** Numeric MNC, or -1; only meaningful after mccNumberOf() accepted the text. */
function mncNumberOf(text: string): number {
  let mnc = 0;
  for (let i = 4; i < text.length; i++) {
    const d = digitAt(text, i);
    if (d < 0) return -1;
    mnc = mnc * 10 + d;
  }
  return mnc;
}

/** Whether `text` is a PLMN id `MCC-MNC` with a 3-digit MCC and a 2- or 3-digit MNC. */
export function isPlmn(text: string): boolean {
  return mccNumberOf(text) >= 0 && mncNumberOf(text) >= 0;
}

/** Splits `MCC-MNC`; null when the text is not a PLMN id. */
export function parsePlmn(text: string): PlmnParts | null {
  if (!isPlmn(text)) return null;
  return { mcc: text.slice(0, 3), mnc: mncNumberOf(text) };
}

/** The MCC of a PLMN id ("262-01" → "262"), or null when the text is not a PLMN id. */
export function mccOf(plmn: string): string | null {
  return isPlmn(plmn) ? plmn.slice(0, 3) : null;
}

/**
 * Display form of a PLMN: the MNC has 3 digits when it is ≥ 100 or when the MCC's networks all use 3-digit
 * MNCs (NANP, Mexico, several Caribbean and Latin American MCCs), else 2 digits. So "262-001" → "262-01",
 * "310-26" → "310-026". It is a function of (MCC, numeric MNC) only, so it is also a comparison key.
 */
export function formatPlmn(mcc: number, mnc: number): string {
  const width = mnc >= 100 || usesThreeDigitMnc(mcc) ? 3 : 2;
  return `${String(mcc).padStart(3, '0')}-${String(mnc).padStart(width, '0')}`;
}

/** The canonical form of a PLMN id (see formatPlmn), or null when the text is not a PLMN id. */
export function canonicalPlmn(text: string): string | null {
  const mcc = mccNumberOf(text);
  if (mcc < 0) return null;
  const mnc = mncNumberOf(text);
  return mnc < 0 ? null : formatPlmn(mcc, mnc);
}

/** Same MCC and same numeric MNC. False when either side is not a PLMN id. Allocation-free for the hot path. */
export function samePlmn(a: string, b: string): boolean {
  const mccA = mccNumberOf(a);
  if (mccA < 0 || mccA !== mccNumberOf(b)) return false;
  const mncA = mncNumberOf(a);
  return mncA >= 0 && mncA === mncNumberOf(b);
}

/** Country of a PLMN's MCC ("234-15" → "GB"); null for non-PLMN text and MCCs of no country. */
export function countryOfPlmn(plmn: string): string | null {
  const mcc = mccNumberOf(plmn);
  if (mcc < 0 || mncNumberOf(plmn) < 0) return null;
  return countryOfMccNumber(mcc);
}
