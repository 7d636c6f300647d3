/** Minimal stand-ins for kafkajs' consumer and admin, enough to drive BatchConsumer's logic without a broker. */
import type { Batch, ConsumerRunConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { ConsumerFactory } from '../src/consumer.js';

export const EVENTS = {
  HEARTBEAT: 'consumer.heartbeat',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  GROUP_JOIN: 'consumer.group_join',
  FETCH_START: 'consumer.fetch_start',
  FETCH: 'consumer.fetch',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  REBALANCING: 'consumer.rebalancing',
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
  REQUEST: 'consumer.network.request',
  REQUEST_TIMEOUT: 'consumer.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'consumer.network.request_queue_size',
} as const;

type Listener = (event: { id: string; type: string; timestamp: number; payload: unknown }) => void;

export class FakeConsumer {
  readonly events = EVENTS;
  readonly calls: string[] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  readonly commits: unknown[] = [];
  readonly kafkajsPauses: string[] = [];
  config: unknown;
  runConfig: ConsumerRunConfig | undefined;
  running = false;
  subscribed: unknown;

  on(name: string, listener: Listener) {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener);
    this.listeners.set(name, set);
    return () => set.delete(listener);
  }

  emit(name: string, payload: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener({ id: '1', type: name, timestamp: Date.now(), payload });
  }

  async connect() {
    this.calls.push('connect');
  }
  async subscribe(subscription: unknown) {
    this.calls.push('subscribe');
    this.subscribed = subscription;
  }
  async run(config: ConsumerRunConfig) {
    this.calls.push('run');
    this.runConfig = config;
    this.running = true;
  }
  async stop() {
    this.calls.push('stop');
    if (this.running) {
      this.running = false;
      this.emit(EVENTS.STOP, null);
    }
  }
  async disconnect() {
    await this.stop();
    this.calls.push('disconnect');
    this.emit(EVENTS.DISCONNECT, null);
  }
  async commitOffsets(offsets: unknown[]) {
    this.commits.push(...offsets);
  }
  pause(topics: { topic: string; partitions?: number[] }[]) {
    if (!this.running) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    for (const t of topics) this.kafkajsPauses.push(`pause ${t.topic}${t.partitions ? ` ${t.partitions.join(',')}` : ''}`);
  }
  resume(topics: { topic: string; partitions?: number[] }[]) {
    if (!this.running) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    for (const t of topics) this.kafkajsPauses.push(`resume ${t.topic}${t.partitions ? ` ${t.partitions.join(',')}` : ''}`);
  }

  join(assignment: Record<string, number[]>): void {
    this.emit(EVENTS.GROUP_JOIN, { memberAssignment: assignment, groupId: 'g', memberId: 'm', leaderId: 'm', isLeader: true, duration: 1, groupProtocol: 'RoundRobinAssigner' });
  }

  /** Hands a batch to the registered eachBatch like kafkajs' runner does; returns what was resolved. */
  async deliver(batch: Batch, options: { heartbeat?: () => Promise<void> } = {}): Promise<string[]> {
    const resolved: string[] = [];
    const payload: EachBatchPayload = {
      batch,
      resolveOffset: (offset) => void resolved.push(offset),
      heartbeat: options.heartbeat ?? (async () => {}),
      pause: () => () => {},
      commitOffsetsIfNecessary: async () => {},
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => this.running,
      isStale: () => false,
    };
    await this.runConfig?.eachBatch?.(payload);
    return resolved;
  }
}

export class FakeAdmin {
  offsets: { topic: string; partitions: { partition: number; offset: string; metadata: string | null }[] }[] = [];
  connected = false;
  async connect() {
    this.connected = true;
  }
  async disconnect() {
    this.connected = false;
  }
  async fetchOffsets() {
    return this.offsets;
  }
}

export function fakeKafka(consumer = new FakeConsumer(), admin = new FakeAdmin()) {
  const kafka = {
    consumer: (config: unknown) => {
      consumer.config = config;
      return consumer;
    },
    admin: () => admin,
  } as unknown as ConsumerFactory;
  return { kafka, consumer, admin };
}

export function message(offset: number, value: string, headers: KafkaMessage['headers'] = {}): KafkaMessage {
  return { offset: String(offset), key: Buffer.from(`k${offset}`), value: Buffer.from(value), timestamp: String(1_000 + offset), attributes: 0, headers };
}

export function fakeBatch(topic: string, partition: number, messages: KafkaMessage[], highWatermark = '100'): Batch {
  const last = messages.at(-1)?.offset ?? '0';
  return {
    topic,
    partition,
    highWatermark,
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => last,
    offsetLag: () => String(BigInt(highWatermark) - 1n - BigInt(last)),
    offsetLagLow: () => '0',
  };
}
