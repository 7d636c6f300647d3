import { describe, expect, it } from 'vitest';
import { toMispDocument, toMispEvent } from '../src/index.js';
import { alertEvent } from './fixtures.js';

describe('MISP export', () => {
  it('makes an ss7-attack object for a GT source with the calling GT, opcode, category, text and first-seen', () => {
    const event = toMispEvent(alertEvent({ tlp: 'amber', jurisdictions: ['gb', 'us'] }));
    expect(event).toMatchObject({ threat_level_id: '1', analysis: '1', distribution: '0', published: false, date: '2026-11-30' });
    expect(event.Tag.map((t) => t.name)).toEqual(['tlp:amber', 'gtwatch:pattern="category-1"', 'gtwatch:status="open"', 'gtwatch:jurisdiction="gb"', 'gtwatch:jurisdiction="us"']);
    const [object] = event.Object;
    expect(object).toMatchObject({ name: 'ss7-attack', template_uuid: 'f3493d8b-a7ab-48d0-a775-046c4d64d782' });
    const values = Object.fromEntries(object!.Attribute.map((a) => [a.object_relation, a.value]));
    expect(values).toMatchObject({ SccpCgGT: '2250760000123', MapOpCode: '71', Category: 'Cat1', 'first-seen': '2026-11-30T10:15:02.120Z' });
    expect(values.text).toContain('category 1 operations must never arrive');
  });

  it('never fills the subscriber slots of the templates', () => {
    const text = JSON.stringify(toMispDocument([alertEvent(), alertEvent({ source: { type: 'realm', id: 'epc.mnc001.mcc470.3gppnetwork.org' } })]));
    for (const slot of ['MapImsi', 'MapMsisdn', 'SccpCdGT', 'Username', 'MapSmsTP-OA']) expect(text).not.toContain(slot);
  });

  it('makes a diameter-attack object for a realm source', () => {
    const event = toMispEvent(alertEvent({ tlp: 'clear', subscribers: 0, status: 'resolved', source: { type: 'realm', id: 'epc.mnc050.mcc419.3gppnetwork.org', country: 'KW' } }));
    expect(event).toMatchObject({ distribution: '3', analysis: '2' });
    const [object] = event.Object;
    expect(object!.name).toBe('diameter-attack');
    const relations = object!.Attribute.map((a) => a.object_relation);
    expect(relations).toEqual(['Origin-Realm', 'CmdCode', 'category', 'text', 'first-seen']);
  });

  it('gives stable uuids and refuses TLP:RED', () => {
    expect(toMispEvent(alertEvent()).uuid).toBe(toMispEvent(alertEvent({ id: 'later', status: 'update' })).uuid);
    expect(() => toMispEvent(alertEvent({ tlp: 'red' }))).toThrow(/never exported/);
  });
});
