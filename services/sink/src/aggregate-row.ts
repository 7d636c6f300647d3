/**
 * The sink's fast route from a parsed aggregate row to a `traffic_minute` row.
 *
 * Every aggregate the scorer writes is valid, and validating each one with zod twice (contract, then table row) was
 * the larger part of the sink's CPU. This route checks the same rules by hand and maps in the same step, but it only
 * ever accepts: whatever it is not sure of (a wrong type, a missing or extra key, an odd timestamp spelling) returns
 * `undefined`, and the caller takes the zod route, which then decides and names the reason. Its differential test
 * (`test/aggregate-row.test.ts`) holds it to accepting nothing the zod route rejects and mapping exactly as it does.
 */
import type { TrafficMinuteRow } from '@gtwatch/clickhouse';
// The contract's own patterns: a copy here could drift and let the fast route accept what zod rejects.
import { COUNTRY_PATTERN as COUNTRY, PLMN_PATTERN as PLMN } from '@gtwatch/schema';

/** `TrafficAggregateSchema`'s keys: a strict object has exactly these. */
const KEY_COUNT = 18;
const UINT32_MAX = 4_294_967_295;
const OPERATION_MAX = 16_777_215;

/**
 * Minute strings already judged, with their epoch seconds (undefined: not a canonical minute). A batch's rows share a
 * handful of minutes, so nearly every row is a lookup. Bounded by clearing: the set of live minutes is small.
 */
const minutes = new Map<string, number | undefined>();
const MINUTE_CACHE_LIMIT = 4_096;

/**
 * Epoch seconds of a canonical `YYYY-MM-DDTHH:MM:00.000Z` (what `toISOString` writes, which the contract's
 * `z.iso.datetime()` accepts) that starts a minute within the DateTime range; else undefined.
 */
function minuteSeconds(text: string): number | undefined {
  if (minutes.has(text)) return minutes.get(text);
  let seconds: number | undefined;
  if (text.length === 24) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms) && ms % 60_000 === 0 && ms >= 0 && ms / 1000 <= UINT32_MAX && new Date(ms).toISOString() === text) {
      seconds = ms / 1000;
    }
  }
  if (minutes.size >= MINUTE_CACHE_LIMIT) minutes.clear();
  minutes.set(text, seconds);
  return seconds;
}

const isCount = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

const isNullableMatch = (value: unknown, pattern: RegExp): value is string | null =>
  value === null || (typeof value === 'string' && pattern.test(value));

function keyCount(object: object): number {
  let count = 0;
  for (const _ in object) count++;
  return count;
}

/** The `traffic_minute` row of a valid aggregate, or undefined when the zod route must decide. */
export function fastTrafficMinuteRow(json: unknown, version: number): TrafficMinuteRow | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const a = json as Record<string, unknown>;
  const { minute, reporter, entityType, entity, protocol, operation, transactions, errors, scanningErrors } = a;
  const { subscribers, late, sourceCountry, sourcePlmn, sourceOperator, leased, category, own } = a;
  if (a.schemaVersion !== 1 || typeof minute !== 'string') return undefined;
  const seconds = minuteSeconds(minute);
  if (seconds === undefined) return undefined;
  if (typeof reporter !== 'string' || !PLMN.test(reporter)) return undefined;
  if (entityType !== 'gt' && entityType !== 'realm') return undefined;
  if (typeof entity !== 'string' || entity.length < 1 || entity.length > 255) return undefined;
  if (protocol !== 'MAP' && protocol !== 'CAP' && protocol !== 'DIAMETER') return undefined;
  if (!isCount(operation, 0) || operation > OPERATION_MAX) return undefined;
  if (!isCount(transactions, 1) || !isCount(errors, 0) || !isCount(scanningErrors, 0) || !isCount(late, 0)) return undefined;
  if (!isCount(subscribers, 0) || subscribers > UINT32_MAX) return undefined;
  if (!isNullableMatch(sourceCountry, COUNTRY) || !isNullableMatch(sourcePlmn, PLMN)) return undefined;
  if (sourceOperator !== null && typeof sourceOperator !== 'string') return undefined;
  if (typeof leased !== 'boolean' || typeof own !== 'boolean') return undefined;
  if (!isCount(category, 0) || category > 3) return undefined;
  // Every key above was present (JSON has no undefined), so the count rules out extra keys.
  if (keyCount(a) !== KEY_COUNT) return undefined;
  return {
    minute: seconds,
    reporter,
    entity_type: entityType,
    entity,
    protocol,
    operation,
    transactions,
    errors,
    scanning_errors: scanningErrors,
    subscribers,
    late,
    source_country: sourceCountry ?? '',
    source_plmn: sourcePlmn ?? '',
    source_operator: sourceOperator ?? '',
    leased: leased ? 1 : 0,
    category,
    version,
  };
}
