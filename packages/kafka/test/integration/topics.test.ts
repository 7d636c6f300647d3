import { topicNames } from '@gtwatch/config';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTopicSpecs, describeTopics, ensureTopics } from '../../src/index.js';
import { testKafka, topicJanitor, uniqueName } from './support.js';

describe('Topic admin against the real broker', () => {
  const kafka = testKafka('topics');
  const janitor = topicJanitor(kafka);
  afterAll(async () => {
    await janitor.cleanup();
  });

  it('creates the project topics with their partitions and configs, once', async () => {
    const names = topicNames(uniqueName('gtwatch'));
    const specs = defaultTopicSpecs(names, { signallingPartitions: 4, jurisdictions: ['gb'] });
    janitor.add(...specs.map((s) => s.topic));
    expect((await ensureTopics(kafka, specs)).sort()).toEqual(specs.map((s) => s.topic).sort());
    expect(await ensureTopics(kafka, specs)).toEqual([]);

    const described = await describeTopics(kafka, [names.signalling, names.deadLetter, names.alertState, names.alertsFor('GB')]);
    const [signalling, dlq, state, gb] = described;
    expect(signalling?.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3]);
    expect(signalling?.replicationFactor).toBe(1);
    expect(signalling?.partitions[0]?.isr).toHaveLength(1);
    expect(signalling?.overrides).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '604800000' });
    expect(dlq?.overrides['retention.ms']).toBe(String(7 * 24 * 3_600_000));
    expect(state?.overrides['cleanup.policy']).toBe('compact');
    expect(state?.configs['min.insync.replicas']).toBe('1');
    expect(gb?.topic).toBe(`${names.alerts}.gb`);
    expect(gb?.partitions).toHaveLength(6);
    // Broker defaults are reported too, but not as overrides.
    expect(signalling?.configs['max.message.bytes']).toBeDefined();
    expect(signalling?.overrides['max.message.bytes']).toBeUndefined();
  });

  it('fails clearly for a topic that does not exist', async () => {
    await expect(describeTopics(kafka, [uniqueName('no.such.topic')])).rejects.toThrow();
  });
});
