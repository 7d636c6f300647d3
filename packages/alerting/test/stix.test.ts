import { readFileSync } from 'node:fs';
import { TLP_LABELS } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import {
  GLOBAL_TITLE_EXTENSION_ID,
  GTWATCH_IDENTITY_ID,
  type StixObject,
  TLP2_MARKING_IDS,
  tlpMarking,
  toStixBundle,
} from '../src/index.js';
import { alertEvent } from './fixtures.js';
import { stixValidator } from './stix-validator.js';

const validator = stixValidator();

const gtAlert = alertEvent({ id: 'e1', alertId: 'A', tlp: 'amber', jurisdictions: ['gb'] });
const realmAlert = alertEvent({
  id: 'e2',
  alertId: 'B',
  tlp: 'green',
  subscribers: 0,
  status: 'resolved',
  time: '2026-11-30T12:00:00.000Z',
  source: { type: 'realm', id: 'epc.mnc099.mcc470.3gppnetwork.org', country: 'BD' },
});
const withdrawn = alertEvent({ id: 'e3', alertId: 'C', tlp: 'amber+strict', status: 'withdrawn' });

function byType(objects: StixObject[], type: string): StixObject[] {
  return objects.filter((o) => o.type === type);
}

describe('STIX 2.1 export', () => {
  const bundle = toStixBundle([gtAlert, realmAlert, withdrawn]);

  // See stix-schemas/README.md: the vendored 2020 bundle schema predates TLP 2.0 markings and custom SCOs, so those
  // two kinds are checked against the OASIS TLP 2.0 schema and the official SCO common schema instead.
  it('validates against the OASIS STIX 2.1 schemas', () => {
    const markings = byType(bundle.objects, 'marking-definition');
    const gts = byType(bundle.objects, 'x-gtwatch-global-title');
    const rest = bundle.objects.filter((o) => o.type !== 'marking-definition' && o.type !== 'x-gtwatch-global-title');
    expect(validator.bundle({ ...bundle, objects: rest })).toEqual([]);
    for (const marking of markings) expect(validator.tlpMarking(marking), marking.id).toEqual([]);
    expect(gts).toHaveLength(1);
    for (const gt of gts) expect(validator.object('common/cyber-observable-core.json', gt)).toEqual([]);
    for (const [type, schema] of [
      ['identity', 'sdos/identity.json'],
      ['indicator', 'sdos/indicator.json'],
      ['sighting', 'sros/sighting.json'],
      ['observed-data', 'sdos/observed-data.json'],
      ['domain-name', 'observables/domain-name.json'],
      ['extension-definition', 'common/extension-definition.json'],
    ] as const) {
      const objects = byType(bundle.objects, type);
      expect(objects.length, type).toBeGreaterThan(0);
      for (const object of objects) expect(validator.object(schema, object), `${type} ${object.id}`).toEqual([]);
    }
  });

  it('the validation can fail: a broken indicator and a TLP 1.0 marking id are rejected', () => {
    const indicator = byType(bundle.objects, 'indicator')[0]!;
    const { valid_from: _dropped, ...broken } = indicator;
    expect(validator.object('sdos/indicator.json', broken)).not.toEqual([]);
    expect(validator.bundle({ ...bundle, objects: [{ ...indicator, created: '2026-11-30T10:15:02Z' }] })).not.toEqual([]);
    const tlp1Green = { ...tlpMarking('green'), id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' };
    expect(validator.tlpMarking(tlp1Green)).not.toEqual([]);
    const mislabelled = { ...tlpMarking('amber'), name: 'TLP:GREEN' };
    expect(validator.tlpMarking(mislabelled)).not.toEqual([]);
    const gt = byType(bundle.objects, 'x-gtwatch-global-title')[0]!;
    expect(validator.object('common/cyber-observable-core.json', { ...gt, id: 'x-gtwatch-global-title--not-a-uuid' })).not.toEqual([]);
  });

  it('uses the fixed TLP 2.0 marking ids and puts a marking on every object', () => {
    const schema = JSON.parse(readFileSync(new URL('./stix-schemas/tlp-2.0/marking-definition.json', import.meta.url), 'utf8'));
    for (const label of TLP_LABELS) {
      const key = `tlp_${label.replace('+', '_')}`;
      expect(schema.definitions[key].properties.id.enum).toEqual([TLP2_MARKING_IDS[label]]);
    }
    for (const object of bundle.objects) {
      if (object.type === 'marking-definition') continue;
      expect(object.object_marking_refs, object.id).toHaveLength(1);
    }
    const indicatorMarkings = byType(bundle.objects, 'indicator').map((o) => (o.object_marking_refs as string[])[0]);
    expect(indicatorMarkings).toEqual([TLP2_MARKING_IDS.amber, TLP2_MARKING_IDS.green, TLP2_MARKING_IDS['amber+strict']]);
    expect(byType(bundle.objects, 'marking-definition').map((m) => m.name).sort()).toEqual(['TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:CLEAR', 'TLP:GREEN']);
  });

  it('exports the GT as the custom SCO defined by the extension, and a realm as a domain-name', () => {
    const [gt] = byType(bundle.objects, 'x-gtwatch-global-title');
    expect(gt).toMatchObject({ value: '2250760000123', numbering_plan: 'e164', country: 'CI', extensions: { [GLOBAL_TITLE_EXTENSION_ID]: { extension_type: 'new-sco' } } });
    expect(byType(bundle.objects, 'extension-definition')[0]).toMatchObject({ id: GLOBAL_TITLE_EXTENSION_ID, extension_types: ['new-sco'], created_by_ref: GTWATCH_IDENTITY_ID });
    const patterns = byType(bundle.objects, 'indicator').map((o) => o.pattern);
    expect(patterns).toContain("[x-gtwatch-global-title:value = '2250760000123']");
    expect(patterns).toContain("[domain-name:value = 'epc.mnc099.mcc470.3gppnetwork.org']");
  });

  it('gives the same ids for the same alert, and later states become new versions of the same objects', () => {
    const again = toStixBundle([gtAlert, realmAlert, withdrawn]);
    expect(again).toEqual(bundle);
    const later = toStixBundle([{ ...gtAlert, id: 'e9', time: '2026-11-30T13:00:00.000Z', data: { ...gtAlert.data, status: 'update' } }]);
    const before = byType(toStixBundle([gtAlert]).objects, 'indicator')[0]!;
    const after = byType(later.objects, 'indicator')[0]!;
    expect(after.id).toBe(before.id);
    expect(after.created).toBe(before.created);
    expect(Date.parse(after.modified as string)).toBeGreaterThan(Date.parse(before.modified as string));
    expect(later.id).not.toBe(toStixBundle([gtAlert]).id);
  });

  it('maps the lifecycle: resolved sets valid_until, withdrawn revokes', () => {
    const indicators = byType(bundle.objects, 'indicator');
    expect(indicators[1]).toMatchObject({ valid_until: '2026-11-30T12:00:00.000Z' });
    expect(indicators[2]).toMatchObject({ revoked: true });
    expect(indicators[0]).not.toHaveProperty('revoked');
  });

  it('keeps one observable per source, under the strictest label of the alerts that share it', () => {
    const green = alertEvent({ id: 'g', alertId: 'G', tlp: 'green', subscribers: 0 });
    const amber = alertEvent({ id: 'a', alertId: 'H', tlp: 'amber+strict' });
    const scos = byType(toStixBundle([green, amber]).objects, 'x-gtwatch-global-title');
    expect(scos).toHaveLength(1);
    expect(scos[0]!.object_marking_refs).toEqual([TLP2_MARKING_IDS['amber+strict']]);
  });

  it('refuses TLP:RED', () => {
    expect(() => toStixBundle([alertEvent({ tlp: 'red' })])).toThrow(/never exported/);
  });
});
