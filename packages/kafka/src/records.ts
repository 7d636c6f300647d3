/**
 * Plain record shapes at the package boundary: services see these, never kafkajs' own message types, so the
 * client library can be replaced behind this package without touching them.
 */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Header values as strings (UTF-8). Kafka allows repeated header names; the last value wins, as Java's `lastHeader`. */
export type RecordHeaders = Readonly<Record<string, string>>;

/** One consumed record, detached from kafkajs. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  /** 64-bit offset as a decimal string (offsets can exceed 2^53). */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  /** Record timestamp in epoch milliseconds (CreateTime unless the topic uses LogAppendTime). */
  timestamp: number;
}

/** One record to produce. Strings are written as UTF-8. */
export interface OutgoingRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: RecordHeaders;
  /** Explicit partition; normally omitted so the key picks it (murmur2, the Java client's partitioner). */
  partition?: number;
  /** Epoch milliseconds; the broker's producer-side CreateTime defaults to now. */
  timestamp?: number;
}

function headerText(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** kafkajs headers (Buffers, arrays for repeated names, possibly undefined) → a plain string map. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // for…in rather than Object.entries: this runs for every consumed record, and most have no headers at all.
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const last = value[value.length - 1];
      if (last !== undefined) out[name] = headerText(last);
    } else {
      out[name] = headerText(value);
    }
  }
  return out;
}

/** A kafkajs message of a fetched batch → a plain record. */
export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/** A plain outgoing record → the kafkajs message. Header values must be strings: fail early otherwise. */
export function toKafkaMessage(record: OutgoingRecord): Message {
  const message: Message = { value: record.value, key: record.key ?? null };
  if (record.headers) {
    const headers: IHeaders = {};
    for (const [name, value] of Object.entries(record.headers)) {
      if (typeof value !== 'string') throw new TypeError(`header "${name}" must be a string`);
      headers[name] = value;
    }
    message.headers = headers;
  }
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
  return message;
}

/** The offset after `offset`: what to commit once `offset` is durably handled. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
