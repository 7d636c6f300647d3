import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BatchConsumer, type BatchConsumerOptions, type ConsumedBatch, type TopicPartitions } from '../src/index.js';
import { EVENTS, fakeBatch, fakeKafka, message } from './fake-kafka.js';

const logger = pino({ level: 'silent' });
const flat = (a: TopicPartitions[]) => a.map((t) => `${t.topic}:${t.partitions.join(',')}`).join(' ');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(extra: Partial<BatchConsumerOptions> = {}) {
  const fatal: Error[] = [];
  const { kafka, consumer, admin } = fakeKafka();
  const batchConsumer = new BatchConsumer(kafka, { groupId: 'g', topics: 't', logger, onFatal: (e) => fatal.push(e), ...extra });
  return { batchConsumer, consumer, admin, fatal };
}

describe('BatchConsumer (with a fake kafkajs consumer)', () => {
  it('configures kafkajs for manual resolution and commits, and maps batches to plain records', async () => {
    const { batchConsumer, consumer } = setup({ sessionTimeout: 6_000, partitionsConsumedConcurrently: 3, maxBytesPerPartition: 65_536 });
    const batches: ConsumedBatch[] = [];
    await batchConsumer.start({ eachBatch: async (batch) => void batches.push(batch) });
    expect(consumer.calls).toEqual(['connect', 'subscribe', 'run']);
    expect(consumer.config).toMatchObject({ groupId: 'g', sessionTimeout: 6_000, heartbeatInterval: 2_000, maxBytesPerPartition: 65_536, allowAutoTopicCreation: false });
    expect(consumer.runConfig).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3 });
    expect(consumer.subscribed).toEqual({ topics: ['t'], fromBeginning: false });

    consumer.join({ t: [1, 0] });
    const resolved = await consumer.deliver(fakeBatch('t', 1, [message(7, 'a', { h: Buffer.from('v') }), message(8, 'b')], '12'));
    expect(resolved).toEqual(['8']);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ topic: 't', partition: 1, firstOffset: '7', lastOffset: '8', highWatermark: '12', offsetLag: '3' });
    expect(batches[0]?.records[0]).toEqual({ topic: 't', partition: 1, offset: '7', key: Buffer.from('k7'), value: Buffer.from('a'), headers: { h: 'v' }, timestamp: 1_007 });
    expect(batchConsumer.lag()).toEqual([expect.objectContaining({ topic: 't', partition: 1, offsetLag: '3', highWatermark: '12', lastOffset: '8' })]);
  });

  it('passes RegExp subscriptions through and reports the assignment', async () => {
    const { batchConsumer, consumer } = setup({ topics: [/^x\.signalling\.v1\..+$/, 'y'], fromBeginning: true });
    await batchConsumer.start({ eachBatch: async () => {} });
    expect(consumer.subscribed).toEqual({ topics: [/^x\.signalling\.v1\..+$/, 'y'], fromBeginning: true });
    consumer.join({ 'x.signalling.v1.234-15': [0], y: [], 'x.signalling.v1.208-01': [2, 1] });
    expect(flat(batchConsumer.assignment())).toBe('x.signalling.v1.208-01:1,2 x.signalling.v1.234-15:0');
  });

  it('revokes everything on a rebalance and holds batches until the async onAssigned has finished', async () => {
    const { batchConsumer, consumer } = setup();
    const log: string[] = [];
    let releaseAssign!: () => void;
    await batchConsumer.start({
      onAssigned: async (a) => {
        log.push(`assign ${flat(a)}`);
        await new Promise<void>((resolve) => {
          releaseAssign = resolve;
        });
        log.push('assign done');
      },
      onRevoked: (a) => void log.push(`revoke ${flat(a)}`),
      eachBatch: async (batch) => void log.push(`batch ${batch.partition}@${batch.firstOffset}`),
    });
    consumer.join({ t: [0, 1, 2, 3] });
    const delivery = consumer.deliver(fakeBatch('t', 0, [message(0, 'a')]));
    await tick();
    expect(log).toEqual(['assign t:0,1,2,3']);
    releaseAssign();
    await delivery;
    expect(log).toEqual(['assign t:0,1,2,3', 'assign done', 'batch 0@0']);

    // A second member joins: kafkajs reports the rebalance, then the new (smaller) assignment.
    consumer.emit(EVENTS.REBALANCING, { groupId: 'g', memberId: 'm' });
    consumer.join({ t: [0, 1] });
    await tick();
    releaseAssign();
    await tick();
    expect(log.slice(3)).toEqual(['revoke t:0,1,2,3', 'assign t:0,1', 'assign done']);

    // A batch of a partition no longer owned (fetched before the rebalance) is dropped and not resolved.
    expect(await consumer.deliver(fakeBatch('t', 3, [message(5, 'late')]))).toEqual([]);
    expect(log.at(-1)).toBe('assign done');

    // A re-join without a rebalance event (unknown member id, restart after a crash) still revokes first.
    consumer.join({ t: [2] });
    await tick();
    releaseAssign();
    await tick();
    expect(log.slice(6)).toEqual(['revoke t:0,1', 'assign t:2', 'assign done']);
  });

  it('heartbeats while a batch waits for a slow onAssigned', async () => {
    const { batchConsumer, consumer } = setup({ sessionTimeout: 300, heartbeatInterval: 20 });
    await batchConsumer.start({
      onAssigned: () => new Promise((resolve) => setTimeout(resolve, 150)),
      eachBatch: async () => {},
    });
    consumer.join({ t: [0] });
    let heartbeats = 0;
    const resolved = await consumer.deliver(fakeBatch('t', 0, [message(0, 'a')]), {
      heartbeat: async () => {
        heartbeats += 1;
      },
    });
    expect(resolved).toEqual(['0']);
    expect(heartbeats).toBeGreaterThanOrEqual(3);
  });

  it('treats a failing assignment hook as fatal', async () => {
    const { batchConsumer, consumer, fatal } = setup();
    await batchConsumer.start({
      onAssigned: async () => {
        throw new Error('cannot read horizon');
      },
      eachBatch: async () => {},
    });
    consumer.join({ t: [0] });
    await tick();
    await tick();
    expect(fatal.map((e) => e.message)).toEqual(['cannot read horizon']);
    expect(batchConsumer.status).toBe('failed');
  });

  it('calls onFatal when kafkajs crashes without restart, and not when it restarts', async () => {
    const crashes: boolean[] = [];
    const { batchConsumer, consumer, fatal } = setup({ onCrash: (info) => crashes.push(info.restart) });
    const revoked: string[] = [];
    await batchConsumer.start({ eachBatch: async () => {}, onRevoked: (a) => void revoked.push(flat(a)) });
    consumer.join({ t: [0] });
    consumer.emit(EVENTS.CRASH, { error: new Error('retriable'), groupId: 'g', restart: true });
    expect(fatal).toEqual([]);
    expect(batchConsumer.status).toBe('running');
    consumer.join({ t: [0] });
    const boom = new Error('group coordinator not found');
    consumer.emit(EVENTS.CRASH, { error: boom, groupId: 'g', restart: false });
    expect(fatal).toEqual([boom]);
    expect(crashes).toEqual([true, false]);
    expect(batchConsumer.status).toBe('failed');
    await tick();
    expect(revoked).toEqual(['t:0', 't:0']);
    await expect(batchConsumer.commit('t', 0, '1')).rejects.toThrow(/failed/);
  });

  it('commits exactly what it is told, with metadata, and validates before sending', async () => {
    const { batchConsumer, consumer } = setup();
    await expect(batchConsumer.commit('t', 0, '5')).rejects.toThrow(/created/);
    await batchConsumer.start({ eachBatch: async () => {} });
    await batchConsumer.commit('t', 0, '5', '{"v":1,"emittedUpTo":1714521600}');
    await batchConsumer.commitMany([
      { topic: 't', partition: 1, offset: '9' },
      { topic: 't', partition: 2, offset: '18446744073709551000', metadata: '' },
    ]);
    expect(consumer.commits).toEqual([
      { topic: 't', partition: 0, offset: '5', metadata: '{"v":1,"emittedUpTo":1714521600}' },
      { topic: 't', partition: 1, offset: '9', metadata: null },
      { topic: 't', partition: 2, offset: '18446744073709551000', metadata: '' },
    ]);
    await expect(batchConsumer.commit('t', 0, '-1')).rejects.toThrow(RangeError);
    await expect(batchConsumer.commit('t', 0, '6', 'é'.repeat(2049))).rejects.toThrow(/4096 bytes/);
  });

  it('reads committed offsets and metadata through one admin client, null for never committed', async () => {
    const { batchConsumer, admin } = setup();
    admin.offsets = [{ topic: 't', partitions: [{ partition: 1, offset: '-1', metadata: null }, { partition: 0, offset: '42', metadata: 'h' }] }];
    expect(await batchConsumer.fetchCommitted('t')).toEqual([
      { partition: 0, offset: '42', metadata: 'h' },
      { partition: 1, offset: null, metadata: null },
    ]);
    expect(admin.connected).toBe(true);
    await batchConsumer.disconnect();
    expect(admin.connected).toBe(false);
  });

  it('keeps pauses requested before run and re-applies them to kafkajs on every join; skips paused batches', async () => {
    const { batchConsumer, consumer } = setup();
    batchConsumer.pause('t', [1]);
    expect(batchConsumer.isPaused('t', 1)).toBe(true);
    const seen: number[] = [];
    await batchConsumer.start({ eachBatch: async (b) => void seen.push(b.partition) });
    consumer.join({ t: [0, 1] });
    expect(consumer.kafkajsPauses).toEqual(['resume t', 'pause t 1']);
    expect(await consumer.deliver(fakeBatch('t', 1, [message(0, 'x')]))).toEqual([]);
    expect(await consumer.deliver(fakeBatch('t', 0, [message(0, 'x')]))).toEqual(['0']);
    expect(seen).toEqual([0]);

    // Pause-all then one partition back: the mirror keeps "all but 0", whatever kafkajs' own semantics are.
    batchConsumer.pause('t');
    batchConsumer.resume('t', [0]);
    expect(consumer.kafkajsPauses.slice(-3)).toEqual(['resume t', 'pause t', 'resume t 0']);
    expect([0, 1, 2].map((p) => batchConsumer.isPaused('t', p))).toEqual([false, true, true]);
    batchConsumer.resume('t');
    expect([0, 1, 2].map((p) => batchConsumer.isPaused('t', p))).toEqual([false, false, false]);
  });

  it('resolves only what the handler resolved when it resolves manually', async () => {
    const { batchConsumer, consumer } = setup();
    await batchConsumer.start({
      eachBatch: async (batch, context) => {
        context.resolveOffset(batch.records[0]!.offset);
      },
    });
    consumer.join({ t: [0] });
    expect(await consumer.deliver(fakeBatch('t', 0, [message(3, 'a'), message(4, 'b'), message(5, 'c')]))).toEqual(['3']);
  });

  it('drain → final commit → stop → disconnect, in that order, waiting for the running batch', async () => {
    const { batchConsumer, consumer } = setup();
    const log: string[] = [];
    let finishBatch!: () => void;
    await batchConsumer.start({
      onRevoked: () => void log.push('revoked'),
      eachBatch: async (_batch, context) => {
        log.push('batch start');
        await new Promise<void>((resolve) => {
          finishBatch = resolve;
        });
        log.push(`batch end running=${context.isRunning()}`);
      },
    });
    consumer.join({ t: [0] });
    const running = consumer.deliver(fakeBatch('t', 0, [message(0, 'a')]));
    await tick();
    const drained = batchConsumer.drain().then(() => log.push('drained'));
    await tick();
    expect(batchConsumer.status).toBe('draining');
    expect(consumer.kafkajsPauses).toEqual(['pause t']);
    // Batches arriving while draining are turned away unresolved.
    expect(await consumer.deliver(fakeBatch('t', 0, [message(1, 'b')]))).toEqual([]);
    finishBatch();
    await running;
    await drained;
    await batchConsumer.commit('t', 0, '1', 'final');
    log.push('committed');
    await batchConsumer.stop();
    log.push('stopped');
    await batchConsumer.disconnect();
    expect(log).toEqual(['batch start', 'batch end running=false', 'drained', 'committed', 'revoked', 'stopped']);
    expect(consumer.calls).toEqual(['connect', 'subscribe', 'run', 'stop', 'stop', 'disconnect']);
    expect(batchConsumer.status).toBe('stopped');
    await expect(batchConsumer.commit('t', 0, '2')).rejects.toThrow(/stopped/);
  });
});
