/**
 * The sink keeps traffic_hour in step with what it writes: after aggregates (with replayed copies) arrive, each
 * hour's newest snapshot holds exactly the sums of its minute rows read with FINAL — by the rollup loop while
 * running, and by the last round of a clean stop when the loop had no time to run.
 */
import { migrate } from '@gtwatch/clickhouse';
import { Producer } from '@gtwatch/kafka';
import type { TrafficAggregate } from '@gtwatch/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { type SinkHandle, type SinkOptions, startSink } from '../../src/index.js';
import { aggregate } from '../fixtures.js';
import { toTrafficMinuteRow } from '../../src/index.js';
import { aggregateRecord } from './data.js';
import { metricValue, queryRows, sinkConfig, sinkEnvironment, testLogger, waitFor } from './support.js';

const logger = testLogger('sink-rollup');

/** 40 sources over minutes spanning three hours (the fixture's minute 0 is 10:15), two reporters. */
function aggregates(): TrafficAggregate[] {
  const out: TrafficAggregate[] = [];
  for (let s = 0; s < 40; s++) {
    for (const minuteIndex of [0, 20, 44, 45, 46, 100, 104, 105]) {
      out.push(
        aggregate({
          entity: `2250761${String(s).padStart(6, '0')}`,
          minuteIndex: minuteIndex + (s % 3),
          reporter: s % 4 === 0 ? '310-260' : '234-15',
          transactions: 1 + ((s * 7 + minuteIndex) % 23),
          errors: s % 3,
          late: minuteIndex % 2,
          subscribers: 1 + (s % 5),
        }),
      );
    }
  }
  return out;
}

type HourSums = { h: string; transactions: string; errors: string; late: string; rows: string };

async function minuteSums(client: Parameters<typeof queryRows>[0], database: string): Promise<Array<Omit<HourSums, 'rows'>>> {
  return queryRows(
    client,
    `SELECT toString(toStartOfHour(minute)) AS h, toString(sum(transactions)) AS transactions, toString(sum(errors)) AS errors,
       toString(sum(late)) AS late FROM ${database}.traffic_minute FINAL GROUP BY h ORDER BY h`,
  );
}

async function hourSums(client: Parameters<typeof queryRows>[0], database: string): Promise<Array<Omit<HourSums, 'rows'>>> {
  return queryRows(
    client,
    `SELECT toString(hour) AS h, toString(sum(transactions)) AS transactions, toString(sum(errors)) AS errors, toString(sum(late)) AS late
     FROM ${database}.traffic_hour WHERE (hour, version) IN (SELECT hour, max(version) FROM ${database}.traffic_hour GROUP BY hour)
     GROUP BY h ORDER BY h`,
  );
}

describe('sink: hourly rollup of what it wrote', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  async function run(label: string, extra: Partial<SinkOptions>) {
    const config = sinkConfig(label);
    const env = await sinkEnvironment(config, { aggregates: 2, alerts: 1 });
    let sink: SinkHandle | undefined;
    cleanups.push(async () => {
      await sink?.stop();
      await env.cleanup();
    });
    const producer = new Producer(env.kafka, { logger });
    await producer.connect();
    const values = aggregates();
    await producer.send(config.topics.aggregates, values.map(aggregateRecord));
    await producer.send(config.topics.aggregates, values.filter((_, i) => i % 5 === 0).map(aggregateRecord)); // replays
    await producer.disconnect();
    sink = await startSink(config, {
      logger,
      host: '127.0.0.1',
      exit: (code) => {
        throw new Error(`sink exited ${code}`);
      },
      batch: { maxRows: 100, maxDelayMs: 100 },
      consumer: { maxWaitTimeInMs: 200 },
      ...extra,
    });
    await sink.ready;
    const distinct = values.length;
    await waitFor('all aggregates in traffic_minute', async () => {
      const [row] = await queryRows<{ n: string }>(env.clickhouse, `SELECT count() AS n FROM ${config.clickhouse.database}.traffic_minute FINAL`);
      return Number(row?.n) === distinct;
    });
    return { config, env, sink, stop: () => sink?.stop() };
  }

  it('rolls up every hour it wrote, exactly, while running', async () => {
    const { config, env, sink } = await run('rollup_live', { rollupIntervalMs: 200 });
    const database = config.clickhouse.database;
    const expected = await minuteSums(env.clickhouse, database);
    expect(expected.map((row) => row.h)).toHaveLength(3);
    await waitFor('traffic_hour equal to traffic_minute', async () => JSON.stringify(await hourSums(env.clickhouse, database)) === JSON.stringify(expected));
    expect(await metricValue(sink.registry, 'gtwatch_sink_rollups_total', { result: 'ok' })).toBeGreaterThanOrEqual(3);
    await waitFor('no hour pending', async () => (await metricValue(sink.registry, 'gtwatch_sink_rollup_pending_hours')) === 0);
    expect(await metricValue(sink.registry, 'gtwatch_sink_rollups_total', { result: 'failed' })).toBe(0);
  });

  it('rolls up what is still dirty when it stops, even if the loop never ran', async () => {
    const { config, env, sink, stop } = await run('rollup_stop', { rollupIntervalMs: 600_000 });
    const database = config.clickhouse.database;
    // The loop has not run: only the startup backfill may have found hours (before any rows: none).
    expect(await metricValue(sink.registry, 'gtwatch_sink_rollup_pending_hours')).toBeGreaterThan(0);
    await stop();
    expect(await hourSums(env.clickhouse, database)).toEqual(await minuteSums(env.clickhouse, database));
  });

  it('at startup, rolls up the recent hours of traffic_minute that have no snapshot (written before migration 5)', async () => {
    const config = sinkConfig('rollup_backfill');
    const env = await sinkEnvironment(config, { aggregates: 1, alerts: 1 });
    let sink: SinkHandle | undefined;
    cleanups.push(async () => {
      await sink?.stop();
      await env.cleanup();
    });
    const database = config.clickhouse.database;
    await migrate(env.clickhouse, database);
    const rows = aggregates().map((value) => toTrafficMinuteRow(value, 1));
    await env.clickhouse.insert({ table: `${database}.traffic_minute`, format: 'JSONEachRow', values: rows });
    sink = await startSink(config, { logger, host: '127.0.0.1', exit: () => {}, rollupIntervalMs: 600_000 });
    await sink.ready;
    const expected = await minuteSums(env.clickhouse, database);
    expect(expected).toHaveLength(3);
    await waitFor('backfilled hours', async () => JSON.stringify(await hourSums(env.clickhouse, database)) === JSON.stringify(expected));
    expect(await metricValue(sink.registry, 'gtwatch_sink_rollups_total', { result: 'ok' })).toBe(3);
  });
});
