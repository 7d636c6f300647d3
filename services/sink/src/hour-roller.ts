/**
 * Keeps `traffic_hour` in step with the minute rows this sink writes.
 *
 * After ClickHouse acknowledges a `traffic_minute` insert, the hours of its rows are marked dirty; every
 * `intervalMs` the dirty hours are rolled up again from `traffic_minute` (`rollupHours`: FINAL, so replays collapse)
 * with a version taken from this process's clock before the rollup's SELECT. Whichever sink instance rolls an hour
 * last after the last insert into it writes the snapshot readers use, and that rollup saw every acknowledged row:
 * several instances need no coordination (clocks NTP-synchronised, see rollup.ts in @gtwatch/clickhouse).
 *
 * - Staleness: an hour's snapshot lags its minute rows by at most one interval plus the rollups queued before it
 *   (about 1 s per hour on 18.16); `gtwatch_sink_rollup_pending_hours` shows the backlog. The api reads hours that
 *   ended less than 5 minutes ago, and any hour never rolled up, from the minute table.
 * - A failed rollup leaves its hour (and the hours after it in that round) dirty; they are retried next interval.
 *   Rollups never block or delay the minute inserts and their offset commits: they run beside them.
 * - One round at a time; marks that arrive during a round are kept for the next one.
 * - `stop()` runs a last round so a clean shutdown leaves nothing stale. If that fails (ClickHouse unreachable) the
 *   hours stay stale until new rows for them arrive or another instance rolls them; they are logged.
 * - `backfill()` rolls every hour of the last `BACKFILL_DAYS` days of `traffic_minute` that has no snapshot yet
 *   (data older than migration 5, or hours whose first rollup was lost with a crashed sink); run at startup. Older
 *   hours are not looked at (that would read the whole table's minute column at every start); the api reads hours
 *   without a snapshot from the minutes, so they are only slower, never wrong.
 */
import { type ClickHouseClient, hourOf, identifier, render, rollupHours, rollupVersion, sql } from '@gtwatch/clickhouse';
import type { Logger } from '@gtwatch/observability';
import { LogLimit } from './log-limit.js';
import type { SinkMetrics } from './metrics.js';

/** How far back (by the server's clock) the startup backfill looks for hours without a snapshot. */
export const BACKFILL_DAYS = 7;

export interface HourRollerOptions {
  client: ClickHouseClient;
  database: string;
  /** Time between rounds. */
  intervalMs: number;
  logger: Logger;
  metrics: Pick<SinkMetrics, 'rollups' | 'rollupSeconds' | 'rollupPending'>;
  /** The clock versions are taken from, in ms. Default Date.now. */
  clock?: () => number;
}

export class HourRoller {
  readonly #options: HourRollerOptions;
  readonly #dirty = new Set<number>();
  readonly #failureLog = new LogLimit(1, 30_000);
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(options: HourRollerOptions) {
    this.#options = options;
    options.metrics.rollupPending.set(0);
  }

  /** Hours (epoch seconds at their start) waiting for a rollup. */
  get pending(): number[] {
    return [...this.#dirty].sort((a, b) => a - b);
  }

  /** Marks the hours of these minutes (epoch seconds) dirty; call only after their rows were acknowledged. */
  markMinutes(minutes: Iterable<number>): void {
    for (const minute of minutes) this.#dirty.add(hourOf(minute));
    this.#options.metrics.rollupPending.set(this.#dirty.size);
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => void this.runRound(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Rolls up the hours dirty now; resolves when done (failures stay dirty and are logged, never thrown). */
  runRound(): Promise<void> {
    if (this.#round) return this.#round;
    if (this.#dirty.size === 0) return Promise.resolve();
    this.#round = this.#roll().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #roll(): Promise<void> {
    const { client, database, logger, metrics } = this.#options;
    const hours = this.pending;
    this.#dirty.clear();
    const done = new Set<number>();
    // Taken before any SELECT of this round: see rollup.ts for why that makes the newest snapshot complete.
    const version = rollupVersion((this.#options.clock ?? Date.now)());
    try {
      await rollupHours(client, database, hours, version, ({ hour, ms }) => {
        done.add(hour);
        metrics.rollups.inc({ result: 'ok' });
        metrics.rollupSeconds.observe(ms / 1000);
      });
      this.#failureLog.reset();
    } catch (error) {
      const left = hours.filter((hour) => !done.has(hour));
      for (const hour of left) this.#dirty.add(hour);
      metrics.rollups.inc({ result: 'failed' });
      const allowed = this.#failureLog.take();
      if (allowed) {
        logger.warn(
          { err: error, hours: left.map((hour) => new Date(hour * 1000).toISOString()), failuresNotLogged: allowed.suppressed },
          'hourly rollup failed; the hours stay dirty and are retried next round',
        );
      }
    } finally {
      metrics.rollupPending.set(this.#dirty.size);
    }
  }

  /** Rolls every recent hour of `traffic_minute` that has no snapshot in `traffic_hour`; returns how many. */
  async backfill(): Promise<number> {
    const { client, database } = this.#options;
    const result = await client.query({
      query: render(sql`SELECT DISTINCT toUInt32(toStartOfHour(minute)) AS h FROM ${identifier(database, 'traffic_minute')}
WHERE minute >= now() - ${BACKFILL_DAYS * 86_400}
  AND toStartOfHour(minute) NOT IN (SELECT hour FROM ${identifier(database, 'traffic_hour')} WHERE hour >= now() - ${BACKFILL_DAYS * 86_400})`),
      format: 'JSONEachRow',
    });
    const hours = ((await result.json()) as Array<{ h: number | string }>).map((row) => Number(row.h));
    this.markMinutes(hours);
    await this.runRound();
    return hours.length;
  }

  /** Stops the timer, waits for a running round and runs a last one for what is still dirty. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#round;
    await this.runRound();
    if (this.#dirty.size > 0) {
      this.#options.logger.warn(
        { hours: this.pending.map((hour) => new Date(hour * 1000).toISOString()) },
        'hours left without an up-to-date rollup at shutdown; the api reads them stale until they are rolled up again',
      );
    }
  }
}
