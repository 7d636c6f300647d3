/**
 * The sink against the real Kafka and ClickHouse: what it writes equals what was produced (read with FINAL), its
 * offsets cover everything once written, a replay in a new consumer group changes nothing, invalid records are
 * skipped and counted without blocking, the health endpoints answer, and a fatal consumer crash exits non-zero.
 */
import { type Kafka, Producer } from '@gtwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES, type SinkHandle, type SinkOptions, startSink } from '../../src/index.js';
import { aggregate, alertEvent } from '../fixtures.js';
import { aggregateRecord, expectedTotals, nthAggregate, nthAlertRecord, range } from './data.js';
import {
  alertTotals,
  committedTotal,
  httpGet,
  metricValue,
  sinkConfig,
  sinkEnvironment,
  testLogger,
  trafficTotals,
  uniqueName,
  waitFor,
} from './support.js';

const N = 3_000; // distinct aggregates
const RESENT = 300; // aggregates produced a second time (a producer re-emitting): must collapse
const ALERTS = 30; // alerts with an opened and an updated event each
const logger = testLogger('sink-it');

describe('sink: Kafka aggregates and alerts → ClickHouse', () => {
  const config = sinkConfig('main');
  let env: Awaited<ReturnType<typeof sinkEnvironment>>;
  let sink: SinkHandle | undefined;
  const exits: number[] = [];
  const produced = { aggregates: 0, alerts: 0 };
  const expected = expectedTotals(range(0, N));

  const options = (extra: Partial<SinkOptions> = {}): SinkOptions => ({
    logger,
    host: '127.0.0.1',
    exit: (code) => void exits.push(code),
    batch: { maxRows: 1_000, maxDelayMs: 200 },
    consumer: { maxWaitTimeInMs: 200 },
    pingIntervalMs: 1_000,
    ...extra,
  });

  beforeAll(async () => {
    env = await sinkEnvironment(config, { aggregates: 3, alerts: 2 });
    const producer = new Producer(env.kafka, { logger });
    await producer.connect();
    const aggregates = config.topics.aggregates;
    const alerts = config.topics.alerts;
    const send = async (topic: string, records: Parameters<Producer['send']>[1]) => {
      await producer.send(topic, records);
      if (topic === aggregates) produced.aggregates += records.length;
      else produced.alerts += records.length;
    };
    // First half, then every kind of invalid record in the middle of the stream, then the rest and the re-sent ones.
    await send(aggregates, range(0, N / 2).map((i) => aggregateRecord(nthAggregate(i))));
    const key = 'gt:2250760000001';
    await send(aggregates, [
      { key, value: '{"schemaVersion":1,"minute":' }, // json
      { key, value: JSON.stringify({ ...aggregate(), transactions: -1 }) }, // schema
      { key, value: null }, // empty (tombstone)
      { key, value: JSON.stringify(aggregate({ minute: '2026-11-30T10:15:07Z' })) }, // row: not the start of a minute
    ]);
    await send(aggregates, range(N / 2, N).map((i) => aggregateRecord(nthAggregate(i))));
    await send(aggregates, range(0, RESENT).map((i) => aggregateRecord(nthAggregate(i))));
    await send(alerts, range(0, ALERTS).map((n) => nthAlertRecord(n, 0)));
    await send(alerts, [
      { key: 'x', value: JSON.stringify({ ...alertEvent(), specversion: '0.3' }) }, // schema
      { key: 'x', value: JSON.stringify(alertEvent({ id: 'red-1', tlp: 'red' })) }, // refused
    ]);
    await send(alerts, range(0, ALERTS).map((n) => nthAlertRecord(n, 1)));
    await send(alerts, range(0, 10).map((n) => nthAlertRecord(n, 0))); // replayed events
    await producer.disconnect();
  });

  afterAll(async () => {
    await sink?.stop();
    await env?.cleanup();
  });

  it('(a) writes every valid record once: FINAL totals equal the input sums, alert counts match, offsets committed', async () => {
    sink = await startSink(config, options());
    await sink.ready;
    const s = sink;
    await waitFor('aggregates and alerts committed', async () =>
      (await committedTotal(env.kafka, s.groupId, config.topics.aggregates)) === produced.aggregates &&
      (await committedTotal(env.kafka, s.groupId, config.topics.alerts)) === produced.alerts,
    );
    // Offsets are committed only after ClickHouse acknowledged the rows, so they are all there now.
    expect(await trafficTotals(env.clickhouse, config.clickhouse.database)).toEqual(expected);
    expect(await alertTotals(env.clickhouse, config.clickhouse.database)).toEqual({ events: 2 * ALERTS, alerts: ALERTS });
    expect(await metricValue(s.registry, 'gtwatch_sink_records_consumed_total', { topic: config.topics.aggregates })).toBe(produced.aggregates);
    expect(await metricValue(s.registry, 'gtwatch_sink_rows_written_total', { table: 'traffic_minute' })).toBe(N + RESENT);
    expect(await metricValue(s.registry, 'gtwatch_sink_rows_written_total', { table: 'alerts' })).toBe(2 * ALERTS + 10);
    expect(exits).toEqual([]);
  });

  it('(d) skips invalid records, counts them by reason, and commits past them', async () => {
    const s = sink!;
    const invalid = (topic: string, reason: string) => metricValue(s.registry, 'gtwatch_sink_records_invalid_total', { topic, reason });
    expect(await invalid(config.topics.aggregates, 'json')).toBe(1);
    expect(await invalid(config.topics.aggregates, 'schema')).toBe(1);
    expect(await invalid(config.topics.aggregates, 'empty')).toBe(1);
    expect(await invalid(config.topics.aggregates, 'row')).toBe(1);
    expect(await invalid(config.topics.alerts, 'schema')).toBe(1);
    expect(await invalid(config.topics.alerts, 'refused')).toBe(1);
    // The records after the invalid ones were written (totals above) and the committed offsets include all of them.
    expect(await committedTotal(env.kafka, s.groupId, config.topics.aggregates)).toBe(produced.aggregates);
    const red = await env.clickhouse.query({
      query: `SELECT count() AS n FROM ${config.clickhouse.database}.alerts WHERE event_id = 'red-1'`,
      format: 'JSONEachRow',
    });
    expect(await red.json()).toEqual([{ n: '0' }]);
  });

  it('(e) answers /healthz, /readyz and /metrics with the documented metrics', async () => {
    const s = sink!;
    expect(await httpGet(s.port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const ready = await httpGet(s.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, pending: [] });
    const metrics = await httpGet(s.port, '/metrics');
    expect(metrics.status).toBe(200);
    for (const name of METRIC_NAMES) expect(metrics.body).toContain(`# TYPE ${name} `);
    expect(metrics.body).toMatch(new RegExp(`gtwatch_sink_consumer_lag\\{topic="${config.topics.aggregates}",partition="\\d"[^}]*\\} 0`));
    expect(metrics.body).toMatch(new RegExp(`gtwatch_sink_paused\\{topic="${config.topics.aggregates}"[^}]*\\} 0`));
    expect(metrics.body).toMatch(/gtwatch_sink_batch_rows_count\{[^}]*table="traffic_minute"[^}]*\} [1-9]/);
    expect(metrics.body).toMatch(/gtwatch_sink_insert_duration_seconds_count\{[^}]*table="alerts"[^}]*\} [1-9]/);
    expect(metrics.body).toMatch(/gtwatch_sink_clickhouse_up\{[^}]*\} 1/);
  });

  it('(b) a replay in a new consumer group rewrites every row, and FINAL totals do not change', async () => {
    await sink!.stop(); // graceful: the readiness probe goes away with the server
    await expect(httpGet(sink!.port, '/healthz')).rejects.toThrow();
    sink = await startSink(config, options({ groupId: uniqueName('replay-group') }));
    await sink.ready;
    const s = sink;
    await waitFor('replay committed', async () =>
      (await committedTotal(env.kafka, s.groupId, config.topics.aggregates)) === produced.aggregates &&
      (await committedTotal(env.kafka, s.groupId, config.topics.alerts)) === produced.alerts,
    );
    // The replay really wrote everything again…
    expect(await metricValue(s.registry, 'gtwatch_sink_rows_written_total', { table: 'traffic_minute' })).toBe(N + RESENT);
    // …and readers see the same numbers.
    expect(await trafficTotals(env.clickhouse, config.clickhouse.database)).toEqual(expected);
    expect(await alertTotals(env.clickhouse, config.clickhouse.database)).toEqual({ events: 2 * ALERTS, alerts: ALERTS });
    const raw = await trafficTotals(env.clickhouse, config.clickhouse.database, false);
    expect(raw.rows).toBeGreaterThanOrEqual(expected.rows); // unmerged duplicates may still be there; FINAL hides them
    expect(exits).toEqual([]);
  });

  it('exits non-zero when the Kafka consumer crashes beyond kafkajs recovery', async () => {
    const real = env.kafka;
    // A client whose consumer's handler throws a TypeError: kafkajs treats that as a bug and does not restart.
    const broken = Object.create(real) as Kafka;
    broken.consumer = (consumerConfig) => {
      const consumer = real.consumer(consumerConfig);
      const run = consumer.run.bind(consumer);
      consumer.run = (runConfig) =>
        run({
          ...runConfig,
          eachBatch: async () => {
            throw new TypeError('injected handler bug');
          },
        });
      return consumer;
    };
    const fatalExits: number[] = [];
    const crashing = await startSink(config, options({ kafka: broken, groupId: uniqueName('crash-group'), exit: (code) => void fatalExits.push(code) }));
    try {
      await waitFor('exit(1)', () => fatalExits.length > 0);
      expect(fatalExits).toEqual([1]);
      expect(crashing.readiness()).toMatchObject({ ready: false, pending: expect.arrayContaining(['kafka-consumer']) });
      expect((await httpGet(crashing.port, '/readyz')).status).toBe(503);
    } finally {
      await crashing.stop();
    }
  });
});
