import { describe, expect, it } from 'vitest';
import { mapRecord, opened, run } from './helpers.js';

/** The jurisdictions of the category-1 alert one ATI from `callingGt` raises (victim: the reporter 234-91, GB). */
function jurisdictionsFor(callingGt: string, config: Parameters<typeof run>[1] = {}): string[] {
  const [alert] = opened(run([mapRecord({ callingGt })], config), 'category-1');
  if (!alert) throw new Error(`no category-1 alert for ${callingGt}`);
  return alert.data.jurisdictions;
}

describe('alert jurisdictions', () => {
  it('route a source in a US territory to the US regulator and one in an Australian external territory to AU', () => {
    expect(jurisdictionsFor('17875550100')).toEqual(['gb', 'us']); // PR shares +1 and MCC 330 with the US
    expect(jurisdictionsFor('61891621234')).toEqual(['au', 'gb']); // Cocos (Keeling) Islands share +61
  });

  it('keep the Crown Dependencies out of gb: they have their own regulators', () => {
    const [alert] = opened(run([mapRecord({ callingGt: '447797123456', reporter: '262-91', subscriberPlmn: '262-91' })]), 'category-1');
    expect(alert?.data.source.country).toBe('JE');
    expect(alert?.data.jurisdictions).toEqual([]);
  });

  it('follow the configured territories and jurisdictions, any ISO country included', () => {
    const config = { alerts: { jurisdictions: ['gb', 'je'], territories: { GG: 'je' } } };
    expect(jurisdictionsFor('447797123456', config)).toEqual(['gb', 'je']);
    expect(jurisdictionsFor('447781123456', config)).toEqual(['gb', 'je']); // Guernsey, routed with Jersey here
    expect(jurisdictionsFor('17875550100', config)).toEqual(['gb']);
  });

  it('route a toll-free NANP source to no North American regulator', () => {
    const [alert] = opened(run([mapRecord({ callingGt: '18002345678', reporter: '262-91', subscriberPlmn: '262-91' })]), 'category-1');
    expect(alert?.data.source.country).toBeNull();
    expect(alert?.data.jurisdictions).toEqual([]);
  });
});
