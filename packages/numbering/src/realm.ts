import { formatPlmn } from './plmn.js';

const THREE_GPP_SUFFIX = '.3gppnetwork.org';
const MNC_LABEL = /^mnc(\d{2,3})$/;
const MCC_LABEL = /^mcc(\d{3})$/;

/** Lower case without one trailing dot: DNS names compare case-insensitively and may be written fully qualified. */
export function normalizeRealm(realm: string): string {
  const lower = realm.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The PLMN a 3GPP realm or host name carries (TS 23.003): `epc.mnc001.mcc262.3gppnetwork.org` → "262-01".
 * Any name under 3gppnetwork.org with an `mncXXX.mccYYY` label pair counts, so IMS (`ims.mnc…`), 5GC, the
 * `pub.3gppnetwork.org` forms and Origin-Host names (`mme1.epc.mnc…`) work too. 3GPP pads the MNC to three
 * digits; the result is in canonical display form (see formatPlmn), and comparisons are numeric anyway.
 * Null for anything else.
 */
export function plmnOfRealm(realm: string): string | null {
  const name = normalizeRealm(realm);
  if (!name.endsWith(THREE_GPP_SUFFIX)) return null;
  const labels = name.slice(0, -THREE_GPP_SUFFIX.length).split('.');
  for (let i = 0; i + 1 < labels.length; i++) {
    const mnc = MNC_LABEL.exec(labels[i] ?? '')?.[1];
    if (mnc === undefined) continue;
    const mcc = MCC_LABEL.exec(labels[i + 1] ?? '')?.[1];
    if (mcc !== undefined) return formatPlmn(Number(mcc), Number(mnc));
  }
  return null;
}
