import { topicNames } from '@gtwatch/config';
import { describe, expect, it } from 'vitest';
import { defaultTopicSpecs } from '../src/topics.js';

const DAY = 86_400_000;

describe('defaultTopicSpecs', () => {
  const names = topicNames('gtwatch');

  it('lists the project topics with partitions and configs for a single broker', () => {
    const specs = defaultTopicSpecs(names);
    expect(specs.map((s) => [s.topic, s.partitions, s.replicationFactor])).toEqual([
      ['gtwatch.signalling.v1', 12, 1],
      ['gtwatch.signalling.dlq.v1', 3, 1],
      ['gtwatch.internal.by-subscriber.v1', 12, 1],
      ['gtwatch.aggregates.v1', 12, 1],
      ['gtwatch.alerts.v1', 6, 1],
      ['gtwatch.alert-state.v1', 6, 1],
    ]);
    const byTopic = new Map(specs.map((s) => [s.topic, s.configs ?? {}]));
    expect(byTopic.get(names.deadLetter)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY) });
    expect(byTopic.get(names.alertState)?.['cleanup.policy']).toBe('compact');
    for (const configs of byTopic.values()) expect(configs['min.insync.replicas']).toBeUndefined();
  });

  it('takes the signalling partition count, replication and jurisdiction topics from options', () => {
    const specs = defaultTopicSpecs(names, { signallingPartitions: 24, replicationFactor: 3, jurisdictions: ['gb', 'US'] });
    expect(specs.find((s) => s.topic === names.signalling)?.partitions).toBe(24);
    expect(specs.map((s) => s.topic)).toContain('gtwatch.alerts.v1.us');
    for (const spec of specs) {
      expect(spec.replicationFactor).toBe(3);
      expect(spec.configs?.['min.insync.replicas']).toBe('2');
    }
    expect(defaultTopicSpecs(names, { replicationFactor: 2 })[0]?.configs?.['min.insync.replicas']).toBe('1');
    expect(() => defaultTopicSpecs(names, { signallingPartitions: 0 })).toThrow(RangeError);
    expect(() => defaultTopicSpecs(names, { replicationFactor: 1.5 })).toThrow(RangeError);
  });
});
