/**
 * The sink: aggregates and alerts from Kafka into ClickHouse, in batches, idempotently, with back-pressure.
 *
 *   Kafka aggregates ─► decode + validate ─► BatchWriter(traffic_minute) ─┐ onFlushed (ClickHouse acknowledged)
 *   Kafka alerts     ─► decode + validate ─► BatchWriter(alerts)         ─┴─► commit those partitions' offsets
 *
 * - Offsets are committed only from a writer's acknowledgement, so a committed offset never runs ahead of the rows
 *   in ClickHouse; after a crash or rebalance the records after it are read again and their rows — identical, see
 *   decode.ts — collapse in the ReplacingMergeTree tables. Read with FINAL (or argMax by version).
 * - Invalid records are logged (rate-limited), counted and skipped; their offsets are committed with the batch.
 * - Back-pressure: a topic is paused while its writer holds `maxBufferedRows` or more, or while its inserts fail,
 *   and resumed when the writer drains and an insert succeeds. The writer keeps failed rows and retries them, so
 *   nothing is lost and memory stays bounded by about `maxBufferedRows` plus the batches already fetched.
 * - Readiness: schema migrated, consumer in its group, and ClickHouse answering (last insert or ping).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AlertRow,
  BatchWriter,
  type ClickHouseClient,
  createClickHouseClient,
  type InsertRows,
  MigrationChecksumError,
  migrate,
  type RetryPolicy,
  TABLES,
  type TrafficMinuteRow,
  tableInserter,
} from '@gtwatch/clickhouse';
import type { GtwatchConfig } from '@gtwatch/config';
import { BatchConsumer, type ConsumedBatch, type ConsumedRecord, createKafkaClient, type Kafka, type TopicPartitions } from '@gtwatch/kafka';
import {
  createLogger,
  createMetricsRegistry,
  type HealthServer,
  type Logger,
  Readiness,
  type Registry,
  startHealthServer,
} from '@gtwatch/observability';
import { CommitTracker, type SourcePosition } from './commits.js';
import { HourRoller } from './hour-roller.js';
import { decodeAggregate, decodeAlert, type InvalidReason, type RecordDecoder } from './decode.js';
import { LogLimit } from './log-limit.js';
import { createSinkMetrics, type SinkMetrics } from './metrics.js';

export interface SinkBatchOptions {
  /** Rows per INSERT at most; a full batch is written at once. Default 10 000. */
  maxRows?: number;
  /** A partial batch is written this long after its oldest row arrived. Default 1 000 ms. */
  maxDelayMs?: number;
  /** From this many rows waiting in a writer its topic is paused. Default 5 × maxRows. */
  maxBufferedRows?: number;
}

export interface SinkConsumerOptions {
  sessionTimeout?: number;
  heartbeatInterval?: number;
  /** How long the broker holds an empty fetch. Default 1 000 ms. */
  maxWaitTimeInMs?: number;
  maxBytesPerPartition?: number;
  partitionsConsumedConcurrently?: number;
}

export interface SinkOptions {
  /** Default: a pino logger for service `gtwatch-sink` at `config.logLevel`. */
  logger?: Logger;
  /** Default: a fresh registry with process metrics. */
  registry?: Registry;
  /** Called with 1 when the consumer crashed beyond kafkajs' own recovery, or startup failed. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Consumer group. Default `${config.topicPrefix}-sink`. */
  groupId?: string;
  /** Where a new group starts: true (default) from the earliest retained record, false from the end. */
  fromBeginning?: boolean;
  /** Bind address of the /healthz /readyz /metrics server (port: `config.port`). Default 0.0.0.0. */
  host?: string;
  batch?: SinkBatchOptions;
  /** Insert retries before a failure is surfaced (readiness false); the rows stay and are retried after `maxDelayMs`. */
  retry?: Partial<RetryPolicy>;
  /** How often dirty hours are rolled up into traffic_hour (GTWATCH_ROLLUP_INTERVAL_MS). Default 30 000 ms. */
  rollupIntervalMs?: number;
  /** How often ClickHouse is pinged when no insert has succeeded for that long. Default 5 000 ms. */
  pingIntervalMs?: number;
  /** Per ClickHouse request. Default 30 000 ms. */
  requestTimeoutMs?: number;
  consumer?: SinkConsumerOptions;
  /** An existing Kafka client to use (e.g. shared in one process); default one built from `config.kafka`. */
  kafka?: Kafka;
}

export interface SinkHandle {
  /** Resolves the first time the sink is ready (schema migrated, consumer joined, ClickHouse answering); rejects if startup fails. */
  readonly ready: Promise<void>;
  /** The bound port of the health server (useful with `config.port` 0). */
  readonly port: number;
  readonly registry: Registry;
  readonly groupId: string;
  /** Current readiness, as /readyz reports it. */
  readiness(): { ready: boolean; pending: string[] };
  /** Stops fetching, writes what is buffered, commits it, leaves the group, closes connections and the health server. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY: Partial<RetryPolicy> = { attempts: 4, initialDelayMs: 250, maxDelayMs: 5_000 };

const READY_SCHEMA = 'clickhouse-schema';
const READY_CONSUMER = 'kafka-consumer';
const READY_CLICKHOUSE = 'clickhouse';

interface Route {
  readonly topic: string;
  readonly table: string;
  readonly writer: Pick<BatchWriter<unknown, SourcePosition>, 'isFull' | 'lastError' | 'close'>;
  ingest(batch: ConsumedBatch): void;
  /** An insert attempt failed and no insert succeeded since. */
  failing: boolean;
  paused: boolean;
}

export async function startSink(config: Readonly<GtwatchConfig>, options: SinkOptions = {}): Promise<SinkHandle> {
  const baseLogger = options.logger ?? createLogger({ service: 'gtwatch-sink', level: config.logLevel, instance: config.instance });
  const logger = baseLogger.child({ component: 'sink' });
  const registry = options.registry ?? createMetricsRegistry({ service: 'gtwatch-sink', instance: config.instance });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const groupId = options.groupId ?? `${config.topicPrefix}-sink`;
  const database = config.clickhouse.database;
  const pingIntervalMs = options.pingIntervalMs ?? 5_000;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const topics = { aggregates: config.topics.aggregates, alerts: config.topics.alerts };

  const readiness = new Readiness();
  for (const condition of [READY_SCHEMA, READY_CONSUMER, READY_CLICKHOUSE]) readiness.require(condition);

  const kafka = options.kafka ?? createKafkaClient({
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-sink`,
      logger: baseLogger,
      security: config.kafka.security,
    });
  const consumer = new BatchConsumer(kafka, {
    groupId,
    topics: [topics.aggregates, topics.alerts],
    fromBeginning: options.fromBeginning ?? true,
    logger: baseLogger,
    maxWaitTimeInMs: options.consumer?.maxWaitTimeInMs ?? 1_000,
    ...(options.consumer?.sessionTimeout !== undefined ? { sessionTimeout: options.consumer.sessionTimeout } : {}),
    ...(options.consumer?.heartbeatInterval !== undefined ? { heartbeatInterval: options.consumer.heartbeatInterval } : {}),
    ...(options.consumer?.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: options.consumer.maxBytesPerPartition } : {}),
    ...(options.consumer?.partitionsConsumedConcurrently !== undefined
      ? { partitionsConsumedConcurrently: options.consumer.partitionsConsumedConcurrently }
      : {}),
    onFatal: (error) => fatal(error, 'Kafka consumer crashed and kafkajs will not restart it; exiting'),
    onCrash: ({ restart }) => {
      if (restart) setReady(READY_CONSUMER, false);
    },
  });
  const metrics: SinkMetrics = createSinkMetrics(registry, () => consumer.lag());
  const commits = new CommitTracker();
  const client: ClickHouseClient = createClickHouseClient({
    url: config.clickhouse.url,
    user: config.clickhouse.user,
    password: config.clickhouse.password,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  });

  let stopping: Promise<void> | undefined;
  let failed = false;
  /** Last ping or insert succeeded (a failed insert attempt alone does not flip readiness; a surfaced failure does). */
  let reachable = true;
  let lastSuccessAt = 0;
  const abort = new AbortController();

  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // a caller that never awaits `ready` must not see an unhandled rejection

  function updateReadiness(): void {
    readiness.set(READY_CLICKHOUSE, reachable && routes.every((route) => route.writer.lastError === undefined));
    if (readiness.ready) resolveReady();
  }

  function setReady(condition: string, value: boolean): void {
    readiness.set(condition, value);
    updateReadiness();
  }

  function fatal(error: Error, message: string): void {
    if (failed) return;
    failed = true;
    readiness.set(READY_CONSUMER, false);
    logger.fatal({ err: error, groupId }, message);
    rejectReady(error);
    exit(1);
  }

  /** Pauses or resumes a topic to match its writer: paused while full or failing. */
  function reconcile(route: Route): void {
    const want = route.writer.isFull || route.failing;
    if (want === route.paused || stopping) return;
    route.paused = want;
    metrics.paused.set({ topic: route.topic }, want ? 1 : 0);
    if (want) {
      consumer.pause(route.topic);
      logger.warn({ topic: route.topic, table: route.table, reason: route.failing ? 'clickhouse-failing' : 'buffer-full' }, 'consumption paused');
    } else {
      consumer.resume(route.topic);
      logger.info({ topic: route.topic, table: route.table }, 'consumption resumed');
    }
  }

  async function commitAcknowledged(positions: readonly SourcePosition[]): Promise<void> {
    const { entries, stale } = commits.plan(positions);
    if (stale > 0) metrics.staleAcks.inc(stale);
    if (entries.length === 0) return;
    try {
      await consumer.commitMany(entries.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
      commits.committed(entries);
      metrics.commits.inc({ result: 'ok' });
    } catch (error) {
      // Harmless for correctness: the rows are durable, the records after the last good commit are read again and
      // collapse. Not rethrown, because the writer would count it as a ClickHouse failure.
      metrics.commits.inc({ result: 'failed' });
      logger.warn({ err: error, entries }, 'offset commit failed; those records will be read again after a restart or rebalance');
    }
  }

  const roller = new HourRoller({
    client,
    database,
    intervalMs: options.rollupIntervalMs ?? 30_000,
    logger,
    metrics,
  });

  function createRoute<Row>(topic: string, table: string, decode: RecordDecoder<Row>, acknowledged?: (rows: readonly Row[]) => void): Route {
    const inserter: InsertRows<Row> = tableInserter<Row>(client, table, database);
    const invalidLog = new LogLimit();
    // During an outage the writer surfaces a failure every retry cycle; log the first, then one per 30 s.
    const failureLog = new LogLimit(1, 30_000);
    const skip = (record: ConsumedRecord, reason: InvalidReason, message: string) => {
      metrics.invalid.inc({ topic, reason });
      const allowed = invalidLog.take();
      if (!allowed) return;
      logger.warn(
        { topic, partition: record.partition, offset: record.offset, reason, problem: message, notLogged: allowed.suppressed },
        'invalid record skipped',
      );
    };
    const writer = new BatchWriter<Row, SourcePosition>({
      insert: async (rows) => {
        const started = performance.now();
        await inserter(rows);
        metrics.insertSeconds.observe({ table }, (performance.now() - started) / 1000);
        acknowledged?.(rows);
      },
      ...(options.batch?.maxRows !== undefined ? { maxRows: options.batch.maxRows } : {}),
      ...(options.batch?.maxDelayMs !== undefined ? { maxDelayMs: options.batch.maxDelayMs } : {}),
      ...(options.batch?.maxBufferedRows !== undefined ? { maxBufferedRows: options.batch.maxBufferedRows } : {}),
      retry,
      onFlushed: (ack) => commitAcknowledged(ack.meta),
      onError: (failure) => {
        const allowed = failureLog.take();
        if (allowed) {
          logger.error(
            { err: failure.error, table, rows: failure.rows, attempts: failure.attempt, failuresNotLogged: allowed.suppressed },
            'ClickHouse insert failed after retries; rows kept and retried, consumption paused, not ready',
          );
        }
        updateReadiness();
      },
      metrics: {
        batchWritten: (rows) => {
          metrics.rowsWritten.inc({ table }, rows);
          metrics.batchRows.observe({ table }, rows);
          metrics.clickhouseUp.set(1);
          lastSuccessAt = Date.now();
          reachable = true;
          if (route.failing) {
            logger.info({ table }, 'ClickHouse inserts succeed again');
            failureLog.reset();
          }
          route.failing = false;
          reconcile(route);
          updateReadiness();
        },
        attemptFailed: (failure) => {
          metrics.insertFailures.inc({ table, outcome: failure.willRetry ? 'retrying' : 'surfaced' });
          metrics.clickhouseUp.set(0);
          if (!route.failing) logger.warn({ err: failure.error, table, rows: failure.rows }, 'ClickHouse insert failed; pausing consumption and retrying');
          route.failing = true;
          reconcile(route);
        },
        buffered: (rows) => {
          metrics.buffered.set({ table }, rows);
          reconcile(route);
        },
      },
    });
    const route: Route = {
      topic,
      table,
      failing: false,
      paused: false,
      writer,
      ingest: (batch) => {
        const rows: Row[] = [];
        for (const record of batch.records) {
          for (const decoded of decode(record)) {
            if (decoded.ok) rows.push(decoded.row);
            else skip(record, decoded.reason, decoded.message);
          }
        }
        const position = commits.position(batch.topic, batch.partition, batch.lastOffset);
        if (position) writer.add(rows, position);
        else writer.add(rows);
        reconcile(route);
      },
    };
    return route;
  }

  const routes: Route[] = [
    createRoute<TrafficMinuteRow>(topics.aggregates, TABLES.trafficMinute, decodeAggregate, (rows) => roller.markMinutes(rows.map((row) => row.minute))),
    createRoute<AlertRow>(topics.alerts, TABLES.alerts, decodeAlert),
  ];
  const byTopic = new Map(routes.map((route) => [route.topic, route]));
  for (const route of routes) metrics.paused.set({ topic: route.topic }, 0);

  async function migrateSchema(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await migrate(client, database, {
          onApplied: (migration) => logger.info({ database, migration }, 'migration applied'),
        });
        logger.info({ database, applied: result.applied.length, unchanged: result.unchanged.length, unknown: result.unknown }, 'schema ready');
        return;
      } catch (error) {
        if (error instanceof MigrationChecksumError || abort.signal.aborted) throw error;
        const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt - 1, 5));
        metrics.clickhouseUp.set(0);
        logger.warn({ err: error, database, attempt, retryInMs: delay }, 'migrating ClickHouse failed; retrying');
        await sleep(delay, undefined, { signal: abort.signal });
      }
    }
  }

  async function ping(): Promise<void> {
    if (stopping || Date.now() - lastSuccessAt < pingIntervalMs) return;
    let ok: boolean;
    let error: unknown;
    try {
      const result = await client.ping();
      ok = result.success;
      if (!result.success) error = result.error;
    } catch (thrown) {
      ok = false;
      error = thrown;
    }
    if (ok) lastSuccessAt = Date.now();
    if (ok !== reachable) {
      if (ok) logger.info('ClickHouse answers pings again');
      else logger.warn({ err: error }, 'ClickHouse ping failed');
    }
    reachable = ok;
    metrics.clickhouseUp.set(ok ? 1 : 0);
    updateReadiness();
  }

  let pingTimer: NodeJS.Timeout | undefined;
  let pinging = false;

  const health: HealthServer = await startHealthServer({
    port: config.port,
    ...(options.host !== undefined ? { host: options.host } : {}),
    registry,
    readiness,
    logger,
  });

  logger.info(
    { groupId, topics, database, clickhouse: config.clickhouse.url, brokers: config.kafka.brokers, port: health.port },
    'sink starting',
  );

  const startup = (async () => {
    await migrateSchema();
    if (stopping) return;
    lastSuccessAt = Date.now();
    metrics.clickhouseUp.set(1);
    setReady(READY_SCHEMA, true);
    roller.start();
    // Not awaited: a large backlog of never-rolled hours must not delay consuming. Failures stay dirty, retried.
    void roller.backfill().then(
      (hours) => {
        if (hours > 0) logger.info({ hours }, 'rolled up hours that had no traffic_hour snapshot');
      },
      (error: unknown) => logger.warn({ err: error }, 'looking for hours without a traffic_hour snapshot failed; they are read from traffic_minute'),
    );
    await consumer.start({
      eachBatch: async (batch) => {
        const route = byTopic.get(batch.topic);
        if (!route) return;
        metrics.consumed.inc({ topic: batch.topic }, batch.records.length);
        route.ingest(batch);
      },
      onAssigned: (assignment: TopicPartitions[]) => {
        commits.assign(assignment);
        setReady(READY_CONSUMER, true);
      },
      onRevoked: (assignment: TopicPartitions[]) => {
        commits.revoke(assignment);
      },
    });
    if (stopping) return;
    pingTimer = setInterval(() => {
      if (pinging) return;
      pinging = true;
      void ping().finally(() => {
        pinging = false;
      });
    }, pingIntervalMs);
    pingTimer.unref();
  })();
  startup.catch((error: unknown) => {
    if (stopping) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const where = `Kafka ${config.kafka.brokers.join(',')}, topics ${topics.aggregates} and ${topics.alerts}`;
    const message =
      error instanceof MigrationChecksumError
        ? 'the ClickHouse schema was changed by a different build; refusing to write (see the migration error); exiting'
        : (error as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION'
          ? `the sink's topics do not exist (${where}); create them with \`gtwatch topics create\`; exiting`
          : `sink startup failed (${where}); exiting`;
    fatal(err, message);
  });

  async function shutdown(): Promise<void> {
    readiness.shutdown();
    abort.abort();
    rejectReady(new Error('sink stopped before it was ready'));
    await startup.catch(() => {});
    clearInterval(pingTimer);
    // 1. No new batches; running ones finish. Group membership and commits still work.
    await consumer.drain();
    // 2. Write what is buffered; the acknowledgements commit its offsets.
    const closed = await Promise.allSettled(routes.map((route) => route.writer.close()));
    closed.forEach((result, index) => {
      if (result.status === 'rejected') {
        logger.error(
          { err: result.reason, table: routes[index]?.table },
          'buffered rows could not be written before shutdown; their offsets are not committed and they will be read again',
        );
      }
    });
    // 3. Roll up the hours those writes dirtied, so a clean stop leaves traffic_hour up to date.
    await roller.stop();
    // 4. Leave the group, close connections.
    await consumer.disconnect().catch((error: unknown) => logger.warn({ err: error }, 'Kafka consumer disconnect failed'));
    await client.close().catch(() => {});
    await health.close().catch(() => {});
    logger.info({ groupId }, 'sink stopped');
  }

  return {
    ready,
    port: health.port,
    registry,
    groupId,
    readiness: () => ({ ready: readiness.ready, pending: readiness.pending }),
    stop: () => {
      stopping ??= shutdown();
      return stopping;
    },
  };
}
