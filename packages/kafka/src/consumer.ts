/**
 * BatchConsumer: the one way services consume Kafka. kafkajs' `eachBatch` with automatic resolution and automatic
 * commits both off, because the services commit a per-partition low-water mark (the first offset an open window
 * still needs), not "what was processed" — see shared/reference/streaming.md §7.
 *
 * Two offsets per partition, deliberately separate:
 * - the fetch position (kafkajs "resolved offset"): where the next fetch starts. When a handler returns, the whole
 *   batch counts as processed, unless the handler resolved offsets itself with `context.resolveOffset` (then
 *   records after the last resolved one are fetched again), e.g. when it stopped early.
 * - the committed offset: what a new owner of the partition starts from, with a `metadata` string (e.g. the emitted
 *   window horizon). Only `commit()` moves it.
 *
 * Rebalancing (kafkajs 2.2.4 is eager only, no cooperative protocol, no static membership): every rebalance takes
 * every partition away from every member, and after re-joining kafkajs fetches each assigned partition again from
 * its *committed* offset, even a partition the member keeps. So `onRevoked` always receives the whole previous
 * assignment and `onAssigned` the whole new one; per-partition state must be dropped on revoke and rebuilt by replay
 * after assign. `onRevoked` runs as soon as kafkajs reports the rebalance (`consumer.rebalancing`), else when the
 * next `consumer.group_join` arrives, and on stop/crash; no batch handler is running at that point, and no batch is
 * delivered until `onAssigned` has settled (so `onAssigned` can read the committed horizon with `fetchCommitted`).
 *
 * Shutdown order (see `stop`): `drain()` → the service flushes its outputs and makes its last `commit()` →
 * `stop()` (leaves the group, so the partitions move at once instead of after `sessionTimeout`) →
 * `disconnect()`. kafkajs drops commits made once its `stop()` has begun, silently; `commit()` here throws instead.
 */
import type { Admin, Batch, Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type ConsumerLifecycleCallbacks, exitOnFatal, type FatalHandler, watchConsumer } from './crash.js';
import { PauseState } from './pause-state.js';
import { type ConsumedRecord, toConsumedRecord } from './records.js';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: readonly ConsumedRecord[];
  firstOffset: string | null;
  lastOffset: string;
  /** The partition's high watermark when the batch was fetched (offset of the next record to be written). */
  highWatermark: string;
  /** Records after this batch that are already in the partition: the consumer lag once this batch is done. */
  offsetLag: string;
}

export interface BatchContext {
  /**
   * Keeps the group membership alive during a long batch. Cheap to call often (kafkajs sends at most one heartbeat
   * per `heartbeatInterval`). Throws when the group is rebalancing: let that error propagate, the batch is then
   * abandoned and its records are fetched again by whoever owns the partition next.
   */
  heartbeat(): Promise<void>;
  /** Marks records up to and including `offset` as processed (the fetch position; it commits nothing). */
  resolveOffset(offset: string): void;
  /** False once `drain()`/`stop()` began, or the partition was paused: finish early and resolve what was done. */
  isRunning(): boolean;
}

export type BatchHandler = (batch: ConsumedBatch, context: BatchContext) => Promise<void>;

export interface BatchConsumerHandlers {
  eachBatch: BatchHandler;
  /** The partitions this member owns from now on (the whole assignment, see the module comment). */
  onAssigned?: (assignment: TopicPartitions[]) => void | Promise<void>;
  /** The partitions this member no longer owns (always the whole previous assignment). */
  onRevoked?: (assignment: TopicPartitions[]) => void | Promise<void>;
}

export interface CommittedOffset {
  partition: number;
  /** The next offset to consume, or null when the group never committed on this partition. */
  offset: string | null;
  metadata: string | null;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  offsetLag: string;
  highWatermark: string;
  lastOffset: string;
  /** Epoch ms of the batch this was read from. */
  at: number;
}

export interface CommitEntry {
  topic: string;
  partition: number;
  /** The next offset a new owner should read: one past the last record no longer needed. */
  offset: string;
  /** Stored with the offset (e.g. the emitted-window horizon); at most `offset.metadata.max.bytes` (4096). */
  metadata?: string;
}

export interface BatchConsumerOptions extends ConsumerLifecycleCallbacks {
  groupId: string;
  /** Topic names and/or RegExps. kafkajs matches a RegExp once, when the consumer starts (see `start`). */
  topics: string | RegExp | readonly (string | RegExp)[];
  fromBeginning?: boolean;
  logger: Logger;
  /**
   * Default 10 000 ms: how long the partitions of a member that died without leaving (SIGKILL, power loss) stay
   * unassigned. Heartbeats go out every `heartbeatInterval` while batches run, so only a stalled process hits it.
   */
  sessionTimeout?: number;
  /** Default 60 000 ms: how long members have to re-join during a rebalance. */
  rebalanceTimeout?: number;
  /** Default min(3 000, sessionTimeout / 3). */
  heartbeatInterval?: number;
  /** Default 1: how many partitions' batches run at the same time (order within a partition is kept). */
  partitionsConsumedConcurrently?: number;
  /** Default 1 MiB. */
  maxBytesPerPartition?: number;
  /** Default 10 MiB. */
  maxBytes?: number;
  /** Default 5 000 ms: how long the broker holds a fetch open when there is no data. */
  maxWaitTimeInMs?: number;
  /** kafkajs retry settings for the consumer (fetch loop, commits, joins). */
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
}

export type BatchConsumerStatus = 'created' | 'running' | 'draining' | 'stopped' | 'failed';

/** The subset of a kafkajs client this class needs, so unit tests can pass fakes. */
export type ConsumerFactory = Pick<Kafka, 'consumer' | 'admin'>;

const OFFSET_METADATA_MAX_BYTES = 4096;

function normalizeAssignment(memberAssignment: Record<string, number[]>): TopicPartitions[] {
  return Object.entries(memberAssignment)
    .filter(([, partitions]) => partitions.length > 0)
    .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

function toConsumedBatch(batch: Batch): ConsumedBatch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    records: batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message)),
    firstOffset: batch.firstOffset(),
    lastOffset: batch.lastOffset(),
    highWatermark: batch.highWatermark,
    offsetLag: batch.offsetLag(),
  };
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class BatchConsumer {
  readonly groupId: string;
  readonly #kafka: ConsumerFactory;
  readonly #options: BatchConsumerOptions;
  readonly #logger: Logger;
  readonly #consumer: Consumer;
  readonly #onFatal: FatalHandler;
  readonly #pauses = new PauseState();
  readonly #lag = new Map<string, PartitionLag>();
  readonly #inFlight = new Set<Promise<void>>();
  #admin: Admin | undefined;
  #adminConnecting: Promise<Admin> | undefined;
  #handlers: BatchConsumerHandlers | undefined;
  #assignment: TopicPartitions[] = [];
  #assigned = new Set<string>();
  /** Tail of the assignment/revocation hook chain; batches wait for it. */
  #lifecycle: Promise<void> = Promise.resolve();
  #pendingSteps = 0;
  readonly #heartbeatInterval: number;
  #status: BatchConsumerStatus = 'created';
  #unwatch: (() => void) | undefined;
  #removers: (() => void)[] = [];

  constructor(kafka: ConsumerFactory, options: BatchConsumerOptions) {
    this.#kafka = kafka;
    this.#options = options;
    this.groupId = options.groupId;
    this.#logger = options.logger.child({ component: 'kafka-consumer', groupId: options.groupId });
    const sessionTimeout = options.sessionTimeout ?? 10_000;
    this.#heartbeatInterval = options.heartbeatInterval ?? Math.min(3_000, Math.floor(sessionTimeout / 3));
    const config: ConsumerConfig = {
      groupId: options.groupId,
      sessionTimeout,
      rebalanceTimeout: options.rebalanceTimeout ?? 60_000,
      heartbeatInterval: this.#heartbeatInterval,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      maxBytes: options.maxBytes ?? 10_485_760,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 5_000,
      // Topics are created by `ensureTopics`; a typo must not create a topic with broker defaults.
      allowAutoTopicCreation: false,
    };
    if (options.retry) config.retry = { ...options.retry };
    this.#consumer = kafka.consumer(config);
    const fatal = options.onFatal ?? exitOnFatal(this.#logger);
    this.#onFatal = (error) => {
      this.#status = 'failed';
      fatal(error);
    };
  }

  get status(): BatchConsumerStatus {
    return this.#status;
  }

  /** The partitions this member owns now (empty during a rebalance). */
  assignment(): TopicPartitions[] {
    return this.#assignment.map(({ topic, partitions }) => ({ topic, partitions: [...partitions] }));
  }

  /**
   * Connects, subscribes and starts consuming; resolves once the member joined the group (its first assignment's
   * `onAssigned` may still be running). RegExp subscriptions match the topics that exist now: kafkajs does not
   * re-evaluate them, so topics created later are consumed only after a restart of the consumer.
   */
  async start(handlers: BatchConsumerHandlers): Promise<void> {
    if (this.#status !== 'created') throw new Error(`BatchConsumer.start: consumer is ${this.#status}`);
    this.#handlers = handlers;
    this.#status = 'running';
    this.#unwatch = watchConsumer(this.#consumer, this.#logger, {
      onFatal: this.#onFatal,
      onCrash: (info) => {
        this.#revokeAll('crash');
        this.#options.onCrash?.(info);
      },
      onDisconnect: () => this.#options.onDisconnect?.(),
      onStop: () => {
        this.#revokeAll('stop');
        this.#options.onStop?.();
      },
    });
    const consumer = this.#consumer;
    this.#removers.push(
      consumer.on(consumer.events.REBALANCING, () => this.#revokeAll('rebalance')),
      consumer.on(consumer.events.GROUP_JOIN, (event) => this.#joined(event.payload.memberAssignment)),
    );
    const topics = typeof this.#options.topics === 'string' || this.#options.topics instanceof RegExp
      ? [this.#options.topics]
      : [...this.#options.topics];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: this.#options.fromBeginning ?? false });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.#eachBatch(payload),
      });
    } catch (error) {
      this.#status = 'stopped';
      this.#cleanupListeners();
      await consumer.disconnect().catch(() => {});
      throw error;
    }
  }

  /** Commits one partition's next offset (and metadata). See `commitMany`. */
  async commit(topic: string, partition: number, nextOffset: string, metadata?: string): Promise<void> {
    const entry: CommitEntry = { topic, partition, offset: nextOffset };
    if (metadata !== undefined) entry.metadata = metadata;
    await this.commitMany([entry]);
  }

  /**
   * Commits offsets (+ metadata) in one request. Fails for partitions this member does not own any more (the
   * broker answers with a rebalance or generation error): after `onRevoked`, drop pending commits of those
   * partitions. Throws once `stop()` began, where kafkajs would silently drop the commit.
   */
  async commitMany(entries: readonly CommitEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.#status !== 'running' && this.#status !== 'draining') {
      throw new Error(`BatchConsumer.commit: consumer is ${this.#status}; commit before stop()`);
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry.offset)) throw new RangeError(`commit offset must be a non-negative integer string: ${entry.offset}`);
      if (entry.metadata !== undefined && Buffer.byteLength(entry.metadata) > OFFSET_METADATA_MAX_BYTES) {
        throw new RangeError(`commit metadata is longer than ${OFFSET_METADATA_MAX_BYTES} bytes`);
      }
    }
    await this.#consumer.commitOffsets(
      entries.map(({ topic, partition, offset, metadata }) => ({ topic, partition, offset, metadata: metadata ?? null })),
    );
  }

  /**
   * Fetches `partition` from `offset` next (e.g. from `onAssigned`, to replay history that rebuilds state). Batches
   * fetched before the seek are dropped, never delivered.
   */
  seek(topic: string, partition: number, offset: string): void {
    this.#consumer.seek({ topic, partition, offset });
  }

  /** The group's committed offsets and metadata for every partition of `topic` (what a new owner resumes from). */
  async fetchCommitted(topic: string): Promise<CommittedOffset[]> {
    const admin = await this.#adminClient();
    const [result] = await admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
    return (result?.partitions ?? [])
      .map(({ partition, offset, metadata }) => ({
        partition,
        offset: offset === '-1' || offset === '' ? null : offset,
        metadata: metadata ?? null,
      }))
      .sort((a, b) => a.partition - b.partition);
  }

  /**
   * Stops fetching `topic` (all its partitions, including ones assigned later) or only `partitions`. Once this
   * returns no new batch of a paused partition reaches the handler; a batch already running finishes (its
   * `context.isRunning()` turns false). Pauses survive rebalances and kafkajs' crash restarts.
   */
  pause(topic: string, partitions?: readonly number[]): void {
    this.#pauses.pause(topic, partitions);
    this.#applyPauses([topic]);
  }

  resume(topic: string, partitions?: readonly number[]): void {
    this.#pauses.resume(topic, partitions);
    this.#applyPauses([topic]);
  }

  isPaused(topic: string, partition: number): boolean {
    return this.#pauses.isPaused(topic, partition);
  }

  /** Per-partition lag as of each partition's latest batch, for metrics. */
  lag(): PartitionLag[] {
    return [...this.#lag.values()].map((entry) => ({ ...entry }));
  }

  /**
   * Stops handing out batches and waits for the running ones (at most `timeoutMs`). The group membership and
   * `commit()` still work, so the service can flush its outputs and commit before `stop()`.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.#status === 'running') this.#status = 'draining';
    // Pause fetching for everything assigned, so kafkajs does not re-fetch the batches we now turn away.
    for (const { topic } of this.#assignment) this.#kafkajsCall('pause', [{ topic }]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#logger.warn({ inFlight: this.#inFlight.size }, 'drain timed out with batches still running');
        resolve();
      }, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]).then(() => undefined), timeout]);
    clearTimeout(timer);
  }

  /**
   * Drains, then stops the kafkajs consumer: stops fetching, waits for its loop, leaves the group (the partitions
   * are reassigned at once). `onRevoked` runs. The connection stays open until `disconnect()`.
   */
  async stop(): Promise<void> {
    if (this.#status === 'created' || this.#status === 'stopped') {
      this.#status = 'stopped';
      return;
    }
    await this.drain();
    this.#status = 'stopped';
    await this.#consumer.stop();
    this.#revokeAll('stop');
    await this.#lifecycle;
  }

  /** `stop()`, then closes the consumer's and the admin client's connections. Safe to call more than once. */
  async disconnect(): Promise<void> {
    await this.stop();
    await this.#consumer.disconnect();
    this.#cleanupListeners();
    const admin = this.#admin ?? (await this.#adminConnecting?.catch(() => undefined));
    this.#admin = undefined;
    this.#adminConnecting = undefined;
    await admin?.disconnect();
  }

  #cleanupListeners(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
    for (const remove of this.#removers) remove();
    this.#removers = [];
  }

  async #adminClient(): Promise<Admin> {
    if (this.#admin) return this.#admin;
    this.#adminConnecting ??= (async () => {
      const admin = this.#kafka.admin();
      await admin.connect();
      this.#admin = admin;
      return admin;
    })();
    try {
      return await this.#adminConnecting;
    } catch (error) {
      this.#adminConnecting = undefined;
      throw error;
    }
  }

  #kafkajsCall(method: 'pause' | 'resume', topics: { topic: string; partitions?: number[] }[]): boolean {
    try {
      this.#consumer[method](topics);
      return true;
    } catch {
      // kafkajs has no consumer group before run() and while restarting after a crash; the mirror is applied
      // again on the next group join.
      return false;
    }
  }

  #applyPauses(topics: readonly string[]): void {
    for (const topic of topics) {
      const calls = this.#pauses.callsFor(topic);
      if (!this.#kafkajsCall('resume', [{ topic }])) return;
      if (calls.pauseAll) {
        this.#kafkajsCall('pause', [{ topic }]);
        if (calls.partitions.length > 0) this.#kafkajsCall('resume', [{ topic, partitions: calls.partitions }]);
      } else if (calls.partitions.length > 0) {
        this.#kafkajsCall('pause', [{ topic, partitions: calls.partitions }]);
      }
    }
  }

  #enqueue(step: () => Promise<void>): void {
    this.#pendingSteps += 1;
    this.#lifecycle = this.#lifecycle
      .then(step)
      .catch((error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        this.#logger.error({ err }, 'partition assignment hook failed');
        this.#onFatal(err);
      })
      .finally(() => {
        this.#pendingSteps -= 1;
      });
  }

  /** Waits for pending assignment hooks, heartbeating meanwhile so a slow `onAssigned` does not cost the membership. */
  async #awaitLifecycle(payload: EachBatchPayload): Promise<void> {
    while (this.#pendingSteps > 0) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#heartbeatInterval);
      });
      await Promise.race([this.#lifecycle, tick]);
      clearTimeout(timer);
      if (this.#pendingSteps > 0) await payload.heartbeat();
    }
  }

  #revokeAll(reason: string): void {
    if (this.#assignment.length === 0) return;
    const revoked = this.#assignment;
    this.#assignment = [];
    this.#assigned = new Set();
    for (const { topic, partitions } of revoked) for (const p of partitions) this.#lag.delete(key(topic, p));
    this.#logger.info({ reason, revoked }, 'partitions revoked');
    const onRevoked = this.#handlers?.onRevoked;
    this.#enqueue(async () => {
      await Promise.allSettled([...this.#inFlight]);
      await onRevoked?.(revoked);
    });
  }

  #joined(memberAssignment: Record<string, number[]>): void {
    // Re-joining without a preceding rebalance event (unknown member id, restart after a crash): still eager.
    this.#revokeAll('rejoin');
    const assignment = normalizeAssignment(memberAssignment);
    this.#assignment = assignment;
    this.#assigned = new Set(assignment.flatMap(({ topic, partitions }) => partitions.map((p) => key(topic, p))));
    this.#applyPauses(this.#pauses.topics());
    if (this.#status === 'draining') for (const { topic } of assignment) this.#kafkajsCall('pause', [{ topic }]);
    this.#logger.info({ assignment }, 'partitions assigned');
    const onAssigned = this.#handlers?.onAssigned;
    if (onAssigned) this.#enqueue(async () => onAssigned(assignment.map((a) => ({ ...a, partitions: [...a.partitions] }))));
  }

  #accepting(topic: string, partition: number): boolean {
    return this.#status === 'running' && this.#assigned.has(key(topic, partition)) && !this.#pauses.isPaused(topic, partition);
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    await this.#awaitLifecycle(payload);
    // Not resolving anything here makes kafkajs fetch the same records again when the partition is fetched next.
    if (!this.#accepting(topic, partition) || !payload.isRunning() || payload.isStale()) return;
    this.#lag.set(key(topic, partition), {
      topic,
      partition,
      offsetLag: batch.offsetLag(),
      highWatermark: batch.highWatermark,
      lastOffset: batch.lastOffset(),
      at: Date.now(),
    });
    if (batch.messages.length === 0) return;
    let resolvedByHandler = false;
    const context: BatchContext = {
      heartbeat: () => payload.heartbeat(),
      resolveOffset: (offset) => {
        resolvedByHandler = true;
        payload.resolveOffset(offset);
      },
      isRunning: () => payload.isRunning() && !payload.isStale() && this.#accepting(topic, partition),
    };
    const handler = this.#handlers?.eachBatch;
    if (!handler) return;
    const run = handler(toConsumedBatch(batch), context);
    const tracked = run.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(tracked);
    try {
      await run;
    } catch (error) {
      // kafkajs retries the batch from the last resolved offset, then restarts (retriable errors) or crashes
      // (non-retriable: TypeError, ReferenceError, KafkaJSNonRetriableError → onFatal).
      this.#logger.error({ err: error, topic, partition, firstOffset: batch.firstOffset() }, 'batch handler failed');
      throw error;
    } finally {
      this.#inFlight.delete(tracked);
    }
    if (!resolvedByHandler) payload.resolveOffset(batch.lastOffset());
  }
}
