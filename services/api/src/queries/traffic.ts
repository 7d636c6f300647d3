import { identifier, list, type Sql, sql } from '@gtwatch/clickhouse';
import { z } from 'zod';
import type { Principal } from '../tokens.js';
import { flag, int } from './columns.js';
import { all, trafficScope } from './scope.js';

/**
 * Reads of `traffic_minute`. The table is a ReplacingMergeTree whose rows for one (entity, minute, reporter,
 * protocol, operation) collapse only on merge, so sums read it with FINAL: a replayed aggregate must not count twice.
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
  const where: Sql[] = [sql`minute >= toDateTime(${filter.range.from})`, sql`minute < toDateTime(${filter.range.to})`];
  if (filter.entity !== undefined) where.push(sql`entity = ${filter.entity}`);
  if (filter.entities !== undefined) where.push(sql`entity IN ${list([...filter.entities])}`);
  if (filter.protocol !== undefined) where.push(sql`protocol = ${filter.protocol}`);
  if (filter.reporter !== undefined) where.push(sql`reporter = ${filter.reporter}`);
  if (filter.country !== undefined) where.push(sql`source_country = ${filter.country}`);
  where.push(...trafficScope(database, principal), ...(filter.conditions ?? []));
  return all(where);
}

export const EntitySumsRow = z.object({ entity: z.string(), transactions: int, errors: int });

/**
 * Exact transaction and error sums per source, `limit + 1` rows from `offset`, largest first, deduplicated as a
 * ReplacingMergeTree read would be: each (entity, minute, reporter, protocol, operation) counted once, at its
 * highest version. Two ways, both exact: `FINAL`, cheaper over a whole partition; or `argMax(…, version)` per key,
 * about twice as fast as FINAL on 18.16 when `entities` narrows the read to a few sources (see top-traffic.ts).
 * Only the sums are read: every extra column read through FINAL costs as much again on 18.16.
 */
export function trafficSumsQuery(
  database: string,
  principal: Principal,
  filter: TrafficFilter,
  page: { limit: number; offset: number },
  dedupe: 'final' | 'by-key' = 'final',
): Sql {
  const table = identifier(database, 'traffic_minute');
  const where = trafficWhere(database, principal, filter);
  const source =
    dedupe === 'final'
      ? sql`${table} FINAL WHERE ${where}`
      : sql`(SELECT entity, argMax(transactions, version) AS transactions, argMax(errors, version) AS errors
  FROM ${table} WHERE ${where}
  GROUP BY entity, minute, reporter, protocol, operation)`;
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

/** The enrichment stored with some sources' rows. A replayed row carries the same values, so no FINAL is needed. */
export function entityInfoQuery(database: string, entities: readonly string[]): Sql {
  return sql`SELECT entity, toString(any(entity_type)) AS entity_type, any(source_country) AS country, any(source_plmn) AS plmn,
  any(source_operator) AS operator, max(leased) AS leased
FROM ${identifier(database, 'traffic_minute')}
WHERE entity IN ${list([...entities])}
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
