import type { ConsumedRecord, OutgoingRecord } from '@gtwatch/kafka';
import { type DeadLetter, parseSummary, reporterMismatch, toDeadLetter } from '@gtwatch/schema';

/** What one batch of an operator's own input topic turns into. */
export interface IngressOutputs {
  /** Valid records of that operator, for the shared signalling topic, keyed by source entity. */
  forward: OutgoingRecord[];
  /** Invalid records, and valid ones naming another operator (`reporter-mismatch`). */
  deadLetters: DeadLetter[];
}

const PLMN = /^\d{3}-\d{2,3}$/;

/** The operator whose input topic this is (`<signalling>.<MCC-MNC>`), or null for any other topic. */
export function reporterOfTopic(signallingTopic: string, topic: string): string | null {
  if (!topic.startsWith(`${signallingTopic}.`)) return null;
  const plmn = topic.slice(signallingTopic.length + 1);
  return PLMN.test(plmn) ? plmn : null;
}

/** The regular expression that subscribes to every operator's input topic, and nothing else. */
export function reporterTopicPattern(signallingTopic: string): RegExp {
  return new RegExp(`^${signallingTopic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{3}-\\d{2,3}$`);
}

/**
 * Per-reporter input: each operator writes only its own topic (its Kafka ACL allows nothing else), and a record
 * there must also *name* that operator, so one operator can never put traffic in another's name into the shared
 * stream. Valid records go on to the shared signalling topic, keyed by source entity like every producer keys them,
 * so a source's records from every operator meet in one partition of the source stage.
 */
export function routeReporterRecords(signallingTopic: string, records: readonly ConsumedRecord[]): IngressOutputs {
  const outputs: IngressOutputs = { forward: [], deadLetters: [] };
  for (const record of records) {
    if (record.value === null) continue;
    const topicReporter = reporterOfTopic(signallingTopic, record.topic);
    const source = { kind: 'kafka' as const, topic: record.topic, partition: record.partition, offset: record.offset };
    const parsed = parseSummary(record.value, { nowMs: record.timestamp });
    if (!parsed.ok) {
      outputs.deadLetters.push(toDeadLetter(parsed.rejection, source));
      continue;
    }
    const mismatch = topicReporter === null ? null : reporterMismatch(parsed.record, record.value, topicReporter);
    if (mismatch !== null) {
      outputs.deadLetters.push(toDeadLetter(mismatch, source));
      continue;
    }
    const summary = parsed.record;
    const key = summary.protocol === 'DIAMETER' ? summary.originRealm : summary.callingGt;
    outputs.forward.push({ key: key ?? null, value: record.value, timestamp: record.timestamp, headers: { 'gtwatch-ingress': record.topic } });
  }
  return outputs;
}
