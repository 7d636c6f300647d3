/**
 * A ClickHouse outage while records keep arriving: the sink talks to ClickHouse through a TCP proxy that the test
 * closes for ~10 s (the real server is never touched). The sink must pause consumption (paused gauge 1, /readyz
 * 503, consumed count flat, buffer bounded), resume when the proxy is back, and end with exact totals: no record
 * lost, none counted twice.
 */
import { Producer } from '@gtwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SinkHandle, startSink } from '../../src/index.js';
import { aggregateRecord, expectedTotals, nthAggregate, nthAlertRecord, range } from './data.js';
import {
  alertTotals,
  committedTotal,
  httpGet,
  metricValue,
  OutageProxy,
  sinkConfig,
  sinkEnvironment,
  testLogger,
  trafficTotals,
  waitFor,
} from './support.js';
import { inject } from 'vitest';

const logger = testLogger('sink-outage');
const OUTAGE_MS = 10_000;
const PER_TICK = 25; // aggregates every 100 ms while the test runs
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sink: ClickHouse outage', () => {
  const proxy = new OutageProxy(inject('clickhouseUrl'));
  let config: ReturnType<typeof sinkConfig>;
  let env: Awaited<ReturnType<typeof sinkEnvironment>>;
  let sink: SinkHandle | undefined;
  let producer: Producer;

  beforeAll(async () => {
    await proxy.up();
    config = sinkConfig('outage', { clickhouseUrl: proxy.url });
    env = await sinkEnvironment(config, { aggregates: 3, alerts: 1 });
    producer = new Producer(env.kafka, { logger });
    await producer.connect();
  });

  afterAll(async () => {
    await sink?.stop();
    await producer?.disconnect();
    await proxy.down();
    await env?.cleanup();
  });

  it('waits for ClickHouse at startup: alive but not ready, then ready once it answers', async () => {
    await proxy.down();
    const early = await startSink(config, {
      logger,
      host: '127.0.0.1',
      exit: () => {},
      groupId: `${config.topicPrefix}-startup`,
      pingIntervalMs: 500,
      consumer: { maxWaitTimeInMs: 200 },
    });
    try {
      await sleep(1_500);
      expect((await httpGet(early.port, '/healthz')).status).toBe(200);
      const readyz = await httpGet(early.port, '/readyz');
      expect(readyz.status).toBe(503);
      expect(JSON.parse(readyz.body).pending).toEqual(expect.arrayContaining(['clickhouse-schema', 'kafka-consumer']));
      await proxy.up();
      let ready = false;
      void early.ready.then(() => {
        ready = true;
      });
      await waitFor('ready after ClickHouse came back', () => ready, 10_000);
      expect((await httpGet(early.port, '/readyz')).status).toBe(200);
    } finally {
      await early.stop();
    }
  });

  it('(c) pauses while ClickHouse is unreachable, resumes after, and loses or duplicates nothing', async () => {
    const exits: number[] = [];
    sink = await startSink(config, {
      logger,
      host: '127.0.0.1',
      exit: (code) => void exits.push(code),
      batch: { maxRows: 500, maxDelayMs: 200, maxBufferedRows: 2_000 },
      retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 },
      pingIntervalMs: 500,
      requestTimeoutMs: 5_000,
      consumer: { maxWaitTimeInMs: 200 },
    });
    await sink.ready;
    const s = sink;
    const gauge = (name: string, labels: Record<string, string> = {}) => metricValue(s.registry, name, labels);
    const aggregatesTopic = config.topics.aggregates;

    // A producer that keeps going through the whole outage.
    let sent = 0;
    let alerts = 0;
    let producing = true;
    const producerLoop = (async () => {
      while (producing) {
        await producer.send(aggregatesTopic, range(sent, sent + PER_TICK).map((i) => aggregateRecord(nthAggregate(i))));
        sent += PER_TICK;
        if (sent % 500 === 0) {
          await producer.send(config.topics.alerts, [nthAlertRecord(alerts, 0)]);
          alerts += 1;
        }
        await sleep(100);
      }
    })();

    await waitFor('rows written before the outage', async () => (await gauge('gtwatch_sink_rows_written_total', { table: 'traffic_minute' })) >= 500, 15_000);
    await proxy.down();
    const downAt = Date.now();

    await waitFor('topic paused', async () => (await gauge('gtwatch_sink_paused', { topic: aggregatesTopic })) === 1, 8_000);
    await waitFor('/readyz 503', async () => (await httpGet(s.port, '/readyz')).status === 503, 8_000);
    expect(JSON.parse((await httpGet(s.port, '/readyz')).body).pending).toContain('clickhouse');
    expect((await httpGet(s.port, '/healthz')).status).toBe(200); // alive, just not ready
    // Paused means paused: nothing more is taken from Kafka while the records keep arriving.
    const consumedPaused = await gauge('gtwatch_sink_records_consumed_total', { topic: aggregatesTopic });
    const sentPaused = sent;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    expect(sent - sentPaused).toBeGreaterThan(PER_TICK * 10);
    expect(await gauge('gtwatch_sink_records_consumed_total', { topic: aggregatesTopic })).toBe(consumedPaused);
    expect(await gauge('gtwatch_sink_buffered_rows', { table: 'traffic_minute' })).toBeLessThan(2_000 + 5_000);
    expect(await gauge('gtwatch_sink_insert_failures_total', { table: 'traffic_minute', outcome: 'surfaced' })).toBeGreaterThan(0);
    expect(await gauge('gtwatch_sink_clickhouse_up')).toBe(0);

    await proxy.up();
    await waitFor('topic resumed', async () => (await gauge('gtwatch_sink_paused', { topic: aggregatesTopic })) === 0, 15_000);
    await waitFor('/readyz 200', async () => (await httpGet(s.port, '/readyz')).status === 200, 15_000);
    await sleep(1_000); // records keep flowing after the resume
    producing = false;
    await producerLoop;

    await waitFor('everything committed', async () =>
      (await committedTotal(env.kafka, s.groupId, aggregatesTopic)) === sent &&
      (await committedTotal(env.kafka, s.groupId, config.topics.alerts)) === alerts,
    20_000);
    expect(await trafficTotals(env.clickhouse, config.clickhouse.database)).toEqual(expectedTotals(range(0, sent)));
    expect(await alertTotals(env.clickhouse, config.clickhouse.database)).toEqual({ events: alerts, alerts });
    expect(await gauge('gtwatch_sink_records_consumed_total', { topic: aggregatesTopic })).toBe(sent);
    expect(exits).toEqual([]);
  });
});
