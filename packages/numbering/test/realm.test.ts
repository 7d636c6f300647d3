import { describe, expect, it } from 'vitest';
import { samePlmn } from '../src/plmn.js';
import { normalizeRealm, plmnOfRealm } from '../src/realm.js';

describe('3GPP realms', () => {
  it('parses the EPC realm into a PLMN that equals the 2-digit form numerically', () => {
    expect(plmnOfRealm('epc.mnc001.mcc262.3gppnetwork.org')).toBe('262-01');
    expect(samePlmn(plmnOfRealm('epc.mnc001.mcc262.3gppnetwork.org') ?? '', '262-001')).toBe(true);
    expect(plmnOfRealm('epc.mnc015.mcc234.3gppnetwork.org')).toBe('234-15');
    expect(plmnOfRealm('epc.mnc260.mcc310.3gppnetwork.org')).toBe('310-260');
    expect(plmnOfRealm('epc.mnc026.mcc310.3gppnetwork.org')).toBe('310-026');
  });

  it('ignores case and one trailing dot', () => {
    expect(plmnOfRealm('EPC.MNC001.MCC262.3GPPNETWORK.ORG')).toBe('262-01');
    expect(plmnOfRealm('epc.mnc001.mcc262.3gppnetwork.org.')).toBe('262-01');
    expect(normalizeRealm('Diameter.Example.COM.')).toBe('diameter.example.com');
  });

  it('accepts the other 3gppnetwork.org forms that carry mnc/mcc labels', () => {
    expect(plmnOfRealm('ims.mnc010.mcc302.3gppnetwork.org')).toBe('302-010');
    expect(plmnOfRealm('mnc001.mcc262.3gppnetwork.org')).toBe('262-01');
    expect(plmnOfRealm('mme01.mmegi8001.mme.epc.mnc001.mcc262.3gppnetwork.org')).toBe('262-01');
    expect(plmnOfRealm('epdg.epc.mnc015.mcc234.pub.3gppnetwork.org')).toBe('234-15');
    expect(plmnOfRealm('5gc.mnc091.mcc505.3gppnetwork.org')).toBe('505-91');
  });

  it('returns null for realms that carry no PLMN', () => {
    for (const realm of [
      'diameter.albion-mobile.example',
      'epc.mnc001.mcc262.example.org',
      'epc.mcc262.mnc001.3gppnetwork.org',
      'epc.mncabc.mcc262.3gppnetwork.org',
      'epc.mnc0001.mcc262.3gppnetwork.org',
      '3gppnetwork.org',
      'epc.mnc001.mcc262.3gppnetwork.org.evil.example',
      '',
    ]) {
      expect(plmnOfRealm(realm), realm).toBeNull();
    }
  });
});
