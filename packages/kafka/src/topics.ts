import type { TopicNames } from '@gtwatch/config';
import type { ConfigResourceTypes, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor?: number;
  /** Broker topic configs, e.g. `{ 'cleanup.policy': 'compact', 'retention.ms': '604800000' }`. */
  configs?: Readonly<Record<string, string>>;
}

/**
 * Creates the topics that do not exist yet and leaves existing ones alone (never shrinks or reconfigures a live
 * topic). Returns the names it created.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor ?? 1,
        configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics, ignoring ones already gone; used by test teardown and `gtwatch topics delete`. */
export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}

export interface TopicDescription {
  topic: string;
  partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[];
  replicationFactor: number;
  /** Every config the broker reports for the topic (sensitive values are null). */
  configs: Record<string, string | null>;
  /** The configs set on the topic itself (what `ensureTopics` passed), not inherited from the broker. */
  overrides: Record<string, string | null>;
}

/** kafkajs' ConfigResourceTypes.TOPIC / ConfigSource.TOPIC_CONFIG (enums kafkajs does not export to ESM by name). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const TOPIC_CONFIG_SOURCE = 1;

/**
 * The topics among `topics` that do not exist (or that this client may not even describe). A service checks its
 * inputs and outputs with this at startup: a producer would otherwise retry a missing topic for ever.
 */
export async function missingTopics(kafka: Kafka, topics: readonly string[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return topics.filter((topic) => !existing.has(topic));
  } finally {
    await admin.disconnect();
  }
}

/** The existing topics whose names match `pattern` (that this client may describe), sorted. */
export async function matchingTopics(kafka: Kafka, pattern: RegExp): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => pattern.test(topic)).sort();
  } finally {
    await admin.disconnect();
  }
}

/** Partitions (leader, replicas, ISR) and configs of existing topics; fails for a topic that does not exist. */
export async function describeTopics(kafka: Kafka, topics: readonly string[]): Promise<TopicDescription[]> {
  if (topics.length === 0) return [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: TOPIC_RESOURCE, name })),
    });
    const configsByTopic = new Map(described.resources.map((resource) => [resource.resourceName, resource.configEntries]));
    return topics.map((topic) => {
      const meta = metadata.topics.find((t) => t.name === topic);
      if (!meta) throw new Error(`topic ${topic} does not exist`);
      const partitions = meta.partitions
        .map(({ partitionId, leader, replicas, isr }) => ({ partition: partitionId, leader, replicas: [...replicas], isr: [...isr] }))
        .sort((a, b) => a.partition - b.partition);
      const configs: Record<string, string | null> = {};
      const overrides: Record<string, string | null> = {};
      for (const entry of configsByTopic.get(topic) ?? []) {
        configs[entry.configName] = entry.configValue;
        if (entry.configSource === TOPIC_CONFIG_SOURCE) overrides[entry.configName] = entry.configValue;
      }
      return { topic, partitions, replicationFactor: partitions[0]?.replicas.length ?? 0, configs, overrides };
    });
  } finally {
    await admin.disconnect();
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DefaultTopicOptions {
  /** Partitions of the signalling input (and of the topics co-partitioned with it). Default 12. */
  signallingPartitions?: number;
  /** Default 1 (the local single broker); use 3 in production. */
  replicationFactor?: number;
  /** Also create `alerts.v1.<jurisdiction>` for these (lower-case ISO alpha-2). */
  jurisdictions?: readonly string[];
  /** Also create each operator's own input topic `signalling.v1.<MCC-MNC>` (partitioned like the shared one). */
  reporters?: readonly string[];
}

/**
 * The project's topics with their partition counts and configs.
 *
 * - signalling: keyed by source entity; 12 partitions by default (the scorer group scales up to that many members);
 *   7 days, which bounds how far a replay-recovering scorer can fall behind. Each operator's own input topic
 *   (`signalling.v1.<MCC-MNC>`, optional) is partitioned and kept the same way.
 * - dlq: 7 days (the contract), 3 partitions: low volume, keyed by reporter.
 * - by-subscriber: the repartition topic for velocity, 12 partitions, 3 days (internal, only needed for replay).
 * - aggregates: 12 partitions, 7 days; the sink makes them durable in ClickHouse.
 * - alerts (+ per jurisdiction): 6 partitions keyed by alert id, 30 days for regulators' consumers.
 * - alert-state: compacted, keyed by alert id: the latest lifecycle state of every alert (replay-safe publishing).
 * `min.insync.replicas` is set only when replicated (2 from 3 replicas up, else 1); with one replica it would be
 * meaningless and with min.insync = replicas one broker restart would stop all writes.
 */
export function defaultTopicSpecs(names: TopicNames, options: DefaultTopicOptions = {}): TopicSpec[] {
  const signallingPartitions = options.signallingPartitions ?? 12;
  const replicationFactor = options.replicationFactor ?? 1;
  if (!Number.isInteger(signallingPartitions) || signallingPartitions < 1) {
    throw new RangeError(`signallingPartitions must be a positive integer, not ${signallingPartitions}`);
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new RangeError(`replicationFactor must be a positive integer, not ${replicationFactor}`);
  }
  const replicated: Record<string, string> =
    replicationFactor > 1 ? { 'min.insync.replicas': String(Math.min(2, replicationFactor - 1)) } : {};
  const deleteAfter = (ms: number): Record<string, string> => ({
    'cleanup.policy': 'delete',
    'retention.ms': String(ms),
    ...replicated,
  });
  const spec = (topic: string, partitions: number, configs: Record<string, string>): TopicSpec => ({
    topic,
    partitions,
    replicationFactor,
    configs,
  });
  const alertConfigs = deleteAfter(30 * DAY_MS);
  return [
    spec(names.signalling, signallingPartitions, deleteAfter(7 * DAY_MS)),
    ...(options.reporters ?? []).map((plmn) => spec(names.signallingFor(plmn), signallingPartitions, deleteAfter(7 * DAY_MS))),
    spec(names.deadLetter, 3, deleteAfter(7 * DAY_MS)),
    spec(names.bySubscriber, 12, deleteAfter(3 * DAY_MS)),
    spec(names.aggregates, 12, deleteAfter(7 * DAY_MS)),
    spec(names.alerts, 6, alertConfigs),
    ...(options.jurisdictions ?? []).map((j) => spec(names.alertsFor(j), 6, alertConfigs)),
    spec(names.alertState, 6, {
      'cleanup.policy': 'compact',
      // Keep a tombstone (a resolved alert deleted from state) long enough for every consumer to see it.
      'delete.retention.ms': String(DAY_MS),
      'min.compaction.lag.ms': String(HOUR_MS),
      ...replicated,
    }),
  ];
}
