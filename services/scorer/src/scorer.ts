import { createRefusalCounter, type RoutingPolicy, reportRefusals, routeAlerts, routingPolicy } from '@gtwatch/alerting';
import type { GtwatchConfig } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, type DetectionConfig, stateHorizonMs } from '@gtwatch/detection';
import {
  BatchConsumer,
  type ConsumedBatch,
  createKafkaClient,
  deadLetterRecord,
  type FatalHandler,
  FencedError,
  matchingTopics,
  missingTopics,
  nextOffset,
  type TopicPartitions,
  type TopicRecords,
  TransactionalProducer,
} from '@gtwatch/kafka';
import { createNumbering, loadReferenceData, type Numbering } from '@gtwatch/numbering';
import { encodeAggregateBatches } from '@gtwatch/schema';
import {
  createLogger,
  createMetricsRegistry,
  type HealthServer,
  type Logger,
  Readiness,
  type Registry,
  startHealthServer,
} from '@gtwatch/observability';
import { scorerMetrics } from './metrics.js';
import { reporterTopicPattern, routeReporterRecords } from './ingress.js';
import { type BatchOutputs, PartitionScorer } from './partition.js';
import { decodeCommitMetadata, encodeCommitMetadata } from './replay.js';

export interface ScorerOptions {
  logger?: Logger;
  registry?: Registry;
  detection?: DetectionConfig;
  /** Called when a consumer cannot go on (kafkajs will not restart it). Default: log and exit 1. */
  onFatal?: FatalHandler;
  /** Bind the health server here (tests use 127.0.0.1 and port 0). */
  healthHost?: string;
  /**
   * Where alert events go and each topic's minimum TLP. Default: the shared topic, one topic per jurisdiction the
   * detection config names, the alert-state topic, minimum `clear` everywhere and never `red`.
   */
  routing?: RoutingPolicy;
}

export interface ScorerHandle {
  readonly health: HealthServer;
  readonly registry: Registry;
  readonly readiness: Readiness;
  /** Stops fetching, lets in-flight batches finish and commit, then disconnects. */
  stop(): Promise<void>;
}

interface Stage {
  name: 'source' | 'subscriber';
  topic: string;
  groupId: string;
  consumer: BatchConsumer;
  /** Publishes a batch's outputs and commits its offset in one transaction. */
  producer: TransactionalProducer;
  horizonMs: number;
  partitions: Map<number, PartitionScorer>;
  /** Per partition being rebuilt: the emitted-until offset below which outputs were already published. */
  replayUntil: Map<number, bigint>;
  /** Records replayed so far per partition being rebuilt (for the log line when it goes live). */
  replayedCount: Map<number, number>;
}

/** Reference data is required: a scorer without it would call every source foreign. */
function loadNumbering(config: GtwatchConfig): Numbering {
  if (config.referenceDir === null) {
    throw new Error('GTWATCH_REFERENCE_DIR is required: the directory holding gt-ranges.csv (realms.csv, allowlist.csv)');
  }
  return createNumbering(loadReferenceData(config.referenceDir));
}

/**
 * The streaming scorer: the source-keyed stage consumes the signalling topic (keyed by source entity) and the
 * subscriber-keyed stage consumes the by-subscriber repartition topic (velocity); operators' own input topics, when
 * there are any, are validated and forwarded to the signalling topic. Each owned partition has its own detection
 * state. A batch's outputs — alerts, aggregates, dead letters, re-keyed records — and its offset are committed in one
 * Kafka transaction; the offset is the partition's replay point, so a new owner rebuilds the state silently and then
 * publishes exactly what was not published yet.
 */
export async function startScorer(config: Readonly<GtwatchConfig>, options: ScorerOptions = {}): Promise<ScorerHandle> {
  const logger = options.logger ?? createLogger({ service: 'scorer', level: config.logLevel, instance: config.instance });
  const registry = options.registry ?? createMetricsRegistry({ service: 'scorer', instance: config.instance });
  const metrics = scorerMetrics(registry);
  const refusals = createRefusalCounter(registry);
  const detection = options.detection ?? DEFAULT_DETECTION_CONFIG;
  const routing = options.routing ?? routingPolicy({ jurisdictions: detection.alerts.jurisdictions });
  const numbering = loadNumbering(config);
  const readiness = new Readiness();
  readiness.require('producer');
  readiness.require('source-stage');
  readiness.require('subscriber-stage');
  const health = await startHealthServer({ port: config.port, host: options.healthHost, registry, readiness, logger });
  // Whatever startup created is closed again if startup fails: a half-started scorer whose health server still
  // answers would never be restarted by its supervisor.
  const started: { close: () => Promise<void> }[] = [{ close: () => health.close() }];
  try {
    return await startPipeline();
  } catch (error) {
    readiness.shutdown();
    // Bounded: a client stuck reconnecting to a broker that is down must not keep the failure from surfacing.
    const closing = Promise.all(started.reverse().map((resource) => resource.close().catch(() => {})));
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    throw error;
  }

  async function startPipeline(): Promise<ScorerHandle> {
    const kafka = createKafkaClient({
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-scorer`,
      logger,
      security: config.kafka.security,
    });

    const needed = [
      config.topics.signalling,
      config.topics.bySubscriber,
      config.topics.deadLetter,
      config.topics.aggregates,
      config.topics.alerts,
      config.topics.alertState,
      ...routing.jurisdictions.map((j) => config.topics.alertsFor(j)),
    ];
    const missing = await missingTopics(kafka, needed);
    if (missing.length > 0) {
      throw new Error(
        `topics missing: ${missing.join(', ')}. Create them with \`gtwatch topics create\` (same GTWATCH_TOPIC_PREFIX; ` +
          `--jurisdictions for the per-jurisdiction alert topics) before starting the scorer.`,
      );
    }

    const fatal: FatalHandler =
      options.onFatal ??
      ((error) => {
        logger.fatal({ err: error }, 'consumer stopped for good; exiting so the supervisor restarts the scorer');
        readiness.shutdown();
        process.exit(1);
      });

    const makeStage = (name: Stage['name'], topic: string): Stage => ({
      name,
      topic,
      groupId: `${config.topicPrefix}-scorer-${name}`,
      consumer: new BatchConsumer(kafka, {
        groupId: `${config.topicPrefix}-scorer-${name}`,
        topics: topic,
        fromBeginning: true,
        logger: logger.child({ stage: name }),
        onFatal: fatal,
        // Several partitions' batches in flight at once: one is scored while others wait for their transaction, and
        // batches that wait together are committed in one transaction (see TransactionalProducer).
        partitionsConsumedConcurrently: 8,
        maxBytesPerPartition: 4 * 1_048_576,
        maxBytes: 32 * 1_048_576,
      }),
      // One writer per stage and instance: a restarted instance fences the transactions its predecessor left open.
      producer: new TransactionalProducer(kafka, {
        logger: logger.child({ stage: name }),
        transactionalId: `${config.topicPrefix}-scorer-${name}-${config.instance}`,
      }),
      horizonMs: stateHorizonMs(detection, name),
      partitions: new Map(),
      replayUntil: new Map(),
      replayedCount: new Map(),
    });
    const stages = [makeStage('source', config.topics.signalling), makeStage('subscriber', config.topics.bySubscriber)];
    for (const stage of stages) {
      started.push({ close: () => stage.producer.disconnect() }, { close: () => stage.consumer.disconnect() });
    }
    await Promise.all(stages.map((stage) => stage.producer.connect()));
    readiness.set('producer', true);

    const publish = async (stage: Stage, batch: ConsumedBatch, outputs: BatchOutputs): Promise<void> => {
      // Shared topic, each jurisdiction's topic and the alert-state topic, in the same transaction as everything else.
      const routed = routeAlerts(outputs.alerts, routing, config.topics);
      const batches: TopicRecords[] = [
        ...routed.batches,
        { topic: config.topics.deadLetter, records: outputs.deadLetters.map(deadLetterRecord) },
        // Many rows per record; no key, so the records spread over the partitions and every sink instance gets a share.
        { topic: config.topics.aggregates, records: encodeAggregateBatches(outputs.aggregates).map((value) => ({ key: null, value })) },
        { topic: config.topics.bySubscriber, records: outputs.bySubscriber },
        { topic: config.topics.signalling, records: outputs.velocityHits },
      ].filter((entry) => entry.records.length > 0);
      const emittedUntil = nextOffset(batch.lastOffset);
      const replayFrom = partitionOf(stage, batch.partition).replayFrom(emittedUntil);
      await stage.producer.publishAndCommit(batches, {
        groupId: stage.groupId,
        offsets: [{ topic: batch.topic, partition: batch.partition, offset: replayFrom, metadata: encodeCommitMetadata(emittedUntil) }],
      });
      reportRefusals(routed.refusals, { counter: refusals, logger });
      for (const alert of outputs.alerts) metrics.alerts.inc({ pattern: alert.data.pattern, type: alert.type.split('.')[3] ?? alert.type });
      for (const deadLetter of outputs.deadLetters) metrics.rejected.inc({ reason: deadLetter.reason.code });
      metrics.aggregates.inc(outputs.aggregates.length);
      metrics.rekeyed.inc(outputs.bySubscriber.length);
      metrics.late.inc(outputs.late);
      if (outputs.invalidHits > 0) logger.warn({ count: outputs.invalidHits }, 'velocity-hit records that do not parse were skipped');
    };

    const partitionOf = (stage: Stage, partition: number): PartitionScorer => {
      let scorer = stage.partitions.get(partition);
      if (scorer === undefined) {
        scorer = new PartitionScorer({ config: detection, numbering, instance: config.instance, stage: stage.name, horizonMs: stage.horizonMs });
        stage.partitions.set(partition, scorer);
      }
      return scorer;
    };

    /**
     * A newly owned partition starts with empty state at the committed offset, which is the replay point: records up
     * to the emitted-until offset stored with it are scored without publishing (their outputs were committed with
     * it), which rebuilds the state; from there on the partition is live.
     */
    const rebuild = async (stage: Stage, assignment: TopicPartitions[]): Promise<void> => {
      stage.partitions.clear();
      stage.replayUntil.clear();
      stage.replayedCount.clear();
      const owned = assignment.find((a) => a.topic === stage.topic)?.partitions ?? [];
      if (owned.length === 0) return;
      const committed = await stage.consumer.fetchCommitted(stage.topic);
      for (const { partition, offset, metadata } of committed) {
        if (!owned.includes(partition) || offset === null) continue;
        const emittedUntil = decodeCommitMetadata(metadata);
        if (emittedUntil === null || BigInt(emittedUntil) <= BigInt(offset)) continue;
        stage.replayUntil.set(partition, BigInt(emittedUntil));
        logger.info({ stage: stage.name, partition, replayFrom: offset, emittedUntil }, 'rebuilding partition state by replay');
      }
    };

    /** Scores the replayed part of a batch silently; returns the records still to score live. */
    const replayed = (stage: Stage, batch: ConsumedBatch): ConsumedBatch['records'] => {
      const until = stage.replayUntil.get(batch.partition);
      if (until === undefined) return batch.records;
      const split = batch.records.findIndex((record) => BigInt(record.offset) >= until);
      const old = split === -1 ? batch.records : batch.records.slice(0, split);
      partitionOf(stage, batch.partition).score(old);
      metrics.replayed.inc({ topic: stage.name }, old.length);
      const replayedSoFar = (stage.replayedCount.get(batch.partition) ?? 0) + old.length;
      stage.replayedCount.set(batch.partition, replayedSoFar);
      if (split === -1) return [];
      stage.replayUntil.delete(batch.partition);
      stage.replayedCount.delete(batch.partition);
      logger.info({ stage: stage.name, partition: batch.partition, replayed: replayedSoFar }, 'partition state rebuilt; going live');
      return batch.records.slice(split);
    };

    const run = async (stage: Stage): Promise<void> => {
      // Eager rebalancing hands every partition back; each newly owned partition's state is rebuilt by replay.
      await stage.consumer.start({
        onAssigned: (assignment) => rebuild(stage, assignment),
        onRevoked: () => {
          stage.partitions.clear();
          stage.replayUntil.clear();
          stage.replayedCount.clear();
        },
        eachBatch: async (batch, context) => {
          const timer = metrics.batchSeconds.startTimer({ topic: stage.name });
          metrics.batchSize.observe({ topic: stage.name }, batch.records.length);
          metrics.lag.set({ topic: stage.topic, partition: String(batch.partition) }, Number(batch.offsetLag));
          const live = replayed(stage, batch);
          if (live.length === 0) return;
          metrics.records.inc({ topic: stage.name }, live.length);
          const outputs = partitionOf(stage, batch.partition).score(live);
          await context.heartbeat();
          try {
            await publish(stage, batch, outputs);
          } catch (error) {
            // Another instance with this transactional id took over: this one is a zombie and must not go on.
            if (error instanceof FencedError) fatal(error);
            throw error;
          }
          timer();
        },
      });
      readiness.set(`${stage.name}-stage`, true);
    };
    await Promise.all(stages.map(run));

    // Operators' own input topics, validated and forwarded to the shared signalling topic. kafkajs resolves a pattern
    // subscription once, so an operator topic created later is picked up at the scorer's next start.
    const reporterTopics = await matchingTopics(kafka, reporterTopicPattern(config.topics.signalling));
    const ingress =
      reporterTopics.length === 0
        ? null
        : {
            consumer: new BatchConsumer(kafka, {
              groupId: `${config.topicPrefix}-scorer-ingress`,
              topics: reporterTopics,
              fromBeginning: true,
              logger: logger.child({ stage: 'ingress' }),
              onFatal: fatal,
              partitionsConsumedConcurrently: 8,
            }),
            producer: new TransactionalProducer(kafka, {
              logger: logger.child({ stage: 'ingress' }),
              transactionalId: `${config.topicPrefix}-scorer-ingress-${config.instance}`,
            }),
          };
    if (ingress !== null) {
      started.push({ close: () => ingress.producer.disconnect() }, { close: () => ingress.consumer.disconnect() });
      await ingress.producer.connect();
      await ingress.consumer.start({
        eachBatch: async (batch) => {
          metrics.records.inc({ topic: 'ingress' }, batch.records.length);
          const outputs = routeReporterRecords(config.topics.signalling, batch.records);
          await ingress.producer.publishAndCommit(
            [
              { topic: config.topics.signalling, records: outputs.forward },
              { topic: config.topics.deadLetter, records: outputs.deadLetters.map(deadLetterRecord) },
            ],
            { groupId: `${config.topicPrefix}-scorer-ingress`, offsets: [{ topic: batch.topic, partition: batch.partition, offset: nextOffset(batch.lastOffset) }] },
          );
          for (const deadLetter of outputs.deadLetters) metrics.rejected.inc({ reason: deadLetter.reason.code });
        },
      });
    }
    logger.info({ reporterTopics }, reporterTopics.length === 0 ? 'no per-reporter input topics' : 'consuming per-reporter input topics');
    logger.info({ stages: stages.map((s) => ({ stage: s.name, topic: s.topic, group: s.groupId })) }, 'scorer running');

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        readiness.shutdown();
        const consumers = [...stages.map((stage) => stage.consumer), ...(ingress ? [ingress.consumer] : [])];
        const producers = [...stages.map((stage) => stage.producer), ...(ingress ? [ingress.producer] : [])];
        for (const consumer of consumers) await consumer.drain();
        for (const consumer of consumers) await consumer.disconnect();
        for (const producer of producers) await producer.disconnect();
        await health.close();
        logger.info('scorer stopped');
      })();
      return stopping;
    };
    return { health, registry, readiness, stop };
  }
}
