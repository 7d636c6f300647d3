import { randomInt } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { identifier, render, type Sql, SqlValueError, sql } from './sql.js';

/**
 * The hourly rollup: `traffic_hour` recomputed from `traffic_minute`, one whole hour at a time.
 *
 * Each rollup reads the hour's minute rows with `FINAL` — a replayed minute row collapses before it is summed, so the
 * hour is exact — and writes the result as one snapshot: every row carries the same `version`. Readers keep only
 * each hour's newest snapshot (`latestHourSnapshot`), so re-running a rollup is harmless and the rollup that
 * started last wins. Idempotent by construction: no materialized view (it would sum each inserted block, counting
 * a replayed batch twice), no incremental update.
 *
 * Versions: `rollupVersion()` is the caller's clock in ms × 1000 plus a random 0–999, taken *before* the SELECT.
 * A rollup whose clock was read after some minute rows were acknowledged sees them, and it outranks every rollup
 * that started earlier; so once the process that inserted minute rows rolls their hour up afterwards, the newest
 * snapshot contains them, whichever process writes it. The random part keeps two processes rolling the same hour
 * in the same millisecond from writing one mixed snapshot. Assumes the rolling processes' clocks agree (NTP): a
 * process whose clock runs ahead by S ms can win with a snapshot up to S ms older than another's.
 *
 * An hour's snapshot is one INSERT … SELECT: it becomes visible as one block as long as it holds fewer rows than
 * `min_insert_block_size_rows` (1,048,576 by default), i.e. fewer keys in the hour than that — far above what one
 * hour of summaries produces. A failed rollup leaves the previous snapshot in place (or a partial one on a server
 * crash mid-insert, which the retry replaces with a newer version).
 */

export const HOUR_SECONDS = 3_600;

/** Version for a rollup that starts now: ms × 1000 + random 0–999 (a safe integer until the year 2255). */
export function rollupVersion(nowMs: number = Date.now()): number {
  if (!Number.isSafeInteger(nowMs) || nowMs <= 0) throw new SqlValueError(`rollup clock is not whole positive ms: ${nowMs}`);
  return nowMs * 1_000 + randomInt(1_000);
}

/** The start of the hour holding `time` (a Date or epoch seconds), in epoch seconds. */
export function hourOf(time: Date | number): number {
  const seconds = time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new SqlValueError(`not a time: ${String(time)}`);
  return seconds - (seconds % HOUR_SECONDS);
}

/** Distinct hour starts (epoch seconds, ascending) of the given minutes (epoch seconds). */
export function hoursOf(minutes: Iterable<number>): number[] {
  const hours = new Set<number>();
  for (const minute of minutes) hours.add(hourOf(minute));
  return [...hours].sort((a, b) => a - b);
}

const COLUMNS = sql`hour, reporter, entity_type, entity, protocol, source_country, source_plmn, source_operator, leased,
  transactions, errors, scanning_errors, subscribers, late, last_minute, version`;
const GROUPING = sql`reporter, entity_type, entity, protocol, source_country, source_plmn, source_operator, leased`;

/**
 * INSERT … SELECT of one hour's snapshot. No aliases on the aggregates: 18.16 resolves an alias that shadows a
 * column (`sum(transactions) AS transactions`) inside the other expressions; columns are matched by position.
 * The hour is a PREWHERE: it is applied while reading, before FINAL merges the versions of a key, which is exact
 * because `minute` is part of the sort key (every version of a key has the same minute), and it halves the time on
 * 18.16, where FINAL otherwise merges the whole day's partition on one thread before filtering.
 */
export function rollupHourQuery(database: string, hour: number, version: number): Sql {
  if (hourOf(hour) !== hour) throw new SqlValueError(`not the start of an hour: ${hour}`);
  if (!Number.isSafeInteger(version) || version < 0) throw new SqlValueError(`version is not a UInt64: ${version}`);
  return sql`INSERT INTO ${identifier(database, 'traffic_hour')} (${COLUMNS})
SELECT toDateTime(${hour}), ${GROUPING},
  sum(transactions), sum(errors), sum(scanning_errors), max(subscribers), sum(late), max(minute), toUInt64(${version})
FROM ${identifier(database, 'traffic_minute')} FINAL
PREWHERE minute >= toDateTime(${hour}) AND minute < toDateTime(${hour + HOUR_SECONDS})
GROUP BY ${GROUPING}`;
}

export interface RollupOutcome {
  /** Hour start, epoch seconds. */
  hour: number;
  ms: number;
}

/**
 * Re-rolls each given hour (Dates or epoch seconds inside the hour; duplicates collapse) from `traffic_minute` into
 * `traffic_hour` with `version` (take it with `rollupVersion()` before calling). Hours run one after another, oldest
 * first; the first failure throws and the hours after it are not rolled (the caller retries them).
 */
export async function rollupHours(
  client: ClickHouseClient,
  database: string,
  hours: ReadonlyArray<Date | number>,
  version: number,
  onHour?: (outcome: RollupOutcome) => void,
): Promise<RollupOutcome[]> {
  const outcomes: RollupOutcome[] = [];
  for (const hour of [...new Set(hours.map(hourOf))].sort((a, b) => a - b)) {
    const started = performance.now();
    await client.command({ query: render(rollupHourQuery(database, hour, version)) });
    const outcome = { hour, ms: performance.now() - started };
    outcomes.push(outcome);
    onHour?.(outcome);
  }
  return outcomes;
}

/**
 * A WHERE condition on `traffic_hour` keeping only each hour's newest snapshot, for hours in [from, to) (epoch
 * seconds, whole hours). Read this way no FINAL is needed: one snapshot holds each key once.
 */
export function latestHourSnapshot(database: string, range: { from: number; to: number }): Sql {
  return sql`(hour, version) IN (SELECT hour, max(version) FROM ${identifier(database, 'traffic_hour')}
    WHERE hour >= toDateTime(${range.from}) AND hour < toDateTime(${range.to}) GROUP BY hour)`;
}

/** The hours in [from, to) that have a snapshot, as `h` (epoch seconds). */
export function rolledUpHoursQuery(database: string, range: { from: number; to: number }): Sql {
  return sql`SELECT DISTINCT toUInt32(hour) AS h FROM ${identifier(database, 'traffic_hour')}
WHERE hour >= toDateTime(${range.from}) AND hour < toDateTime(${range.to})
ORDER BY h
LIMIT 100000`;
}
