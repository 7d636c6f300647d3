/**
 * Cross-border alert v1 (shared/spec/alert-v1.md): a CloudEvents 1.0 event in JSON structured mode. Objects
 * are strict: an alert goes to regulators, so a field the contract does not list (a subscriber pseudonym that
 * slipped in, say) must fail validation rather than be published or silently dropped.
 */
import * as z from 'zod';
import {
  ALERT_SOURCE_PATTERN,
  COUNTRY_PATTERN,
  DNS_NAME_MAX_LENGTH,
  DNS_NAME_PATTERN,
  GT_PATTERN,
  JURISDICTION_PATTERN,
  rfc3339ToEpochMs,
} from './formats.js';
import { isForbiddenKey } from './redact.js';
import { PROTOCOLS, plmnSchema, rfc3339Schema } from './summary.js';

/** Stable public pattern ids (detection-v1.md). */
export const PATTERN_IDS = [
  'category-1',
  'category-2',
  'velocity',
  'imsi-harvesting',
  'scanning',
  'gt-spoofing',
  'gt-leasing',
  'volume-anomaly',
] as const;
export type PatternId = (typeof PATTERN_IDS)[number];

export type AlertCategory = 1 | 2 | 3 | null;

/** FS.11/FS.19 category of each pattern, from detection-v1.md's pattern table. */
export const PATTERN_CATEGORY: Readonly<Record<PatternId, AlertCategory>> = {
  'category-1': 1,
  'category-2': 2,
  velocity: 3,
  'imsi-harvesting': 3,
  scanning: null,
  'gt-spoofing': null,
  'gt-leasing': null,
  'volume-anomaly': null,
};

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** TLP 2.0 labels in lower case, least restrictive first. */
export const TLP_LABELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

export const ALERT_TYPES = [
  'org.gtwatch.alert.opened.v1',
  'org.gtwatch.alert.updated.v1',
  'org.gtwatch.alert.resolved.v1',
  // Not in alert-v1.md's list: an operator's retraction of a false positive (`gtwatch alerts withdraw`). Consumers
  // that only know the first three types can ignore it; those that know it drop the alert.
  'org.gtwatch.alert.withdrawn.v1',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_STATUSES = ['open', 'update', 'resolved', 'withdrawn'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** alert-v1.md: `data.status` matches `type`. */
export const ALERT_STATUS_BY_TYPE: Readonly<Record<AlertType, AlertStatus>> = {
  'org.gtwatch.alert.opened.v1': 'open',
  'org.gtwatch.alert.updated.v1': 'update',
  'org.gtwatch.alert.resolved.v1': 'resolved',
  'org.gtwatch.alert.withdrawn.v1': 'withdrawn',
};

export const ALERT_DATASCHEMA = 'urn:gtwatch:schema:alert:1';

const country = z.string().regex(COUNTRY_PATTERN).meta({ description: 'ISO 3166-1 alpha-2, upper case' });

const AlertSourceEntitySchema = z.strictObject({
  type: z.enum(['gt', 'realm']),
  id: z.string().min(1),
  country: country.nullable(),
  plmn: plmnSchema.nullable(),
  operator: z.string().nullable(),
  leased: z.boolean(),
});

const AlertOperationSchema = z.strictObject({
  protocol: z.enum(PROTOCOLS),
  operation: z.int().min(0).max(16_777_215),
  name: z.string().min(1),
  count: z.int().min(1),
});

export const AlertDataSchema = z.strictObject({
  alertId: z.string().min(1),
  status: z.enum(ALERT_STATUSES),
  pattern: z.enum(PATTERN_IDS),
  category: z.union([z.literal(1), z.literal(2), z.literal(3), z.null()]),
  severity: z.enum(SEVERITIES),
  score: z.int().min(0).max(100),
  source: AlertSourceEntitySchema,
  victims: z.strictObject({
    plmns: z.array(plmnSchema),
    countries: z.array(country),
    subscribers: z.int().min(0),
  }),
  reporters: z.array(plmnSchema).min(1),
  jurisdictions: z.array(z.string().regex(JURISDICTION_PATTERN)),
  crossBorder: z.boolean(),
  firstSeen: rfc3339Schema,
  lastSeen: rfc3339Schema,
  count: z.int().min(1),
  operations: z.array(AlertOperationSchema),
  evidence: z.record(z.string(), z.unknown()),
  explanation: z.string().min(1),
  /** Only on withdrawn events: who withdrew the alert and why. */
  withdrawal: z
    .strictObject({
      reason: z.string().min(1).max(500),
      by: z.string().min(1).max(200),
    })
    .optional(),
});

const AlertEnvelopeSchema = z.strictObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().regex(ALERT_SOURCE_PATTERN),
  type: z.enum(ALERT_TYPES),
  subject: z.string().min(1),
  // RFC 3339 in UTC: zod's default datetime accepts `Z` only.
  time: z.iso.datetime(),
  datacontenttype: z.literal('application/json'),
  dataschema: z.literal(ALERT_DATASCHEMA),
  tlp: z.enum(TLP_LABELS),
  data: AlertDataSchema,
});

type AlertEnvelope = z.output<typeof AlertEnvelopeSchema>;
type Issue = { path: (string | number)[]; message: string };

function statusIssue(alert: AlertEnvelope): Issue | undefined {
  const expected = ALERT_STATUS_BY_TYPE[alert.type];
  if (alert.data.status === expected) return undefined;
  return { path: ['data', 'status'], message: `data.status must be "${expected}" for type ${alert.type}` };
}

function withdrawalIssue(alert: AlertEnvelope): Issue | undefined {
  const withdrawn = alert.data.status === 'withdrawn';
  if (withdrawn === (alert.data.withdrawal !== undefined)) return undefined;
  const message = withdrawn ? 'a withdrawn event must say who withdrew it and why' : 'only withdrawn events carry data.withdrawal';
  return { path: ['data', 'withdrawal'], message };
}

function isSourceId(type: 'gt' | 'realm', id: string): boolean {
  if (type === 'gt') return GT_PATTERN.test(id);
  return id.length <= DNS_NAME_MAX_LENGTH && DNS_NAME_PATTERN.test(id);
}

function subjectIssues(alert: AlertEnvelope): Issue[] {
  const issues: Issue[] = [];
  const source = alert.data.source;
  if (!isSourceId(source.type, source.id)) {
    const what = source.type === 'gt' ? '1–15 digits' : 'a DNS name';
    issues.push({ path: ['data', 'source', 'id'], message: `data.source.id must be ${what} for type ${source.type}` });
  }
  if (alert.subject !== source.id) {
    issues.push({ path: ['subject'], message: 'subject must be the source entity, equal to data.source.id' });
  }
  return issues;
}

function categoryIssue(alert: AlertEnvelope): Issue | undefined {
  const expected = PATTERN_CATEGORY[alert.data.pattern];
  if (alert.data.category === expected) return undefined;
  return { path: ['data', 'category'], message: `data.category must be ${expected} for pattern ${alert.data.pattern}` };
}

function subscriberCountIssue(alert: AlertEnvelope): Issue | undefined {
  const shown = alert.data.victims.subscribers;
  const exactAllowed = alert.tlp !== 'clear' && alert.tlp !== 'green';
  if (exactAllowed || shown === 0 || shown >= 10) return undefined;
  const message = 'data.victims.subscribers below 10 may be shown exactly only under TLP amber or stricter';
  return { path: ['data', 'victims', 'subscribers'], message };
}

function spanIssue(alert: AlertEnvelope): Issue | undefined {
  if (rfc3339ToEpochMs(alert.data.firstSeen) <= rfc3339ToEpochMs(alert.data.lastSeen)) return undefined;
  return { path: ['data', 'lastSeen'], message: 'data.lastSeen must not be before data.firstSeen' };
}

// alert-v1.md: never in an alert: subscriber pseudonyms, calledGt, or any raw identifier.
const NEVER_IN_EVIDENCE = new Set(['subscriber', 'calledgt']);

function isBannedEvidenceKey(key: string): boolean {
  return isForbiddenKey(key) || NEVER_IN_EVIDENCE.has(key.toLowerCase());
}

function evidenceIssue(alert: AlertEnvelope): Issue | undefined {
  const pending: unknown[] = [alert.data.evidence];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (!Array.isArray(node) && isBannedEvidenceKey(key)) {
        return { path: ['data', 'evidence'], message: `data.evidence must not carry a \`${key}\` field` };
      }
      pending.push(value);
    }
  }
  return undefined;
}

function crossFieldIssues(alert: AlertEnvelope): Issue[] {
  const single = [statusIssue, withdrawalIssue, categoryIssue, subscriberCountIssue, spanIssue, evidenceIssue].map((rule) => rule(alert));
  return [...subjectIssues(alert), ...single.filter((issue): issue is Issue => issue !== undefined)];
}

export const AlertSchema = AlertEnvelopeSchema.superRefine((alert, ctx) => {
  for (const issue of crossFieldIssues(alert)) ctx.addIssue({ code: 'custom', ...issue });
});

export type Alert = z.output<typeof AlertSchema>;
export type AlertData = z.output<typeof AlertDataSchema>;
export type AlertSourceEntity = z.output<typeof AlertSourceEntitySchema>;
export type AlertOperation = z.output<typeof AlertOperationSchema>;
