import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';
import { configError, tempFiles } from './support.js';

describe('loadConfig', () => {
  it('gives working local defaults when nothing is set', () => {
    const config = loadConfig({ GTWATCH_INSTANCE: 'test-1' });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.clickhouse).toEqual({
      url: 'http://127.0.0.1:8123',
      user: 'default',
      password: '',
      database: 'gtwatch',
    });
    expect(config.topics.signalling).toBe('gtwatch.signalling.v1');
    expect(config.topics.deadLetter).toBe('gtwatch.signalling.dlq.v1');
    expect(config.topics.alertsFor('GB')).toBe('gtwatch.alerts.v1.gb');
    expect(config.port).toBe(9464);
    expect(config.logLevel).toBe('info');
    expect(config.referenceDir).toBeNull();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      CLICKHOUSE_URL: 'https://ch.example:8443',
      CLICKHOUSE_USER: 'writer',
      CLICKHOUSE_PASSWORD: 's3cret',
      CLICKHOUSE_DATABASE: 'gt_prod',
      GTWATCH_TOPIC_PREFIX: 'acme.gtwatch',
      GTWATCH_REFERENCE_DIR: '/etc/gtwatch/reference',
      PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(config.clickhouse.password).toBe('s3cret');
    expect(config.clickhouse.database).toBe('gt_prod');
    expect(config.topics.alerts).toBe('acme.gtwatch.alerts.v1');
    expect(config.referenceDir).toBe('/etc/gtwatch/reference');
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ KAFKA_BROKERS: '', PORT: '' }).port).toBe(9464);
  });

  it('names every bad variable at once', () => {
    const error = configError({
      KAFKA_BROKERS: 'no-port-here',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      CLICKHOUSE_DATABASE: 'x; DROP TABLE y',
      CLICKHOUSE_URL: 'ftp://ch',
    });
    const variables = error.issues.map((issue) => issue.variable).sort();
    expect(variables).toEqual(['CLICKHOUSE_DATABASE', 'CLICKHOUSE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL', 'PORT']);
    expect(error.message).toContain('PORT: "eighty"');
    expect(error.message).toContain('KAFKA_BROKERS: "no-port-here"');
  });

  it('rejects out-of-range ports and topic prefixes Kafka would refuse', () => {
    expect(configError({ PORT: '70000' }).issues[0]?.variable).toBe('PORT');
    expect(configError({ GTWATCH_TOPIC_PREFIX: 'bad/prefix' }).issues[0]?.variable).toBe('GTWATCH_TOPIC_PREFIX');
  });

  it('reads secrets from *_FILE without echoing them', () => {
    const files = tempFiles('gtwatch-config-');
    const file = files.write('password', 'from-file\n');
    expect(loadConfig({ CLICKHOUSE_PASSWORD_FILE: file }).clickhouse.password).toBe('from-file');

    const both = configError({ CLICKHOUSE_PASSWORD: 'x', CLICKHOUSE_PASSWORD_FILE: file });
    expect(both.issues[0]?.variable).toBe('CLICKHOUSE_PASSWORD');

    const missing = configError({ CLICKHOUSE_PASSWORD_FILE: join(files.dir, 'nope') });
    expect(missing.issues[0]?.variable).toBe('CLICKHOUSE_PASSWORD_FILE');
    expect(missing.message).not.toContain('from-file');
  });
});
