export type { Kafka } from 'kafkajs';
export { createKafkaClient, type KafkaClientOptions } from './client.js';
export { deleteTopics, ensureTopics, type TopicSpec } from './topics.js';
