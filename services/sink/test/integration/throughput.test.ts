/**
 * Sink throughput on the test servers: SINK_THROUGHPUT_RECORDS aggregates (default 200 000) are preloaded on a
 * 6-partition topic, then a sink with the production batch policy (10 000 rows or 1 s per INSERT) starts and the
 * time until every row is acknowledged by ClickHouse and every offset committed is measured. Prints a table; checks
 * exact totals and only a generous floor on the rate, so a slow machine does not fail but a collapse does.
 */
import { Producer } from '@gtwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SinkHandle, startSink } from '../../src/index.js';
import { aggregateRecord, expectedTotals, nthAggregate, range } from './data.js';
import { committedTotal, metricValue, sinkConfig, sinkEnvironment, testLogger, trafficTotals, waitFor } from './support.js';

const COUNT = Number(process.env.SINK_THROUGHPUT_RECORDS ?? 200_000);
const SEND_CHUNK = 10_000;
const logger = testLogger('sink-throughput');

describe('sink throughput', () => {
  const config = sinkConfig('throughput');
  let env: Awaited<ReturnType<typeof sinkEnvironment>>;
  let sink: SinkHandle | undefined;
  let produceMs = 0;
  let bytes = 0;

  beforeAll(async () => {
    env = await sinkEnvironment(config, { aggregates: 6, alerts: 1 });
    const producer = new Producer(env.kafka, { logger });
    await producer.connect();
    const started = performance.now();
    for (let start = 0; start < COUNT; start += SEND_CHUNK) {
      const records = range(start, Math.min(COUNT, start + SEND_CHUNK)).map((i) => aggregateRecord(nthAggregate(i)));
      for (const record of records) bytes += Buffer.byteLength(record.value as string);
      await producer.send(config.topics.aggregates, records);
    }
    produceMs = performance.now() - started;
    await producer.disconnect();
  });

  afterAll(async () => {
    await sink?.stop();
    await env?.cleanup();
  });

  it(`writes ${COUNT} preloaded aggregates into ClickHouse`, async () => {
    const started = performance.now();
    sink = await startSink(config, { logger, host: '127.0.0.1', exit: () => {} });
    await sink.ready;
    const readyMs = performance.now() - started;
    const s = sink;
    const written = () => metricValue(s.registry, 'gtwatch_sink_rows_written_total', { table: 'traffic_minute' });
    await waitFor('all rows written', async () => (await written()) >= COUNT, 120_000, 50);
    const writtenMs = performance.now() - started - readyMs;
    await waitFor('all offsets committed', async () => (await committedTotal(env.kafka, s.groupId, config.topics.aggregates)) === COUNT, 30_000);
    const batchCount = (await s.registry.getSingleMetric('gtwatch_sink_batch_rows')?.get())?.values.find(
      (v) => 'metricName' in v && v.metricName === 'gtwatch_sink_batch_rows_count',
    )?.value;
    const insertSum = (await s.registry.getSingleMetric('gtwatch_sink_insert_duration_seconds')?.get())?.values.find(
      (v) => 'metricName' in v && v.metricName === 'gtwatch_sink_insert_duration_seconds_sum',
    )?.value;
    const rowsPerSec = Math.round(COUNT / (writtenMs / 1000));
    process.stdout.write(`\nSink throughput (${COUNT} aggregates, ${(bytes / COUNT).toFixed(0)} B each, 6 partitions, batches of ≤10 000 rows)\n`);
    console.table([
      {
        records: COUNT,
        produceMs: Math.round(produceMs),
        startToReadyMs: Math.round(readyMs),
        readyToWrittenMs: Math.round(writtenMs),
        rowsPerSec,
        inserts: batchCount,
        meanRowsPerInsert: batchCount ? Math.round(COUNT / batchCount) : null,
        meanInsertMs: batchCount && insertSum ? Math.round((insertSum * 1000) / batchCount) : null,
        insertShare: insertSum ? `${Math.round((insertSum * 100_000) / writtenMs)}%` : null,
      },
    ]);
    expect(await trafficTotals(env.clickhouse, config.clickhouse.database)).toEqual(expectedTotals(range(0, COUNT)));
    expect(rowsPerSec).toBeGreaterThan(5_000);
  });
});
