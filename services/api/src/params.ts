import { ALERT_STATUSES, PATTERN_IDS, PROTOCOLS, SEVERITIES, TLP_LABELS } from '@gtwatch/schema';
import { z } from 'zod';

/**
 * The endpoints' parameters as zod schemas: one source for validation (every parameter, with a message naming it)
 * and for the OpenAPI document. Query strings arrive as strings; numbers are coerced here and nowhere else.
 */

export const MAX_RANGE_DAYS = 31;
const DATETIME_MAX_SECONDS = 4_294_967_295;

export const timestamp = z
  .iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time, e.g. 2026-11-30T00:00:00Z' })
  .refine((text) => {
    const seconds = Date.parse(text) / 1000;
    return seconds >= 0 && seconds <= DATETIME_MAX_SECONDS;
  }, 'must be between 1970 and 2106')
  .meta({ description: 'RFC 3339 date-time (UTC or with offset)', example: '2026-11-30T00:00:00Z' });

export const gtOrRealm = z
  .string()
  .regex(/^(?:\d{1,15}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/, 'must be GT digits (1–15) or a Diameter realm')
  .max(255, 'must be at most 255 characters')
  .meta({ description: 'source entity: calling GT digits or Diameter origin realm', example: '2250760000123' });

export const alertIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of [A-Za-z0-9._:-]')
  .meta({ description: 'alert id (stable across the alert’s life)' });

export const jurisdictionParam = z
  .string()
  .regex(/^[a-z]{2}$/, 'must be a lower-case ISO 3166 alpha-2 code, e.g. gb')
  .meta({ description: 'jurisdiction (lower-case ISO alpha-2)', example: 'gb' });

const plmn = z.string().regex(/^\d{3}-\d{2,3}$/, 'must be a PLMN id like 234-15').meta({ example: '234-15' });
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an upper-case ISO 3166 alpha-2 code, e.g. GB');
const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be a cursor returned by a previous page')
  .meta({ description: 'opaque cursor from the previous page’s `nextCursor`' });

function limit(defaultValue: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, `must be 1–${max}`)
    .max(max, `must be 1–${max}`)
    .default(defaultValue)
    .meta({ description: `page size, at most ${max}` });
}

const range = {
  from: timestamp.optional().meta({ description: 'start of the time range (default: 24 hours before `to`)' }),
  to: timestamp.optional().meta({ description: 'end of the time range, exclusive (default: now)' }),
};

export const TopSourcesQuery = z.strictObject({
  ...range,
  by: z.enum(['score', 'transactions', 'alerts']).default('score').meta({ description: 'ranking measure' }),
  pattern: z.enum(PATTERN_IDS).optional(),
  protocol: z.enum(PROTOCOLS).optional(),
  reporter: plmn.optional().meta({ description: 'only traffic reported by / alerts contributed to by this PLMN' }),
  country: country.optional().meta({ description: 'source country (ISO alpha-2, upper case)' }),
  jurisdiction: jurisdictionParam.optional(),
  limit: limit(20, 100),
  cursor: cursor.optional(),
});
export type TopSourcesQuery = z.output<typeof TopSourcesQuery>;

export const SourceProfileQuery = z.strictObject({ ...range });
export type SourceProfileQuery = z.output<typeof SourceProfileQuery>;

export const AlertsQuery = z.strictObject({
  ...range,
  pattern: z.enum(PATTERN_IDS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(ALERT_STATUSES).optional().meta({ description: 'the alert’s current status' }),
  jurisdiction: jurisdictionParam.optional(),
  source: gtOrRealm.optional(),
  limit: limit(50, 200),
  cursor: cursor.optional(),
});
export type AlertsQuery = z.output<typeof AlertsQuery>;

export const NoQuery = z.strictObject({});
export const JurisdictionSummaryQuery = z.strictObject({ ...range });
export const OverviewQuery = z.strictObject({ ...range });

export const SourcePath = z.strictObject({ id: gtOrRealm });
export const AlertPath = z.strictObject({ alertId: alertIdParam });
export const JurisdictionPath = z.strictObject({ j: jurisdictionParam });

/** Resolves the optional range against `now`: default the last 24 hours; `from` < `to`; at most MAX_RANGE_DAYS. */
export function resolveRange(query: { from?: string | undefined; to?: string | undefined }, nowMs: number): { from: number; to: number } {
  const to = query.to !== undefined ? Math.floor(Date.parse(query.to) / 1000) : Math.ceil(nowMs / 60_000) * 60;
  const from = query.from !== undefined ? Math.floor(Date.parse(query.from) / 1000) : to - 86_400;
  if (from >= to) throw new ParameterError('from', 'must be before `to`');
  if (to - from > MAX_RANGE_DAYS * 86_400) throw new ParameterError('from', `the range may span at most ${MAX_RANGE_DAYS} days`);
  if (from < 0) throw new ParameterError('from', 'must be after 1970');
  return { from, to };
}

export class ParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`parameter ${parameter}: ${reason}`);
    this.name = 'ParameterError';
  }
}

/** Turns URLSearchParams into a plain object; a parameter given twice is refused rather than silently picked. */
export function searchObject(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(out, key)) throw new ParameterError(key, 'given more than once');
    out[key] = value;
  }
  return out;
}

/** Validates with `schema`, turning the first zod issue into a ParameterError that names the parameter. */
export function parseParams<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw new ParameterError(issue.keys[0] ?? '?', 'unknown parameter');
  const name = issue ? String(issue.path[0] ?? '?') : '?';
  throw new ParameterError(name, issue?.message ?? 'invalid');
}

// Cursors: base64url JSON validated on the way back in, so a forged cursor is a 400, never a query change.
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<Schema extends z.ZodType>(text: string | undefined, schema: Schema): z.output<Schema> | null {
  if (text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new ParameterError('cursor', 'must be a cursor returned by a previous page');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ParameterError('cursor', 'must be a cursor returned by a previous page');
  return parsed.data;
}

export const OffsetCursor = z.strictObject({ o: z.int().min(1).max(10_000) });
export const AlertCursor = z.strictObject({ s: z.int().min(0), a: alertIdParam });

export const TLP_RANK: Readonly<Record<(typeof TLP_LABELS)[number], number>> = Object.fromEntries(
  TLP_LABELS.map((label, index) => [label, index + 1]),
) as Record<(typeof TLP_LABELS)[number], number>;
