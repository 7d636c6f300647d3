import type { GtwatchConfig } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, type DetectionConfig } from '@gtwatch/detection';
import {
  AlertRefusedError,
  alertRecord,
  assertPublishable,
  BatchConsumer,
  type ConsumedBatch,
  createKafkaClient,
  deadLetterRecord,
  type FatalHandler,
  nextOffset,
  type OutgoingRecord,
  Producer,
  type TopicRecords,
} from '@gtwatch/kafka';
import { createNumbering, loadReferenceData, type Numbering } from '@gtwatch/numbering';
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
import { type BatchOutputs, PartitionScorer } from './partition.js';

export interface ScorerOptions {
  logger?: Logger;
  registry?: Registry;
  detection?: DetectionConfig;
  /** Called when a consumer cannot go on (kafkajs will not restart it). Default: log and exit 1. */
  onFatal?: FatalHandler;
  /** Bind the health server here (tests use 127.0.0.1 and port 0). */
  healthHost?: string;
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
  partitions: Map<number, PartitionScorer>;
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
 * subscriber-keyed stage consumes the by-subscriber repartition topic (velocity). Each owned partition has its own
 * detection state. A batch's outputs — alerts, aggregates, dead letters, re-keyed records — are published and
 * acknowledged before its offsets are committed, so nothing is lost; event ids and aggregate rows are deterministic,
 * so what a restart re-publishes collapses downstream.
 */
export async function startScorer(config: Readonly<GtwatchConfig>, options: ScorerOptions = {}): Promise<ScorerHandle> {
  const logger = options.logger ?? createLogger({ service: 'scorer', level: config.logLevel, instance: config.instance });
  const registry = options.registry ?? createMetricsRegistry({ service: 'scorer', instance: config.instance });
  const metrics = scorerMetrics(registry);
  const detection = options.detection ?? DEFAULT_DETECTION_CONFIG;
  const numbering = loadNumbering(config);
  const readiness = new Readiness();
  readiness.require('producer');
  readiness.require('source-stage');
  readiness.require('subscriber-stage');
  const health = await startHealthServer({ port: config.port, host: options.healthHost, registry, readiness, logger });

  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-scorer`, logger });
  const producer = new Producer(kafka, { logger });
  await producer.connect();
  readiness.set('producer', true);

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
    }),
    partitions: new Map(),
  });
  const stages = [makeStage('source', config.topics.signalling), makeStage('subscriber', config.topics.bySubscriber)];

  const publish = async (stage: Stage, batch: ConsumedBatch, outputs: BatchOutputs): Promise<void> => {
    const alerts: OutgoingRecord[] = [];
    for (const alert of outputs.alerts) {
      try {
        assertPublishable(alert);
        alerts.push(alertRecord(alert));
        metrics.alerts.inc({ pattern: alert.data.pattern, type: alert.type.split('.')[3] ?? alert.type });
      } catch (error) {
        if (!(error instanceof AlertRefusedError)) throw error;
        metrics.refused.inc({ tlp: alert.tlp });
        logger.warn({ alertId: alert.data.alertId, tlp: alert.tlp }, error.message);
      }
    }
    const batches: TopicRecords[] = [
      { topic: config.topics.alerts, records: alerts },
      { topic: config.topics.deadLetter, records: outputs.deadLetters.map(deadLetterRecord) },
      {
        topic: config.topics.aggregates,
        records: outputs.aggregates.map((row) => ({ key: `${row.entityType}:${row.entity}`, value: JSON.stringify(row) })),
      },
      { topic: config.topics.bySubscriber, records: outputs.bySubscriber },
    ].filter((entry) => entry.records.length > 0);
    if (batches.length > 0) await producer.sendBatch(batches);
    for (const deadLetter of outputs.deadLetters) metrics.rejected.inc({ reason: deadLetter.reason.code });
    metrics.aggregates.inc(outputs.aggregates.length);
    metrics.rekeyed.inc(outputs.bySubscriber.length);
    metrics.late.inc(outputs.late);
    await stage.consumer.commit(batch.topic, batch.partition, nextOffset(batch.lastOffset));
  };

  const run = async (stage: Stage): Promise<void> => {
    // Eager rebalancing hands every partition back; state is rebuilt from what is fetched next.
    const reset = () => stage.partitions.clear();
    await stage.consumer.start({
      onAssigned: reset,
      onRevoked: reset,
      eachBatch: async (batch, context) => {
        const timer = metrics.batchSeconds.startTimer({ topic: stage.name });
        metrics.batchSize.observe({ topic: stage.name }, batch.records.length);
        metrics.records.inc({ topic: stage.name }, batch.records.length);
        metrics.lag.set({ topic: stage.topic, partition: String(batch.partition) }, Number(batch.offsetLag));
        let partition = stage.partitions.get(batch.partition);
        if (partition === undefined) {
          partition = new PartitionScorer({ config: detection, numbering, instance: config.instance, stage: stage.name });
          stage.partitions.set(batch.partition, partition);
        }
        const outputs = partition.score(batch.records, Date.now());
        await context.heartbeat();
        await publish(stage, batch, outputs);
        timer();
      },
    });
    readiness.set(`${stage.name}-stage`, true);
  };
  await Promise.all(stages.map(run));
  logger.info({ stages: stages.map((s) => ({ stage: s.name, topic: s.topic, group: s.groupId })) }, 'scorer running');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      readiness.shutdown();
      for (const stage of stages) await stage.consumer.drain();
      for (const stage of stages) await stage.consumer.disconnect();
      await producer.disconnect();
      await health.close();
      logger.info('scorer stopped');
    })();
    return stopping;
  };
  return { health, registry, readiness, stop };
}
