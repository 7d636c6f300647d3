/**
 * STIX 2.1 bundles for regulators' threat-intel platforms (reference/alerting.md §1.1, §1.3). Per alert: the source
 * as an observable (a Global Title as the custom SCO `x-gtwatch-global-title`, defined by this package's
 * extension-definition; a Diameter realm as a standard `domain-name`), an observed-data over the evidence window, an
 * indicator whose pattern matches the source, and a sighting by gtwatch. Ids are UUIDv5 from stable inputs, so a
 * later state of the same alert is a new version (same id, later `modified`) of the same objects. Every object
 * carries the alert's TLP 2.0 marking; markings are the fixed OASIS TLP 2.0 marking-definitions, included in the
 * bundle because STIX 2.1 does not predefine them.
 */
import type { Alert, TlpLabel } from '@gtwatch/schema';
import { GTWATCH_NAMESPACE, scoId, uuidv5 } from './ids.js';
import { mostRestrictive } from './tlp.js';

export const TLP2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The fixed TLP 2.0 marking-definition ids (oasis-open/cti-stix-common-objects, tlp-2.0). */
export const TLP2_MARKING_IDS: Readonly<Record<TlpLabel, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

export const GLOBAL_TITLE_SCO_TYPE = 'x-gtwatch-global-title';

/** First version of the producer objects; they never change, so their ids and versions stay put. */
const PRODUCER_OBJECTS_CREATED = '2026-11-01T00:00:00.000Z';

const sdoId = (type: string, name: string): string => `${type}--${uuidv5(`${type}|${name}`, GTWATCH_NAMESPACE)}`;

export const GTWATCH_IDENTITY_ID = sdoId('identity', 'gtwatch');
export const GLOBAL_TITLE_EXTENSION_ID = sdoId('extension-definition', `${GLOBAL_TITLE_SCO_TYPE}|1.0.0`);

export function tlpMarking(label: TlpLabel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[label],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${label.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: label } },
  };
}

function gtwatchIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: GTWATCH_IDENTITY_ID,
    created: PRODUCER_OBJECTS_CREATED,
    modified: PRODUCER_OBJECTS_CREATED,
    name: 'gtwatch',
    description: 'Global Title abuse analytics over operators’ anonymised SS7/Diameter signalling summaries.',
    identity_class: 'system',
    object_marking_refs: [TLP2_MARKING_IDS.clear],
  };
}

function globalTitleExtension(): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: GLOBAL_TITLE_EXTENSION_ID,
    created_by_ref: GTWATCH_IDENTITY_ID,
    created: PRODUCER_OBJECTS_CREATED,
    modified: PRODUCER_OBJECTS_CREATED,
    name: 'SCCP Global Title (network node address)',
    description:
      'The calling-party Global Title of a signalling source. A GT addresses a network node, not a subscriber: never use it for a subscriber number.',
    schema:
      'Properties: value (required; E.164 digits, 1-15, no "+"), numbering_plan (required; "e164"), country (ISO 3166-1 alpha-2 of the range holder, optional). Id-contributing properties: value, numbering_plan.',
    version: '1.0.0',
    extension_types: ['new-sco'],
    object_marking_refs: [TLP2_MARKING_IDS.clear],
  };
}

/** STIX timestamps: UTC with exactly millisecond precision. */
function stixTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}

function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function sourceObservable(alert: Alert): { sco: StixObject; pattern: string } {
  const { source } = alert.data;
  if (source.type === 'gt') {
    const sco: StixObject = {
      type: GLOBAL_TITLE_SCO_TYPE,
      spec_version: '2.1',
      id: scoId(GLOBAL_TITLE_SCO_TYPE, { value: source.id, numbering_plan: 'e164' }),
      value: source.id,
      numbering_plan: 'e164',
      ...(source.country ? { country: source.country } : {}),
      extensions: { [GLOBAL_TITLE_EXTENSION_ID]: { extension_type: 'new-sco' } },
    };
    return { sco, pattern: `[${GLOBAL_TITLE_SCO_TYPE}:value = '${source.id}']` };
  }
  const sco: StixObject = { type: 'domain-name', spec_version: '2.1', id: scoId('domain-name', { value: source.id }), value: source.id };
  return { sco, pattern: `[domain-name:value = '${source.id}']` };
}

const MAX_STIX_COUNT = 999_999_999;

function alertObjects(alert: Alert, sco: StixObject, pattern: string): StixObject[] {
  const { data } = alert;
  const marking = [TLP2_MARKING_IDS[alert.tlp]];
  const created = stixTime(data.firstSeen);
  const modified = stixTime(laterOf(alert.time, data.firstSeen));
  const firstSeen = stixTime(data.firstSeen);
  const lastSeen = stixTime(data.lastSeen);
  const common = { spec_version: '2.1', created_by_ref: GTWATCH_IDENTITY_ID, created, modified, object_marking_refs: marking };
  const reference = [{ source_name: 'gtwatch', external_id: data.alertId, description: `gtwatch alert, pattern ${data.pattern}` }];
  const observedData: StixObject = {
    type: 'observed-data',
    id: sdoId('observed-data', data.alertId),
    ...common,
    first_observed: firstSeen,
    last_observed: lastSeen,
    number_observed: Math.min(data.count, MAX_STIX_COUNT),
    object_refs: [sco.id],
  };
  const indicator: StixObject = {
    type: 'indicator',
    id: sdoId('indicator', data.alertId),
    ...common,
    name: `${data.pattern} from ${data.source.type === 'gt' ? 'GT' : 'realm'} ${data.source.id}${data.source.country ? ` (${data.source.country})` : ''}`,
    description: data.explanation,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: firstSeen,
    // An alert that ended stops being intelligence to act on; STIX wants valid_until strictly after valid_from.
    ...(data.status === 'resolved' ? { valid_until: new Date(Math.max(Date.parse(alert.time), Date.parse(firstSeen) + 1)).toISOString() } : {}),
    ...(data.status === 'withdrawn' ? { revoked: true } : {}),
    confidence: data.score,
    labels: [`severity:${data.severity}`, `status:${data.status}`],
    external_references: reference,
  };
  const sighting: StixObject = {
    type: 'sighting',
    id: sdoId('sighting', data.alertId),
    ...common,
    description: `Seen in signalling reported by ${data.reporters.join(', ')}.`,
    first_seen: firstSeen,
    last_seen: lastSeen,
    count: Math.min(data.count, MAX_STIX_COUNT),
    sighting_of_ref: indicator.id,
    observed_data_refs: [observedData.id],
    where_sighted_refs: [GTWATCH_IDENTITY_ID],
    ...(data.status === 'withdrawn' ? { revoked: true } : {}),
  };
  return [observedData, indicator, sighting];
}

/** One bundle for the given alert states (one event per alert: pass `selectForExport(...).alerts`). */
export function toStixBundle(alerts: readonly Alert[]): StixBundle {
  const red = alerts.find((alert) => alert.tlp === 'red');
  if (red) throw new RangeError(`alert ${red.data.alertId} is TLP:RED and is never exported`);
  const scos = new Map<string, { sco: StixObject; tlp: TlpLabel }>();
  const perAlert: StixObject[] = [];
  const labels = new Set<TlpLabel>(['clear']);
  for (const alert of alerts) {
    const { sco, pattern } = sourceObservable(alert);
    // One observable per source: when alerts of different labels share it, the strictest label wins.
    const known = scos.get(sco.id);
    scos.set(sco.id, { sco, tlp: known ? mostRestrictive(known.tlp, alert.tlp) : alert.tlp });
    perAlert.push(...alertObjects(alert, sco, pattern));
    labels.add(alert.tlp);
  }
  const observables = [...scos.values()].map(({ sco, tlp }) => ({ ...sco, object_marking_refs: [TLP2_MARKING_IDS[tlp]] }));
  const markings = (['clear', 'green', 'amber', 'amber+strict'] as const).filter((l) => labels.has(l)).map(tlpMarking);
  const objects = [gtwatchIdentity(), globalTitleExtension(), ...markings, ...observables, ...perAlert];
  const versionKey = alerts.map((alert) => alert.id).sort().join(',');
  return { type: 'bundle', id: `bundle--${uuidv5(`bundle|${versionKey}`, GTWATCH_NAMESPACE)}`, objects };
}
