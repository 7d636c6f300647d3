import { identifier, join, latestHourSnapshot, list, type Sql, sql } from '@gtwatch/clickhouse';
import { z } from 'zod';
import type { Principal } from '../tokens.js';
import { flag, int } from './columns.js';
import { all, trafficScope } from './scope.js';

/**
 * Reads of the traffic tables. `traffic_minute` is a ReplacingMergeTree whose rows for one (entity, minute, reporter,
 * protocol, operation) collapse only on merge, so sums read it with FINAL (or argMax by key): a replayed aggregate
 * must not count twice. Sums over many hours read whole hours from `traffic_hour` instead (see ./hours.ts for which
 * hours and why that is exact) and only the rest of the range from `traffic_minute`.
 */

export interface TrafficFilter {
  range: { from: number; to: number };
  entity?: string;
  entities?: readonly string[];
  protocol?: string;
  reporter?: string;
  country?: string;
  /** Extra conditions built by the caller (e.g. `entity IN (<alert subquery>)`). */
  conditions?: Sql[];
}

export function trafficWhere(database: string, principal: Principal, filter: TrafficFilter): Sql {
  return all([sql`minute >= toDateTime(${filter.range.from})`, sql`minute < toDateTime(${filter.range.to})`, ...filterConditions(database, principal, filter)]);
}

/** The filter's conditions other than time: they name columns that `traffic_minute` and `traffic_hour` share. */
function filterConditions(database: string, principal: Principal, filter: TrafficFilter): Sql[] {
  const where: Sql[] = [];
  if (filter.entity !== undefined) where.push(sql`entity = ${filter.entity}`);
  if (filter.entities !== undefined) where.push(sql`entity IN ${list([...filter.entities])}`);
  if (filter.protocol !== undefined) where.push(sql`protocol = ${filter.protocol}`);
  if (filter.reporter !== undefined) where.push(sql`reporter = ${filter.reporter}`);
  if (filter.country !== undefined) where.push(sql`source_country = ${filter.country}`);
  where.push(...trafficScope(database, principal), ...(filter.conditions ?? []));
  return where;
}

/** Which part of a range is read from which table: see `planTraffic` in ./hours.ts. */
export interface TrafficPlan {
  /** Whole hours [from, to) read from `traffic_hour` (its newest snapshot of each); null when none. */
  hours: { from: number; to: number; only?: readonly number[] } | null;
  /** Intervals [from, to) read from `traffic_minute`, disjoint, ascending. */
  minutes: ReadonlyArray<{ from: number; to: number }>;
}

/** The whole range from `traffic_minute`: what every read did before `traffic_hour`, and the reference it must equal. */
export function minutesOnly(range: { from: number; to: number }): TrafficPlan {
  return { hours: null, minutes: [range] };
}

function minuteTime(plan: TrafficPlan): Sql {
  const intervals = plan.minutes.map((m) => sql`(minute >= toDateTime(${m.from}) AND minute < toDateTime(${m.to}))`);
  return intervals.length === 1 ? (intervals[0] as Sql) : sql`(${join(intervals, sql` OR `)})`;
}

/**
 * Rows (entity, transactions, errors, hourly) covering the filter's range as `plan` splits it, for summing by
 * entity; `hourly` is 1 for rows from `traffic_hour`, 0 for rows from `traffic_minute`.
 * `exact`: hour snapshots (exact by construction) and minute rows deduplicated per key at their highest version,
 * like FINAL. `upper`: minute rows as stored, where an unmerged replay counts twice, so sums are upper bounds of the
 * exact ones (see top-traffic.ts).
 */
/** The plan's hours in `traffic_hour`, newest snapshot only. */
function hourTime(database: string, hours: NonNullable<TrafficPlan['hours']>): Sql[] {
  const { from, to, only } = hours;
  const time = [sql`hour >= toDateTime(${from})`, sql`hour < toDateTime(${to})`, latestHourSnapshot(database, { from, to })];
  if (only) time.push(sql`toUInt32(hour) IN ${list([...only])}`);
  return time;
}

export function trafficRowsQuery(database: string, principal: Principal, filter: TrafficFilter, plan: TrafficPlan, mode: 'exact' | 'upper'): Sql {
  const conditions = filterConditions(database, principal, filter);
  const parts: Sql[] = [];
  if (plan.hours) {
    const time = hourTime(database, plan.hours);
    parts.push(sql`SELECT entity, transactions, errors, toUInt8(1) AS hourly FROM ${identifier(database, 'traffic_hour')}
  WHERE ${all([...time, ...conditions])}`);
  }
  if (plan.minutes.length > 0) {
    const where = all([minuteTime(plan), ...conditions]);
    const table = identifier(database, 'traffic_minute');
    parts.push(
      mode === 'upper'
        ? sql`SELECT entity, transactions, errors, toUInt8(0) AS hourly FROM ${table} WHERE ${where}`
        : sql`SELECT entity, argMax(transactions, version) AS transactions, argMax(errors, version) AS errors, toUInt8(0) AS hourly
  FROM ${table} WHERE ${where}
  GROUP BY entity, minute, reporter, protocol, operation`,
    );
  }
  if (parts.length === 0) return sql`SELECT entity, transactions, errors, toUInt8(0) AS hourly FROM ${identifier(database, 'traffic_minute')} WHERE 0`;
  return join(parts, sql`
  UNION ALL
  `);
}

export const EntitySumsRow = z.object({ entity: z.string(), transactions: int, errors: int });

/**
 * Exact transaction and error sums per source, `limit + 1` rows from `offset`, largest first, deduplicated as a
 * ReplacingMergeTree read would be: each (entity, minute, reporter, protocol, operation) counted once, at its
 * highest version. Whole hours come from `traffic_hour` when `plan` says so. The minute part: `final` reads with
 * FINAL when the plan is one minute interval and no hours (cheaper over a whole partition), otherwise, like
 * `by-key`, deduplicates with `argMax(…, version)` per key, about twice as fast as FINAL on 18.16 when `entities`
 * narrows the read to a few sources (see top-traffic.ts). Only the sums are read: every extra column read through
 * FINAL costs as much again on 18.16.
 */
export function trafficSumsQuery(
  database: string,
  principal: Principal,
  filter: TrafficFilter,
  page: { limit: number; offset: number },
  dedupe: 'final' | 'by-key' = 'final',
  plan: TrafficPlan = minutesOnly(filter.range),
): Sql {
  let source: Sql;
  if (dedupe === 'final' && plan.hours === null && plan.minutes.length === 1) {
    source = sql`${identifier(database, 'traffic_minute')} FINAL WHERE ${trafficWhere(database, principal, { ...filter, range: plan.minutes[0] ?? filter.range })}`;
  } else {
    source = sql`(${trafficRowsQuery(database, principal, filter, plan, 'exact')})`;
  }
  return sql`SELECT entity, sum(transactions) AS transactions, sum(errors) AS errors
FROM ${source}
GROUP BY entity
ORDER BY transactions DESC, entity
LIMIT ${page.offset}, ${page.limit + 1}`;
}

export const EntityInfoRow = z
  .object({ entity: z.string(), entity_type: z.string(), country: z.string(), plmn: z.string(), operator: z.string(), leased: flag })
  .transform((row) => ({
    entity: row.entity,
    type: row.entity_type,
    country: row.country || null,
    plmn: row.plmn || null,
    operator: row.operator || null,
    leased: row.leased,
  }));

/**
 * The enrichment stored with the sources' rows, as of each source's latest minute in the range: reference data may
 * change, and `any()` would show an arbitrary, run-dependent value. Whole hours are read from `traffic_hour`, whose
 * `last_minute` says which of an hour's rows is the latest, so the answer is the one the minutes alone would give.
 */
export function entityInfoQuery(database: string, entities: readonly string[], plan: TrafficPlan): Sql {
  const columns = sql`entity, entity_type, source_country, source_plmn, source_operator, leased`;
  const which = sql`entity IN ${list([...entities])}`;
  const parts: Sql[] = [];
  if (plan.hours) {
    parts.push(sql`SELECT ${columns}, last_minute AS t FROM ${identifier(database, 'traffic_hour')} WHERE ${all([which, ...hourTime(database, plan.hours)])}`);
  }
  if (plan.minutes.length > 0) {
    parts.push(sql`SELECT ${columns}, minute AS t FROM ${identifier(database, 'traffic_minute')} WHERE ${which} AND ${minuteTime(plan)}`);
  }
  if (parts.length === 0) return sql`SELECT '' AS entity, '' AS entity_type, '' AS country, '' AS plmn, '' AS operator, 0 AS leased WHERE 0`;
  return sql`SELECT entity, toString(argMax(entity_type, t)) AS entity_type, argMax(source_country, t) AS country,
  argMax(source_plmn, t) AS plmn, argMax(source_operator, t) AS operator, argMax(leased, t) AS leased
FROM (${join(parts, sql`
  UNION ALL
  `)})
GROUP BY entity
LIMIT ${entities.length}`;
}

export const SeriesRow = z.object({ t: int, transactions: int, errors: int, late: int }).transform((row) => ({
  t: row.t,
  transactions: row.transactions,
  errors: row.errors,
  late: row.late,
}));

/** Per-bucket transactions of one source; `bucketSeconds` is 60 for a per-minute series. */
export function seriesQuery(database: string, principal: Principal, filter: TrafficFilter, bucketSeconds: number): Sql {
  return sql`SELECT
  intDiv(toUInt32(minute), ${bucketSeconds}) * ${bucketSeconds} AS t,
  sum(transactions) AS transactions,
  sum(errors) AS errors,
  sum(late) AS late
FROM ${identifier(database, 'traffic_minute')} FINAL
WHERE ${trafficWhere(database, principal, filter)}
GROUP BY t
ORDER BY t
LIMIT 50000`;
}

export const OperationRow = z
  .object({ protocol: z.string(), operation: int, category: int, transactions: int, errors: int, minutes: int })
  .transform((row) => ({ ...row }));

export function operationsQuery(database: string, principal: Principal, filter: TrafficFilter): Sql {
  return sql`SELECT
  toString(protocol) AS protocol,
  operation,
  max(category) AS category,
  sum(transactions) AS transactions,
  sum(errors) AS errors,
  uniqExact(minute) AS minutes
FROM ${identifier(database, 'traffic_minute')} FINAL
WHERE ${trafficWhere(database, principal, filter)}
GROUP BY protocol, operation
ORDER BY transactions DESC, protocol, operation
LIMIT 500`;
}

export const ReporterRow = z
  .object({ reporter: z.string(), transactions: int, errors: int, first: int, last: int })
  .transform((row) => ({
    reporter: row.reporter,
    transactions: row.transactions,
    errors: row.errors,
    firstMinute: new Date(row.first * 1000).toISOString(),
    lastMinute: new Date(row.last * 1000).toISOString(),
  }));

export function reportersQuery(database: string, principal: Principal, filter: TrafficFilter): Sql {
  return sql`SELECT
  reporter,
  sum(transactions) AS transactions,
  sum(errors) AS errors,
  toUnixTimestamp(min(minute)) AS first,
  toUnixTimestamp(max(minute)) AS last
FROM ${identifier(database, 'traffic_minute')} FINAL
WHERE ${trafficWhere(database, principal, filter)}
GROUP BY reporter
ORDER BY transactions DESC, reporter
LIMIT 500`;
}

/** Whether the principal can see any traffic row of `entity`, at any time. */
export function entityTrafficExistsQuery(database: string, principal: Principal, entity: string): Sql {
  const where = all([sql`entity = ${entity}`, ...trafficScope(database, principal)]);
  return sql`SELECT count() AS n FROM (SELECT entity FROM ${identifier(database, 'traffic_minute')} WHERE ${where} LIMIT 1)`;
}
