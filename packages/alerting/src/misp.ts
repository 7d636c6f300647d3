/**
 * MISP events (draft-dulaunoy-misp-core-format) with one `ss7-attack` object (a GT source) or `diameter-attack`
 * object (a realm source) per alert, using the MISP/misp-objects templates' attribute names. Only the calling
 * source is filled in: the templates' subscriber slots (MapImsi, MapMsisdn, SccpCdGT, Username) stay empty, as the
 * alert contract has no such data (reference/alerting.md §1.4 privacy note).
 */
import type { Alert, TlpLabel } from '@gtwatch/schema';
import { GTWATCH_NAMESPACE, uuidv5 } from './ids.js';

export const SS7_ATTACK_TEMPLATE = { name: 'ss7-attack', uuid: 'f3493d8b-a7ab-48d0-a775-046c4d64d782', version: '1' } as const;
export const DIAMETER_ATTACK_TEMPLATE = { name: 'diameter-attack', uuid: 'a3fdce4c-8e21-4acc-ab8e-9976e9165a12', version: '2' } as const;

export interface MispAttribute {
  uuid: string;
  object_relation: string;
  type: 'text' | 'datetime';
  category: string;
  value: string;
  to_ids: boolean;
  disable_correlation: boolean;
}

export interface MispObject {
  uuid: string;
  name: string;
  'meta-category': 'network';
  template_uuid: string;
  template_version: string;
  description: string;
  timestamp: string;
  distribution: '5';
  Attribute: MispAttribute[];
}

export interface MispEvent {
  uuid: string;
  info: string;
  date: string;
  timestamp: string;
  published: false;
  /** 1 high, 2 medium, 3 low (current drafts). */
  threat_level_id: '1' | '2' | '3';
  /** 1 ongoing, 2 completed. */
  analysis: '1' | '2';
  distribution: '0' | '1' | '2' | '3';
  Tag: { name: string }[];
  Object: MispObject[];
}

/**
 * TLP → MISP distribution: clear may go to all communities (3), green to connected communities (2), amber and
 * amber+strict stay with the receiving organisation (0); onward sharing under amber is the recipient's call.
 */
const DISTRIBUTION: Readonly<Record<Exclude<TlpLabel, 'red'>, MispEvent['distribution']>> = {
  clear: '3',
  green: '2',
  amber: '0',
  'amber+strict': '0',
};

const THREAT_LEVEL: Readonly<Record<Alert['data']['severity'], MispEvent['threat_level_id']>> = {
  critical: '1',
  high: '1',
  medium: '2',
  low: '3',
};

function categoryLabel(alert: Alert): string | undefined {
  if (alert.data.pattern === 'gt-spoofing') return 'CatSpoofing';
  return alert.data.category === null ? undefined : `Cat${alert.data.category}`;
}

function epochSeconds(iso: string): string {
  return String(Math.floor(Date.parse(iso) / 1000));
}

/** The operation seen most often: the templates hold one opcode / command code. */
function topOperation(alert: Alert): number | undefined {
  return [...alert.data.operations].sort((a, b) => b.count - a.count || a.operation - b.operation)[0]?.operation;
}

function describe(alert: Alert): string {
  const ops = alert.data.operations.map((op) => `${op.count} ${op.name}`).join(', ');
  const withdrawal = alert.data.withdrawal ? ` Withdrawn by ${alert.data.withdrawal.by}: ${alert.data.withdrawal.reason}.` : '';
  return `${alert.data.explanation} Operations: ${ops || 'none'}. Reporters: ${alert.data.reporters.join(', ')}.${withdrawal}`;
}

function attackObject(alert: Alert): MispObject {
  const { data } = alert;
  const objectUuid = uuidv5(`misp-object|${data.alertId}`, GTWATCH_NAMESPACE);
  const attribute = (relation: string, value: string, extra: Partial<MispAttribute> = {}): MispAttribute => ({
    uuid: uuidv5(`misp-attribute|${data.alertId}|${relation}`, GTWATCH_NAMESPACE),
    object_relation: relation,
    type: 'text',
    category: 'Network activity',
    value,
    to_ids: false,
    disable_correlation: true,
    ...extra,
  });
  const isGt = data.source.type === 'gt';
  const template = isGt ? SS7_ATTACK_TEMPLATE : DIAMETER_ATTACK_TEMPLATE;
  const attributes: MispAttribute[] = [
    isGt
      ? attribute('SccpCgGT', data.source.id, { to_ids: true, disable_correlation: false })
      : attribute('Origin-Realm', data.source.id, { to_ids: true, disable_correlation: false }),
  ];
  const op = topOperation(alert);
  if (op !== undefined) attributes.push(attribute(isGt ? 'MapOpCode' : 'CmdCode', String(op)));
  const category = categoryLabel(alert);
  if (category !== undefined) attributes.push(attribute(isGt ? 'Category' : 'category', category));
  attributes.push(attribute('text', describe(alert)));
  attributes.push(attribute('first-seen', new Date(Date.parse(data.firstSeen)).toISOString(), { type: 'datetime', category: 'Other' }));
  return {
    uuid: objectUuid,
    name: template.name,
    'meta-category': 'network',
    template_uuid: template.uuid,
    template_version: template.version,
    description: isGt ? 'SS7 attack seen in signalling summaries' : 'Diameter attack seen in signalling summaries',
    timestamp: epochSeconds(alert.time),
    distribution: '5',
    Attribute: attributes,
  };
}

export function toMispEvent(alert: Alert): MispEvent {
  if (alert.tlp === 'red') throw new RangeError(`alert ${alert.data.alertId} is TLP:RED and is never exported`);
  const { data } = alert;
  const source = `${data.source.type === 'gt' ? 'GT' : 'realm'} ${data.source.id}${data.source.country ? ` (${data.source.country})` : ''}`;
  const tags = [`tlp:${alert.tlp}`, `gtwatch:pattern="${data.pattern}"`, `gtwatch:status="${data.status}"`];
  for (const j of data.jurisdictions) tags.push(`gtwatch:jurisdiction="${j}"`);
  return {
    uuid: uuidv5(`misp-event|${data.alertId}`, GTWATCH_NAMESPACE),
    info: `gtwatch ${data.severity} ${data.pattern} alert: ${source}`,
    date: new Date(Date.parse(data.firstSeen)).toISOString().slice(0, 10),
    timestamp: epochSeconds(alert.time),
    published: false,
    threat_level_id: THREAT_LEVEL[data.severity],
    analysis: data.status === 'resolved' || data.status === 'withdrawn' ? '2' : '1',
    distribution: DISTRIBUTION[alert.tlp],
    Tag: tags.map((name) => ({ name })),
    Object: [attackObject(alert)],
  };
}

/** The `{"response": [{"Event": …}, …]}` shape MISP's REST API returns and its importers accept. */
export function toMispDocument(alerts: readonly Alert[]): { response: { Event: MispEvent }[] } {
  return { response: alerts.map((alert) => ({ Event: toMispEvent(alert) })) };
}
