/**
 * Producer: keyed records with string headers, acks from all in-sync replicas, idempotent where the broker allows.
 *
 * kafkajs' idempotent mode (`idempotent: true`, `maxInFlightRequests: 1`, retries unbounded) asks the broker for a
 * producer id on the first send (InitProducerId). A broker that refuses it (no IdempotentWrite/ClusterAction
 * permission, or too old) makes that send fail; with `idempotent: 'auto'` (the default) this class then logs a
 * warning, replaces the client with a plain acks=-1 producer and sends again, so duplicates on retry become possible
 * but nothing is lost. Sends are serialised (one request at a time), which is what `maxInFlightRequests: 1` does
 * anyway and keeps kafkajs' sequence numbers consistent when callers send concurrently.
 */
import { CompressionTypes, type Kafka, type Message, type Producer as KafkajsProducer, type ProducerConfig, type RecordMetadata } from 'kafkajs';
import type { Logger } from 'pino';
import { createStablePartitioner } from './partitioner.js';
import { type OutgoingRecord, toKafkaMessage } from './records.js';

export interface ProducerOptions {
  logger: Logger;
  /** true: always idempotent (fail if refused); false: never; 'auto' (default): idempotent, plain if refused. */
  idempotent?: boolean | 'auto';
  /** Default 'none'. Only gzip is built into kafkajs (Snappy/LZ4/ZSTD would need codec plugins). */
  compression?: 'none' | 'gzip';
  /** Broker-side wait for the in-sync replicas, per request. Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Records per produce request are grouped up to about this many bytes of keys+values+headers (default 900 000),
   * so a partition's record batch stays under the broker's default `message.max.bytes` (1 MiB).
   */
  maxRequestBytes?: number;
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
}

export interface TopicRecords {
  topic: string;
  records: readonly OutgoingRecord[];
}

export interface SentRecords {
  topic: string;
  partition: number;
  /** Offset of the first record this request appended to the partition. */
  baseOffset: string;
}

/** The subset of a kafkajs client this class needs, so unit tests can pass fakes. */
export type ProducerFactory = Pick<Kafka, 'producer'>;

/** Error types with which a broker refuses the idempotent producer (InitProducerId / idempotent produce). */
const IDEMPOTENCE_REFUSED = new Set([
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
]);

/** Does this error, or any error it wraps, say that the broker refuses idempotence? */
export function isIdempotenceRefused(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { type, name, cause, originalError } = current as {
      type?: unknown;
      name?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof type === 'string' && IDEMPOTENCE_REFUSED.has(type)) return true;
    if (name === 'KafkaJSNotImplemented') return true;
    current = cause ?? originalError;
  }
  return false;
}

function recordBytes(message: Message): number {
  let bytes = 70; // record overhead, roughly
  const add = (v: Buffer | string | null | undefined) => {
    if (v == null) return;
    bytes += typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  };
  add(message.key);
  add(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string' || Buffer.isBuffer(value)) add(value);
  }
  return bytes;
}

/** Splits topic → messages into requests of at most `maxBytes` (a single larger record goes alone). */
export function chunkRequests(
  batches: readonly { topic: string; messages: Message[] }[],
  maxBytes: number,
): { topic: string; messages: Message[] }[][] {
  const requests: { topic: string; messages: Message[] }[][] = [];
  let current: { topic: string; messages: Message[] }[] = [];
  let size = 0;
  for (const { topic, messages } of batches) {
    let group: { topic: string; messages: Message[] } | undefined;
    for (const message of messages) {
      const bytes = recordBytes(message);
      if (size > 0 && size + bytes > maxBytes) {
        requests.push(current);
        current = [];
        size = 0;
        group = undefined;
      }
      if (!group) {
        group = { topic, messages: [] };
        current.push(group);
      }
      group.messages.push(message);
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export class Producer {
  readonly #kafka: ProducerFactory;
  readonly #options: ProducerOptions;
  readonly #logger: Logger;
  #producer: KafkajsProducer;
  #idempotent: boolean;
  #connected = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(kafka: ProducerFactory, options: ProducerOptions) {
    this.#kafka = kafka;
    this.#options = options;
    this.#logger = options.logger.child({ component: 'kafka-producer' });
    this.#idempotent = options.idempotent !== false;
    this.#producer = this.#create(this.#idempotent);
  }

  /** Whether records are currently sent with the idempotent producer (false after an 'auto' fallback). */
  get idempotent(): boolean {
    return this.#idempotent;
  }

  #create(idempotent: boolean): KafkajsProducer {
    const config: ProducerConfig = {
      // murmur2 on the key, as the Java client, and the same partition again when kafkajs retries.
      createPartitioner: createStablePartitioner,
      allowAutoTopicCreation: false,
      idempotent,
      maxInFlightRequests: 1,
    };
    if (this.#options.retry) {
      config.retry = { ...this.#options.retry };
      // kafkajs refuses an idempotent producer with fewer than one retry.
      if (idempotent && (config.retry.retries ?? 1) < 1) config.retry.retries = 1;
    }
    return this.#kafka.producer(config);
  }

  async connect(): Promise<void> {
    await this.#producer.connect();
    this.#connected = true;
  }

  /** Sends records to one topic; resolves when all in-sync replicas have them. */
  async send(topic: string, records: readonly OutgoingRecord[]): Promise<SentRecords[]> {
    return this.sendBatch([{ topic, records }]);
  }

  /** Sends records to several topics in as few requests as the size limit allows. */
  sendBatch(batches: readonly TopicRecords[]): Promise<SentRecords[]> {
    const topicMessages = batches
      .filter(({ records }) => records.length > 0)
      .map(({ topic, records }) => ({ topic, messages: records.map(toKafkaMessage) }));
    if (topicMessages.length === 0) return Promise.resolve([]);
    const requests = chunkRequests(topicMessages, this.#options.maxRequestBytes ?? 900_000);
    const run = this.#queue.then(async () => {
      const sent: SentRecords[] = [];
      for (const request of requests) sent.push(...(await this.#sendRequest(request)));
      return sent;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sendRequest(topicMessages: { topic: string; messages: Message[] }[]): Promise<SentRecords[]> {
    if (!this.#connected) throw new Error('Producer.send: connect() first');
    const request = {
      topicMessages,
      acks: -1,
      timeout: this.#options.timeoutMs ?? 30_000,
      compression: this.#options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
    };
    let metadata: RecordMetadata[];
    try {
      metadata = await this.#producer.sendBatch(request);
    } catch (error) {
      if (!(this.#idempotent && this.#options.idempotent !== true && isIdempotenceRefused(error))) throw error;
      this.#logger.warn({ err: error }, 'broker refused the idempotent producer; falling back to acks=-1 without idempotence');
      await this.#producer.disconnect().catch(() => {});
      this.#idempotent = false;
      this.#producer = this.#create(false);
      await this.#producer.connect();
      metadata = await this.#producer.sendBatch(request);
    }
    return metadata.map((m) => ({ topic: m.topicName, partition: m.partition, baseOffset: m.baseOffset ?? m.offset ?? '-1' }));
  }

  /** Waits for sends already queued, then closes the connection. */
  async disconnect(): Promise<void> {
    await this.#queue;
    this.#connected = false;
    await this.#producer.disconnect();
  }
}
