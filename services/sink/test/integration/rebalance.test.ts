/**
 * Two sinks in one consumer group while records keep arriving: the second one joining and the first one leaving
 * both rebalance the group (kafkajs is eager: everything is revoked and re-read from the committed offsets). Rows
 * buffered across a revocation are still written but their offsets are not committed by the old owner; whatever
 * is re-read collapses. The end state must be exact: every record committed, FINAL totals equal the input.
 */
import { Producer } from '@gtwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SinkHandle, type SinkOptions, startSink } from '../../src/index.js';
import { aggregateRecord, expectedTotals, nthAggregate, range } from './data.js';
import { committedTotal, metricValue, sinkConfig, sinkEnvironment, testLogger, trafficTotals, waitFor } from './support.js';

const logger = testLogger('sink-rebalance');
const PER_TICK = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sink: rebalancing between two instances', () => {
  const config = sinkConfig('rebalance');
  let env: Awaited<ReturnType<typeof sinkEnvironment>>;
  const sinks: SinkHandle[] = [];

  beforeAll(async () => {
    env = await sinkEnvironment(config, { aggregates: 4, alerts: 1 });
  });
  afterAll(async () => {
    for (const sink of sinks) await sink.stop();
    await env?.cleanup();
  });

  it('keeps totals exact when an instance joins and another leaves mid-stream', async () => {
    const exits: number[] = [];
    const options: SinkOptions = {
      logger,
      host: '127.0.0.1',
      exit: (code) => void exits.push(code),
      batch: { maxRows: 200, maxDelayMs: 300 },
      consumer: { maxWaitTimeInMs: 200, heartbeatInterval: 300, sessionTimeout: 6_000 },
    };
    const first = await startSink(config, options);
    sinks.push(first);
    await first.ready;

    const producer = new Producer(env.kafka, { logger });
    await producer.connect();
    let sent = 0;
    let producing = true;
    const producerLoop = (async () => {
      while (producing) {
        await producer.send(config.topics.aggregates, range(sent, sent + PER_TICK).map((i) => aggregateRecord(nthAggregate(i))));
        sent += PER_TICK;
        await sleep(100);
      }
    })();

    await sleep(1_000);
    const second = await startSink(config, options);
    sinks.push(second);
    await second.ready;
    const consumed = (sink: SinkHandle) => metricValue(sink.registry, 'gtwatch_sink_records_consumed_total', { topic: config.topics.aggregates });
    await waitFor('the second instance consuming', async () => (await consumed(second)) > 0, 15_000);
    await sleep(1_000);
    await first.stop(); // leaves the group: the second instance takes every partition
    await sleep(1_500);
    producing = false;
    await producerLoop;
    await producer.disconnect();

    await waitFor('everything committed', async () => (await committedTotal(env.kafka, second.groupId, config.topics.aggregates)) === sent, 20_000);
    expect(await trafficTotals(env.clickhouse, config.clickhouse.database)).toEqual(expectedTotals(range(0, sent)));
    // Both instances did real work; together they consumed at least everything (re-reads after rebalances on top).
    expect(await consumed(first)).toBeGreaterThan(0);
    expect((await consumed(first)) + (await consumed(second))).toBeGreaterThanOrEqual(sent);
    expect(exits).toEqual([]);
  });
});
