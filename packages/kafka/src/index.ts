export type { Kafka } from 'kafkajs';
export {
  type AclDiff,
  type AclOperation,
  type AclPatternType,
  type AclResourceType,
  accessPrincipals,
  aclKey,
  CLUSTER_RESOURCE,
  diffAcls,
  type ExistingAcl,
  formatAclTable,
  groupNames,
  isManaged,
  type PlannedAcl,
  planAcls,
} from './acl.js';
export { type AppliedAcls, applyAcls, describeAllAcls } from './acl-admin.js';
export { AlertRefusedError, alertRecord, assertPublishable, CLOUDEVENTS_CONTENT_TYPE, type PublishAlertOptions, publishAlert } from './alerts.js';
export { createKafkaClient, type KafkaClientOptions } from './client.js';
export {
  BatchConsumer,
  type BatchConsumerHandlers,
  type BatchConsumerOptions,
  type BatchConsumerStatus,
  type BatchContext,
  type BatchHandler,
  type CommitEntry,
  type CommittedOffset,
  type ConsumedBatch,
  type PartitionLag,
  type TopicPartitions,
} from './consumer.js';
export { type ConsumerLifecycleCallbacks, type CrashInfo, exitOnFatal, type FatalHandler, isFatalCrash, watchConsumer } from './crash.js';
export { DeadLetterWriter, deadLetterRecord, REASON_HEADER } from './dead-letter.js';
export { isIdempotenceRefused, Producer, type ProducerOptions, type SentRecords, type TopicRecords } from './producer.js';
export { FencedError, type GroupOffsets, TransactionalProducer, type TransactionalProducerOptions } from './transactional-producer.js';
export { isAuthenticationError, KafkaAuthenticationError, kafkajsSecurity } from './security.js';
export { type ConsumedRecord, nextOffset, type OutgoingRecord, type RecordHeaders } from './records.js';
export {
  type Closer,
  type ClosersResult,
  runClosers,
  type ShutdownHandle,
  type ShutdownOptions,
  shutdownOnSignals,
} from './shutdown.js';
export {
  type DefaultTopicOptions,
  defaultTopicSpecs,
  deleteTopics,
  describeTopics,
  ensureTopics,
  matchingTopics,
  missingTopics,
  type TopicDescription,
  type TopicSpec,
} from './topics.js';
