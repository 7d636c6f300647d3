/**
 * Fills a ClickHouse database the way production does, minus the streaming scorer: simulated signalling is scored
 * offline by the same detection core (`gtwatch score --aggregates` in-process), its alert events and per-minute
 * aggregates are produced to this run's Kafka topics, and the real sink writes them to ClickHouse. The streaming
 * scorer is skipped because on a 2-core machine it would add minutes; the rows it writes are the same by
 * construction (services/scorer's pipeline test compares them).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@gtwatch/clickhouse';
import { type GtwatchConfig, loadConfig } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import { createKafkaClient, deleteTopics, ensureTopics, type Kafka, type OutgoingRecord, Producer } from '@gtwatch/kafka';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import type { Alert } from '@gtwatch/schema';
import { referenceFiles, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { type SinkHandle, startSink } from '@gtwatch/sink';
import { inject } from 'vitest';
import { testLogger } from './support.js';

export interface SimulatedRun {
  alerts: Alert[];
  /** The aggregates topic's values (TrafficAggregate JSON), one per row. */
  aggregateLines: string[];
  referenceDir: string;
}

/** Scores `records` simulated lines that end about now, so the dashboard's "last 24 hours" shows them. */
export async function scoreSimulation(records: number, seed: number): Promise<SimulatedRun> {
  const nowMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const durationMinutes = 150;
  const start = new Date(nowMinute - (durationMinutes + 20) * 60_000).toISOString();
  const run = simulate({ seed, records, start, durationMinutes });
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(run.world)));
  const detector = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering, emitter: { service: 'score', instance: 'e2e' }, aggregates: true });
  const scorer = new RecordScorer(detector);
  const alerts: Alert[] = [];
  const far = Date.parse('2099-01-01');
  let index = 0;
  for (const line of run.lines) {
    index++;
    alerts.push(...scorer.score(line, () => ({ kind: 'file', file: 'sim', line: index }), far).events);
  }
  alerts.push(...scorer.flush());
  const aggregates = detector.takeAggregates();
  const referenceDir = mkdtempSync(join(tmpdir(), 'gtwatch-api-ref-'));
  await writeReferenceFiles(run.world, referenceDir);
  return { alerts, aggregateLines: aggregates.map((row) => JSON.stringify(row)), referenceDir };
}

export interface LoadedPipeline {
  config: Readonly<GtwatchConfig>;
  kafka: Kafka;
  sink: SinkHandle;
  /** Produces more alert events (e.g. for the live feed). */
  publishAlerts(alerts: readonly Alert[]): Promise<void>;
  stop(): Promise<void>;
}

/** Creates topics named after `name`, produces the run's alerts and aggregates, and runs the real sink into `database`. */
export async function loadThroughSink(name: string, database: string, run: SimulatedRun): Promise<LoadedPipeline> {
  const config = loadConfig({
    KAFKA_BROKERS: inject('kafkaBrokers'),
    CLICKHOUSE_URL: inject('clickhouseUrl'),
    CLICKHOUSE_USER: inject('clickhouseUser'),
    CLICKHOUSE_PASSWORD: inject('clickhousePassword'),
    CLICKHOUSE_DATABASE: database,
    GTWATCH_TOPIC_PREFIX: name,
    GTWATCH_INSTANCE: 'api-e2e',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const logger = testLogger('api-e2e');
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: `${name}-feed`, logger });
  const topics = [config.topics.aggregates, config.topics.alerts];
  await ensureTopics(kafka, topics.map((topic) => ({ topic, partitions: 2 })));
  const producer = new Producer(kafka, { logger });
  await producer.connect();
  const toRecord = (alert: Alert): OutgoingRecord => ({ key: alert.data.alertId, value: JSON.stringify(alert) });
  await producer.send(config.topics.aggregates, run.aggregateLines.map((value) => ({ key: null, value })));
  await producer.send(config.topics.alerts, run.alerts.filter((alert) => alert.tlp !== 'red').map(toRecord));
  const sink = await startSink(config, { logger, host: '127.0.0.1', exit: (code) => { throw new Error(`sink exited ${code}`); }, batch: { maxDelayMs: 200 } });
  await sink.ready;
  return {
    config,
    kafka,
    sink,
    publishAlerts: async (alerts) => {
      await producer.send(config.topics.alerts, alerts.map(toRecord));
    },
    stop: async () => {
      await sink.stop();
      await producer.disconnect();
      await deleteTopics(kafka, topics).catch(() => {});
    },
  };
}

/** Waits until `query` returns `expected` (a count), or fails naming what it waited for. */
export async function waitForCount(client: ClickHouseClient, query: string, expected: number, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const result = await client.query({ query, format: 'JSONEachRow' });
    last = Number(((await result.json()) as Array<{ n: string | number }>)[0]?.n ?? 0);
    if (last >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}: ${last} of ${expected}`);
}
