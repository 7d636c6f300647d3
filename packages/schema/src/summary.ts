/**
 * Signalling summary v1 (shared/spec/signalling-summary-v1.md) as zod schemas: the single source of truth for
 * the TypeScript types, the runtime check and the JSON Schema export. Rules that need the processor's clock
 * (time range) or the whole document (forbidden keys at any depth) live in parse.ts, not here.
 */
import * as z from 'zod';
import {
  DNS_NAME_MAX_LENGTH,
  DNS_NAME_PATTERN,
  GT_PATTERN,
  PLMN_PATTERN,
  rfc3339ToEpochMs,
  SUBSCRIBER_PATTERN,
} from './formats.js';

export const PROTOCOLS = ['MAP', 'CAP', 'DIAMETER'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const RESULTS = ['ok', 'error', 'reject', 'abort', 'timeout'] as const;
export type Result = (typeof RESULTS)[number];

export const FIREWALL_VERDICTS = ['allow', 'block', 'monitor'] as const;
export type FirewallVerdict = (typeof FIREWALL_VERDICTS)[number];

export const plmnSchema = z.string().regex(PLMN_PATTERN).meta({ description: 'PLMN id MCC-MNC' });
const gt = z.string().regex(GT_PATTERN).meta({ description: 'E.164 Global Title, 1–15 digits' });
const dnsName = z.string().max(DNS_NAME_MAX_LENGTH).regex(DNS_NAME_PATTERN);

/** RFC 3339 with a mandatory offset; zod's pattern also rejects impossible dates such as Feb 30. */
export const rfc3339Schema = z.iso.datetime({ offset: true });

// Normalised to epoch milliseconds so that consumers compare numbers, never strings with different offsets.
const eventTime = z
  .union([rfc3339Schema, z.int()])
  .transform((value) => (typeof value === 'number' ? value : rfc3339ToEpochMs(value)))
  .meta({ description: 'RFC 3339 date-time with offset, or integer epoch milliseconds; 2000-01-01 or later' });

const commonShape = {
  schemaVersion: z.literal(1),
  id: z.string().min(1).max(128),
  time: eventTime,
  reporter: plmnSchema,
  direction: z.enum(DIRECTIONS),
  result: z.enum(RESULTS),
  originHost: dnsName.optional(),
  destinationRealm: dnsName.optional(),
  visitedPlmn: plmnSchema.optional(),
  idrFlags: z.int().optional(),
  callingSsn: z.int().min(0).max(255).optional(),
  calledSsn: z.int().min(0).max(255).optional(),
  ingress: z.string().max(64).optional(),
  subscriber: z
    .string()
    .regex(SUBSCRIBER_PATTERN)
    .optional()
    .meta({ description: 'keyed-hash pseudonym, 16–128 chars of [A-Za-z0-9._:-] with at least one letter' }),
  subscriberPlmn: plmnSchema.optional(),
  vlrGt: gt.optional(),
  scAddress: gt.optional(),
  errorCode: z.int().optional(),
  locationReturned: z.boolean().optional(),
  firewall: z.enum(FIREWALL_VERDICTS).optional(),
  count: z.int().min(1).default(1),
};

export const MapSummarySchema = z.object({
  ...commonShape,
  protocol: z.enum(['MAP', 'CAP']),
  operation: z.int().min(0).max(255),
  callingGt: gt,
  calledGt: gt,
});

export const DiameterSummarySchema = z.object({
  ...commonShape,
  protocol: z.literal('DIAMETER'),
  operation: z.int().min(0).max(16_777_215),
  application: z.int(),
  originRealm: dnsName,
});

export const SignallingSummarySchema = z.discriminatedUnion('protocol', [MapSummarySchema, DiameterSummarySchema]);

/** A validated record: unknown fields stripped, `count` defaulted, `time` in epoch milliseconds. */
export type SignallingSummary = z.output<typeof SignallingSummarySchema>;
export type MapSummary = z.output<typeof MapSummarySchema>;
export type DiameterSummary = z.output<typeof DiameterSummarySchema>;
/** What a producer may send: `time` as string or number, `count` optional. */
export type SignallingSummaryInput = z.input<typeof SignallingSummarySchema>;
