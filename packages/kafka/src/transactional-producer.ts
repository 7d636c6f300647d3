/**
 * Transactional producer: a stream processor's outputs and its consumer offsets in one Kafka transaction, so either
 * both become visible or neither does. Consumers reading with isolation `read_committed` (kafkajs' default) never see
 * the records of an aborted or crashed transaction, and the group resumes from the offsets committed with the last
 * committed transaction: a crash at any point neither loses nor repeats an output.
 *
 * The transactional id names one writer (e.g. `<prefix>-scorer-source-<instance>`): a restarted process with the same
 * id fences its predecessor (its open transaction is aborted), which is what makes a SIGKILL safe. A fenced producer
 * can never write again; `FencedError` tells the caller to stop.
 */
import { CompressionTypes, type Kafka, type Producer as KafkajsProducer } from 'kafkajs';
import type { Logger } from 'pino';
import type { CommitEntry } from './consumer.js';
import { chunkRequests, type TopicRecords } from './producer.js';
import { createStablePartitioner } from './partitioner.js';
import { toKafkaMessage } from './records.js';

export interface TransactionalProducerOptions {
  logger: Logger;
  /** Stable across restarts of the same writer, unique among concurrent writers. */
  transactionalId: string;
  /** The broker aborts a transaction left open longer than this (a hung or killed writer). Default 60 000 ms. */
  transactionTimeoutMs?: number;
  /** Broker-side wait for the in-sync replicas, per request. Default 30 000 ms. */
  timeoutMs?: number;
  /** See `ProducerOptions.maxRequestBytes`. Default 900 000. */
  maxRequestBytes?: number;
}

export interface GroupOffsets {
  groupId: string;
  offsets: readonly CommitEntry[];
}

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

/** Another process took over this transactional id (or it is not authorised): this writer must stop. */
export class FencedError extends Error {
  constructor(transactionalId: string, cause: unknown) {
    super(`transactional producer ${transactionalId} was fenced by a newer instance or refused; it must stop`, { cause });
    this.name = 'FencedError';
  }
}

/** Does this error, or any error it wraps, carry one of these Kafka error types? */
function hasErrorType(error: unknown, types: ReadonlySet<string>): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { type, cause, originalError } = current as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && types.has(type)) return true;
    current = cause ?? originalError;
  }
  return false;
}

/**
 * Right after a commit the coordinator is still writing the transaction markers and answers the next transaction's
 * first request with CONCURRENT_TRANSACTIONS for a few milliseconds. kafkajs retries that for produce requests but
 * not for AddOffsetsToTxn, so the whole transaction is retried here.
 */
const BUSY = new Set(['CONCURRENT_TRANSACTIONS']);
const BUSY_RETRIES = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TransactionalProducer {
  readonly #options: TransactionalProducerOptions;
  readonly #logger: Logger;
  readonly #kafka: Pick<Kafka, 'producer'>;
  #producer: KafkajsProducer;
  /** Set when an abort failed (the broker went away mid-transaction): kafkajs then stays in state ABORTING. */
  #broken = false;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting: { batches: readonly TopicRecords[]; commit: GroupOffsets; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #connected = false;

  constructor(kafka: Pick<Kafka, 'producer'>, options: TransactionalProducerOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'kafka-transactional-producer', transactionalId: options.transactionalId });
    this.#kafka = kafka;
    this.#producer = this.#createProducer();
  }

  #createProducer(): KafkajsProducer {
    const options = this.#options;
    return this.#kafka.producer({
      createPartitioner: createStablePartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionTimeoutMs ?? 60_000,
      // Right after a commit the coordinator is still writing the markers and answers CONCURRENT_TRANSACTIONS for a
      // few milliseconds; kafkajs' default 300 ms first back-off would cost that on every transaction.
      // Unbounded retries (of retriable errors only), as kafkajs requires for exactly-once.
      retry: { initialRetryTime: 20, maxRetryTime: 1_000, retries: Number.MAX_SAFE_INTEGER },
    });
  }

  /** Connects and registers the transactional id, fencing any earlier writer with the same id. */
  async connect(): Promise<void> {
    await this.#register();
    this.#connected = true;
  }

  async #register(): Promise<void> {
    await this.#producer.connect();
    // kafkajs asks for the producer id only when the first transaction begins; until then a predecessor with the
    // same id is not fenced and could still commit. Beginning (and abandoning) an empty transaction fences it now,
    // and also completes or aborts whatever transaction it left open.
    const empty = await this.#producer.transaction();
    await empty.abort();
  }

  /**
   * kafkajs cannot leave state ABORTING once an abort failed, so every later transaction would fail. A new client
   * with the same transactional id registers again, which makes the broker abort the cut transaction; its records
   * stay invisible and its offsets uncommitted, so the batches are simply scored and sent again.
   */
  async #reset(): Promise<void> {
    this.#logger.warn('an abort failed; replacing the producer (the broker aborts the cut transaction)');
    await this.#producer.disconnect().catch(() => {});
    this.#producer = this.#createProducer();
    await this.#register();
    this.#broken = false;
  }

  /**
   * Sends the records and commits the offsets atomically. Transactions run one at a time; calls made while one is
   * running are committed together in the next (group commit), which is what lets several partitions' batches
   * share the fixed cost of a transaction. Each call's records keep their order. On failure the transaction is
   * aborted and every call in it rejects (with a `FencedError` when another writer took over).
   */
  publishAndCommit(batches: readonly TopicRecords[], commit: GroupOffsets): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ batches, commit, resolve, reject });
      if (this.#waiting.length === 1) this.#queue = this.#queue.then(() => this.#commitWaiting());
    });
  }

  /** Runs one transaction for every call waiting now. */
  async #commitWaiting(): Promise<void> {
    const calls = this.#waiting.splice(0);
    if (calls.length === 0) return;
    const offsets = new Map<string, CommitEntry[]>();
    for (const { commit } of calls) offsets.set(commit.groupId, [...(offsets.get(commit.groupId) ?? []), ...commit.offsets]);
    try {
      await this.#transaction(
        calls.flatMap((call) => call.batches),
        [...offsets].map(([groupId, entries]) => ({ groupId, offsets: entries })),
      );
      for (const call of calls) call.resolve();
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  }

  async #transaction(batches: readonly TopicRecords[], commits: readonly GroupOffsets[]): Promise<void> {
    if (!this.#connected) throw new Error('TransactionalProducer: connect() first');
    for (let attempt = 0; ; attempt++) {
      if (this.#broken) await this.#reset();
      try {
        await this.#attempt(batches, commits);
        return;
      } catch (error) {
        if (!hasErrorType(error, BUSY) || attempt >= BUSY_RETRIES) throw error;
        await sleep(Math.min(10 * 2 ** attempt, 250));
      }
    }
  }

  async #attempt(batches: readonly TopicRecords[], commits: readonly GroupOffsets[]): Promise<void> {
    const topicMessages = batches
      .filter(({ records }) => records.length > 0)
      .map(({ topic, records }) => ({ topic, messages: records.map(toKafkaMessage) }));
    const transaction = await this.#producer.transaction();
    try {
      for (const request of chunkRequests(topicMessages, this.#options.maxRequestBytes ?? 900_000)) {
        await transaction.sendBatch({
          topicMessages: request,
          acks: -1,
          timeout: this.#options.timeoutMs ?? 30_000,
          compression: CompressionTypes.None,
        });
      }
      for (const commit of commits) {
        if (commit.offsets.length === 0) continue;
        const byTopic = new Map<string, { partition: number; offset: string; metadata?: string }[]>();
        for (const { topic, partition, offset, metadata } of commit.offsets) {
          const partitions = byTopic.get(topic) ?? [];
          partitions.push(metadata === undefined ? { partition, offset } : { partition, offset, metadata });
          byTopic.set(topic, partitions);
        }
        await transaction.sendOffsets({
          consumerGroupId: commit.groupId,
          // kafkajs' typings omit `metadata`, but its TxnOffsetCommit encoder writes it.
          topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
        });
      }
      await transaction.commit();
    } catch (error) {
      if (hasErrorType(error, FENCED)) throw new FencedError(this.#options.transactionalId, error);
      if (!hasErrorType(error, BUSY)) this.#logger.warn({ err: error }, 'transaction failed; aborting it');
      await transaction.abort().catch((abortError: unknown) => {
        this.#broken = true;
        this.#logger.warn({ err: abortError }, 'abort failed; the producer is replaced before the next transaction');
      });
      throw error;
    }
  }

  /** Waits for the transaction in progress, then closes the connection. */
  async disconnect(): Promise<void> {
    await this.#queue;
    this.#connected = false;
    await this.#producer.disconnect();
  }
}
