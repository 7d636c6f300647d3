import { loadConfig, topicNames } from '@gtwatch/config';
import { BatchConsumer, createKafkaClient, defaultTopicSpecs, deleteTopics, ensureTopics, Producer } from '@gtwatch/kafka';
import { EXAMPLE_REFERENCE_DIR } from '@gtwatch/numbering';
import { type Alert, AlertSchema, type DeadLetter, DeadLetterSchema } from '@gtwatch/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { type ScorerHandle, startScorer } from '../../src/index.js';
import { brokers, testLogger, uniquePrefix, waitFor } from './support.js';

const JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'];
const REPORTERS = ['234-91', '262-91'];

/** An anyTimeInterrogation from `callingGt` about a subscriber of `reporter`: a category-1 alert on its own. */
function interrogation(id: string, reporter: string, callingGt: string): string {
  return JSON.stringify({
    schemaVersion: 1, id, time: Date.now(), reporter, protocol: 'MAP', direction: 'in', operation: 71, result: 'ok',
    callingGt, calledGt: '447700900002', subscriber: `pseudonym-${id}-0000000`, subscriberPlmn: reporter,
  });
}

describe('per-reporter input topics', () => {
  const prefix = uniquePrefix('reporters');
  const topics = topicNames(prefix);
  const logger = testLogger('reporters-test');
  const kafka = createKafkaClient({ brokers: brokers().split(','), clientId: 'reporters-test', logger });
  const specs = defaultTopicSpecs(topics, { signallingPartitions: 2, jurisdictions: JURISDICTIONS, reporters: REPORTERS });
  let scorer: ScorerHandle | undefined;

  afterAll(async () => {
    await scorer?.stop();
    await deleteTopics(kafka, specs.map((spec) => spec.topic));
  });

  it('scores an operator’s own records and dead-letters records written in another operator’s name', async () => {
    await ensureTopics(kafka, specs);
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    // Albion (234-91) writes its own topic: one genuine record, one claiming to be Rhein's (262-91), one broken.
    await producer.send(topics.signallingFor('234-91'), [
      { key: '2250755512', value: interrogation('genuine', '234-91', '2250755512') },
      { key: '2250755599', value: interrogation('forged', '262-91', '2250755599') },
      { key: null, value: '{"schemaVersion":1,' },
    ]);
    await producer.disconnect();

    const config = loadConfig({
      KAFKA_BROKERS: brokers(),
      GTWATCH_TOPIC_PREFIX: prefix,
      GTWATCH_REFERENCE_DIR: EXAMPLE_REFERENCE_DIR,
      GTWATCH_INSTANCE: 'reporters',
      PORT: '0',
    });
    scorer = await startScorer(config, { logger, healthHost: '127.0.0.1', onFatal: (error) => { throw error; } });

    const alerts: Alert[] = [];
    const deadLetters: DeadLetter[] = [];
    const reader = new BatchConsumer(kafka, { groupId: `${prefix}-reader`, topics: [topics.alerts, topics.deadLetter], fromBeginning: true, logger, maxWaitTimeInMs: 200 });
    await reader.start({
      eachBatch: async (batch) => {
        for (const record of batch.records) {
          const value = JSON.parse(record.value?.toString() ?? 'null') as unknown;
          if (batch.topic === topics.alerts) alerts.push(AlertSchema.parse(value));
          else deadLetters.push(DeadLetterSchema.parse(value));
        }
      },
    });
    try {
      await waitFor('the genuine alert and two dead letters', () => alerts.length >= 1 && deadLetters.length >= 2, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await reader.disconnect();
    }

    expect(alerts.filter((a) => a.data.status === 'open').map((a) => `${a.data.pattern}@${a.subject}`)).toEqual(['category-1@2250755512']);
    const reasons = deadLetters.map((d) => [d.reason.code, d.reporter, d.source.kind === 'kafka' ? d.source.topic : null]).sort();
    expect(reasons).toEqual([
      ['invalid-json', null, topics.signallingFor('234-91')],
      ['reporter-mismatch', '262-91', topics.signallingFor('234-91')],
    ]);
  });
});
