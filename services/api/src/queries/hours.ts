import { HOUR_SECONDS, rolledUpHoursQuery } from '@gtwatch/clickhouse';
import { z } from 'zod';
import type { QueryRunner } from '../db.js';
import { int } from './columns.js';
import type { TrafficPlan } from './traffic.js';

/**
 * How long after an hour ends the api starts reading it from `traffic_hour` rather than `traffic_minute`.
 *
 * The sink rolls an hour up within one rollup interval (GTWATCH_ROLLUP_INTERVAL_MS, default 30 s) of inserting its
 * minute rows, plus the rollup's own duration (about 1 s per hour on 18.16). The scorer emits a minute's aggregates
 * when its watermark passes the minute, at most its allowed lateness (60 s by default) after the newest event, so
 * the last minute rows of an hour normally reach ClickHouse within ~1–2 min of the hour's end and its rollup
 * within ~2–3 min. Five minutes leaves room for a slow batch. Inside the bound the hour comes from the minutes (as
 * exact as the minute table itself); past it the answer is the hour's newest snapshot, which lags `traffic_minute`
 * by at most one rollup cycle for anything arriving later (a consumer catching up, a replay): see the sink's
 * `gtwatch_sink_rollup_pending_hours`. Scorer replays re-emit identical rows, which do not change the sums.
 */
export const HOURLY_AFTER_SECONDS = 300;

const HourRow = z.object({ h: int });

/**
 * Which hours have a snapshot, remembered for a few seconds per (database, hours): a dashboard asks the same range
 * many times. Safe to be stale: an hour never loses its snapshot, and one rolled up after it was remembered as
 * missing is read from the minutes (the plan names the hourly hours explicitly), so the answer stays exact.
 */
const COVERAGE_TTL_MS = 5_000;
const coverage = new Map<string, { at: number; hours: Promise<Set<number>> }>();

function rolledUp(runner: QueryRunner, database: string, hours: { from: number; to: number }): Promise<Set<number>> {
  const key = `${database}:${hours.from}:${hours.to}`;
  const now = Date.now();
  const cached = coverage.get(key);
  if (cached && now - cached.at < COVERAGE_TTL_MS) return cached.hours;
  if (coverage.size >= 256) for (const [k, v] of coverage) if (now - v.at >= COVERAGE_TTL_MS) coverage.delete(k);
  const promise = runner.rows(rolledUpHoursQuery(database, hours), HourRow).then((rows) => new Set(rows.map((row) => row.h)));
  coverage.set(key, { at: now, hours: promise });
  promise.catch(() => coverage.delete(key));
  return promise;
}

/**
 * Splits [from, to) into whole hours read from `traffic_hour` and the rest read from `traffic_minute`: the partial
 * hours at both ends, the hours that ended less than HOURLY_AFTER_SECONDS before now, and any hour that has never
 * been rolled up (data older than migration 5, or a rollup that has not run yet) — so the answer is the same as
 * reading minutes only, just faster.
 */
export async function planTraffic(runner: QueryRunner, database: string, range: { from: number; to: number }, nowMs: number): Promise<TrafficPlan> {
  const first = Math.ceil(range.from / HOUR_SECONDS) * HOUR_SECONDS;
  const settled = Math.floor((Math.floor(nowMs / 1000) - HOURLY_AFTER_SECONDS) / HOUR_SECONDS) * HOUR_SECONDS;
  const end = Math.min(Math.floor(range.to / HOUR_SECONDS) * HOUR_SECONDS, settled);
  if (end <= first) return { hours: null, minutes: [range] };
  return splitRange(range, { from: first, to: end }, await rolledUp(runner, database, { from: first, to: end }));
}

/** The plan for `range` given the whole hours [hours.from, hours.to) that may be read hourly and those rolled up. */
export function splitRange(range: { from: number; to: number }, hours: { from: number; to: number }, covered: ReadonlySet<number>): TrafficPlan {
  const minutes: Array<{ from: number; to: number }> = [];
  const add = (from: number, to: number) => {
    if (to <= from) return;
    const last = minutes.at(-1);
    if (last && last.to === from) last.to = to;
    else minutes.push({ from, to });
  };
  add(range.from, hours.from);
  const rolled: number[] = [];
  for (let hour = hours.from; hour < hours.to; hour += HOUR_SECONDS) {
    if (covered.has(hour)) rolled.push(hour);
    else add(hour, hour + HOUR_SECONDS);
  }
  add(hours.to, range.to);
  if (rolled.length === 0) return { hours: null, minutes };
  // Named explicitly when some are missing: an hour rolled up after the check must not be read from both tables.
  const all = rolled.length === (hours.to - hours.from) / HOUR_SECONDS;
  return { hours: all ? { ...hours } : { ...hours, only: rolled }, minutes };
}
