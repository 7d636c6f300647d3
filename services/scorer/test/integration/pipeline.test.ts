import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, topicNames } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import {
  BatchConsumer,
  createKafkaClient,
  defaultTopicSpecs,
  deleteTopics,
  ensureTopics,
  type OutgoingRecord,
  Producer,
} from '@gtwatch/kafka';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import { type Alert, AlertSchema, TrafficAggregateBatchSchema } from '@gtwatch/schema';
import { partitionKey, referenceFiles, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { type ScorerHandle, startScorer } from '../../src/index.js';
import { brokers, testLogger, uniquePrefix, waitFor } from './support.js';

const SOURCE_PARTITIONS = 3;
const RECORDS = 30_000;

/** The offline answer on the same lines: what `gtwatch score` opens, and how much inbound traffic it rolls up. */
function offline(lines: readonly string[], world: Parameters<typeof referenceFiles>[0]) {
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(world)));
  const detector = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering, emitter: { service: 'score', instance: 'offline' }, aggregates: true });
  const scorer = new RecordScorer(detector);
  const alerts: Alert[] = [];
  let rejected = 0;
  for (const [index, line] of lines.entries()) {
    const outcome = scorer.score(line, () => ({ kind: 'file', file: 'x', line: index + 1 }), Date.parse('2099-01-01'));
    if (outcome.deadLetter) rejected++;
    alerts.push(...outcome.events);
  }
  alerts.push(...scorer.flush());
  const transactions = detector.takeAggregates().reduce((sum, row) => sum + row.transactions, 0);
  return { opened: alerts.filter((a) => a.data.status === 'open'), rejected, transactions };
}

describe('scorer on the real broker', () => {
  const prefix = uniquePrefix('scorer');
  const topics = topicNames(prefix);
  const logger = testLogger('scorer-test');
  const kafka = createKafkaClient({ brokers: brokers().split(','), clientId: 'scorer-test', logger });
  let scorer: ScorerHandle | undefined;

  afterAll(async () => {
    await scorer?.stop();
    const specs = defaultTopicSpecs(topics, { signallingPartitions: SOURCE_PARTITIONS, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] });
    await deleteTopics(kafka, specs.map((spec) => spec.topic));
  });

  it('opens the alerts the offline scorer opens (same event ids for source-keyed patterns), dead-letters the same lines and rolls up the same traffic', async () => {
    const run = simulate({ seed: 5, records: RECORDS, badRate: 0.002 });
    const lines = [...run.lines];
    const expected = offline(lines, run.world);
    expect(expected.opened.length).toBeGreaterThan(10);

    const referenceDir = mkdtempSync(join(tmpdir(), 'gtwatch-scorer-ref-'));
    await writeReferenceFiles(run.world, referenceDir);
    await ensureTopics(kafka, defaultTopicSpecs(topics, { signallingPartitions: SOURCE_PARTITIONS, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }));

    const producer = new Producer(kafka, { logger });
    await producer.connect();
    const records: OutgoingRecord[] = lines.map((line) => ({ key: partitionKey(line), value: line }));
    await producer.send(topics.signalling, records);
    // A quiet record far ahead on every partition of both stages moves event time on, as live traffic would,
    // so every window closes and every held location update is judged.
    const endMs = Date.parse(run.labels().end) + 3 * 3_600_000;
    const tick = (partition: number): OutgoingRecord => ({
      partition,
      value: JSON.stringify({
        schemaVersion: 1, id: `tick-${partition}`, time: endMs, reporter: '234-15', protocol: 'MAP', direction: 'out',
        operation: 56, result: 'ok', callingGt: '447700900001', calledGt: '447700900002',
      }),
    });
    await producer.send(topics.signalling, Array.from({ length: SOURCE_PARTITIONS }, (_, p) => tick(p)));
    await producer.send(topics.bySubscriber, Array.from({ length: 12 }, (_, p) => tick(p)));

    const config = loadConfig({
      KAFKA_BROKERS: brokers(),
      GTWATCH_TOPIC_PREFIX: prefix,
      GTWATCH_REFERENCE_DIR: referenceDir,
      GTWATCH_INSTANCE: 'itest',
      PORT: '0',
    });
    scorer = await startScorer(config, { logger, healthHost: '127.0.0.1', onFatal: (error) => { throw error; } });

    const alerts: Alert[] = [];
    let aggregated = 0;
    let deadLetters = 0;
    const reader = new BatchConsumer(kafka, {
      groupId: `${prefix}-reader`,
      topics: [topics.alerts, topics.aggregates, topics.deadLetter],
      fromBeginning: true,
      logger,
    });
    await reader.start({
      eachBatch: async (batch) => {
        for (const record of batch.records) {
          const value = JSON.parse(record.value?.toString() ?? 'null') as unknown;
          if (batch.topic === topics.alerts) alerts.push(AlertSchema.parse(value));
          else if (batch.topic === topics.aggregates) {
            for (const row of TrafficAggregateBatchSchema.parse(value).aggregates) aggregated += row.transactions;
          }
          else deadLetters++;
        }
      },
    });
    const wanted = new Set(expected.opened.map((a) => a.id));
    const openedIds = () => new Set(alerts.filter((a) => a.data.status === 'open').map((a) => a.id));
    try {
      const wantedKeys = new Set(expected.opened.map((a) => `${a.data.pattern}@${a.subject}`));
      const openedKeys = () => new Set(alerts.filter((a) => a.data.status === 'open').map((a) => `${a.data.pattern}@${a.subject}`));
      await waitFor('the offline alerts', () => [...wantedKeys].every((key) => openedKeys().has(key)), 120_000);
      await waitFor('every aggregate', () => aggregated >= expected.transactions, 30_000);
    } finally {
      await reader.drain();
      await reader.disconnect();
    }
    const opened = alerts.filter((a) => a.data.status === 'open');
    expect(new Set(opened.map((a) => `${a.data.pattern}@${a.subject}`))).toEqual(
      new Set(expected.opened.map((a) => `${a.data.pattern}@${a.subject}`)),
    );
    // Source-keyed patterns: the very same events. Velocity findings travel through the by-subscriber stage and back
    // to their source's alert book, so their alert opens when the hit arrives (other event time, other event id than
    // offline); for velocity the (pattern, source) set is compared above, and each alert opens exactly once.
    const sourceKeyed = (ids: Iterable<string>, events: readonly Alert[]) =>
      new Set([...ids].filter((id) => events.find((a) => a.id === id)?.data.pattern !== 'velocity'));
    expect(sourceKeyed(openedIds(), alerts)).toEqual(sourceKeyed(wanted, expected.opened));
    const velocityOpened = alerts.filter((a) => a.data.status === 'open' && a.data.pattern === 'velocity').map((a) => a.data.alertId);
    expect(velocityOpened.length).toBeGreaterThan(0);
    expect(velocityOpened.length).toBe(new Set(velocityOpened).size);
    expect(aggregated).toBe(expected.transactions);
    expect(deadLetters).toBe(expected.rejected);

    const ready = await fetch(`http://127.0.0.1:${scorer.health.port}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${scorer.health.port}/metrics`)).text();
    expect(metrics).toMatch(/gtwatch_scorer_records_total\{topic="source"[^}]*\} \d+/);
    expect(metrics).toContain('gtwatch_scorer_alert_events_total');
  });
});
