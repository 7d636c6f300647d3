import type { Message, ProducerBatch } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { chunkRequests, isIdempotenceRefused, Producer, type ProducerFactory } from '../src/producer.js';

const logger = pino({ level: 'silent' });

class FakeProducer {
  connected = false;
  batches: ProducerBatch[] = [];
  constructor(
    readonly config: { idempotent?: boolean; maxInFlightRequests?: number },
    private readonly failWith?: Error,
  ) {}
  async connect() {
    this.connected = true;
  }
  async disconnect() {
    this.connected = false;
  }
  async sendBatch(batch: ProducerBatch) {
    if (this.failWith) throw this.failWith;
    this.batches.push(batch);
    return (batch.topicMessages ?? []).map((t) => ({ topicName: t.topic, partition: 0, errorCode: 0, baseOffset: String(t.messages.length) }));
  }
}

function refusal(): Error {
  // The shape kafkajs gives: a retries-exceeded wrapper around the broker's protocol error.
  const cause = Object.assign(new Error('Cluster authorization failed'), { type: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false });
  return Object.assign(new Error('Cluster authorization failed'), { name: 'KafkaJSNonRetriableError', cause });
}

describe('Producer', () => {
  it('splits requests by size, keeping topic grouping and order, a single oversized record alone', () => {
    const m = (n: number): Message => ({ value: 'x'.repeat(n) });
    const requests = chunkRequests(
      [
        { topic: 'a', messages: [m(30), m(30), m(30)] },
        { topic: 'b', messages: [m(500), m(10)] },
      ],
      220,
    );
    expect(requests.map((r) => r.map((t) => `${t.topic}:${t.messages.map((x) => String(x.value).length).join('+')}`))).toEqual([
      ['a:30+30'],
      ['a:30'],
      ['b:500'],
      ['b:10'],
    ]);
  });

  it('recognises a broker refusing idempotence anywhere in the cause chain', () => {
    expect(isIdempotenceRefused(refusal())).toBe(true);
    expect(isIdempotenceRefused(Object.assign(new Error('x'), { type: 'UNSUPPORTED_VERSION' }))).toBe(true);
    expect(isIdempotenceRefused(Object.assign(new Error('x'), { type: 'NOT_LEADER_FOR_PARTITION' }))).toBe(false);
    expect(isIdempotenceRefused('nope')).toBe(false);
  });

  it('sends keyed records with headers, acks=-1, idempotent with one request in flight', async () => {
    const made: FakeProducer[] = [];
    const kafka = { producer: (config: FakeProducer['config']) => made[made.push(new FakeProducer(config)) - 1] } as unknown as ProducerFactory;
    const producer = new Producer(kafka, { logger, compression: 'gzip' });
    await producer.connect();
    const sent = await producer.sendBatch([
      { topic: 'a', records: [{ key: 'k', value: 'v', headers: { h: '1' } }] },
      { topic: 'b', records: [] },
    ]);
    expect(sent).toEqual([{ topic: 'a', partition: 0, baseOffset: '1' }]);
    expect(made[0]?.config).toMatchObject({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    expect(made[0]?.batches[0]).toMatchObject({ acks: -1, compression: 1, topicMessages: [{ topic: 'a', messages: [{ key: 'k', value: 'v', headers: { h: '1' } }] }] });
    expect(producer.idempotent).toBe(true);
    await producer.disconnect();
  });

  it("falls back to a plain producer when the broker refuses idempotence ('auto'), and resends", async () => {
    const made: FakeProducer[] = [];
    const kafka = {
      producer: (config: FakeProducer['config']) => made[made.push(new FakeProducer(config, config.idempotent ? refusal() : undefined)) - 1],
    } as unknown as ProducerFactory;
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    await producer.send('t', [{ value: 'v' }]);
    expect(producer.idempotent).toBe(false);
    expect(made.map((p) => p.config.idempotent)).toEqual([true, false]);
    expect(made[0]?.connected).toBe(false);
    expect(made[1]?.batches).toHaveLength(1);
  });

  it('does not fall back when idempotence is required, and propagates other errors', async () => {
    const kafka = { producer: (config: FakeProducer['config']) => new FakeProducer(config, refusal()) } as unknown as ProducerFactory;
    const strict = new Producer(kafka, { logger, idempotent: true });
    await strict.connect();
    await expect(strict.send('t', [{ value: 'v' }])).rejects.toThrow(/authorization/);
    const other = { producer: (config: FakeProducer['config']) => new FakeProducer(config, new Error('broker down')) } as unknown as ProducerFactory;
    const auto = new Producer(other, { logger });
    await auto.connect();
    await expect(auto.send('t', [{ value: 'v' }])).rejects.toThrow(/broker down/);
    // The queue survives a failed send.
    await expect(auto.send('t', [{ value: 'v' }])).rejects.toThrow(/broker down/);
  });

  it('refuses to send before connect', async () => {
    const kafka = { producer: (config: FakeProducer['config']) => new FakeProducer(config) } as unknown as ProducerFactory;
    await expect(new Producer(kafka, { logger }).send('t', [{ value: 'v' }])).rejects.toThrow(/connect/);
  });
});
