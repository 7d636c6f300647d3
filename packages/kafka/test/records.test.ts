import { describe, expect, it } from 'vitest';
import { decodeHeaders, nextOffset, toConsumedRecord, toKafkaMessage } from '../src/records.js';

describe('record mapping', () => {
  it('decodes kafkajs headers to strings: Buffers as UTF-8, repeated names → last value, undefined dropped', () => {
    expect(
      decodeHeaders({
        ce_id: Buffer.from('evt-1'),
        text: 'plain',
        repeated: [Buffer.from('first'), 'second'],
        empty: [],
        missing: undefined,
        utf8: Buffer.from('grüße ✓'),
      }),
    ).toEqual({ ce_id: 'evt-1', text: 'plain', repeated: 'second', utf8: 'grüße ✓' });
    expect(decodeHeaders(undefined)).toEqual({});
  });

  it('maps a fetched message to a plain record with a numeric timestamp and a string offset', () => {
    const record = toConsumedRecord('t', 3, {
      offset: '9007199254740993',
      key: null,
      value: Buffer.from('{}'),
      timestamp: '1714521600123',
      attributes: 0,
      headers: { a: Buffer.from('b') },
    });
    expect(record).toEqual({ topic: 't', partition: 3, offset: '9007199254740993', key: null, value: Buffer.from('{}'), headers: { a: 'b' }, timestamp: 1_714_521_600_123 });
  });

  it('builds kafkajs messages: null key by default, string headers only, optional partition and timestamp', () => {
    expect(toKafkaMessage({ value: 'v' })).toEqual({ key: null, value: 'v' });
    expect(toKafkaMessage({ key: 'k', value: null, headers: { h: 'x' }, partition: 2, timestamp: 5 })).toEqual({
      key: 'k',
      value: null,
      headers: { h: 'x' },
      partition: 2,
      timestamp: '5',
    });
    expect(() => toKafkaMessage({ value: 'v', headers: { n: 1 as unknown as string } })).toThrow(/header "n" must be a string/);
  });

  it('computes the next offset beyond 2^53 exactly', () => {
    expect(nextOffset('0')).toBe('1');
    expect(nextOffset('9007199254740992')).toBe('9007199254740993');
  });
});

describe('kafkajs log levels', () => {
  it('turns protocol error responses of the Connection into warnings and leaves other errors alone', async () => {
    const { levelOf } = await import('../src/client.js');
    expect(levelOf('Connection', 1, 'Response Heartbeat(key: 12, version: 3)')).toBe('warn');
    expect(levelOf('Consumer', 1, 'Crash: KafkaJSNonRetriableError')).toBe('error');
    expect(levelOf('Connection', 1, 'Connection error: ECONNREFUSED')).toBe('error');
    expect(levelOf('Runner', 4, 'x')).toBe('info');
  });
});
