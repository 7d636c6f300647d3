/**
 * Alert events → the exact Kafka records to write (alert-v1.md "Topics"): every event to the shared topic, to
 * `alerts.v1.<j>` for each configured j in `data.jurisdictions`, and to the compacted alert-state topic keyed by
 * alertId. Pure: the caller sends the batches (the scorer in the same `sendBatch` as its other output).
 *
 * TLP is enforced per topic, never repaired: an event labelled less restrictively than a topic's floor, or `red`,
 * is refused for that topic and reported — its label is never raised or lowered here, because the label is the
 * producer's judgement and a silently re-labelled alert is worse than a missing one. Alert-state is read as widely
 * as the shared topic, so `red` never goes there either. An event that fails the alert contract (a subscriber
 * count below 10 under TLP clear, a stray field) is refused on every topic: privacy is checked at the door.
 */
import type { TopicNames } from '@gtwatch/config';
import { alertRecord, type OutgoingRecord, type TopicRecords } from '@gtwatch/kafka';
import { type Alert, AlertSchema, type TlpLabel } from '@gtwatch/schema';
import { jurisdictionFloor, type RoutingPolicy } from './policy.js';
import { isBelow } from './tlp.js';

export type RefusalReason = 'red' | 'below-minimum' | 'invalid';

export interface Refusal {
  topic: string;
  alertId: string;
  eventId: string;
  tlp: TlpLabel;
  reason: RefusalReason;
  detail: string;
}

export interface RoutedAlerts {
  /** Non-empty batches only, shaped for `Producer.sendBatch`: shared, then jurisdictions, then alert-state. */
  batches: TopicRecords[];
  refusals: Refusal[];
}

export type AlertTopics = Pick<TopicNames, 'alerts' | 'alertState' | 'alertsFor'>;

interface Target {
  topic: string;
  floor: TlpLabel;
}

function refusalFor(event: Alert, target: Target): Refusal | undefined {
  const base = { topic: target.topic, alertId: event.data.alertId, eventId: event.id, tlp: event.tlp };
  if (event.tlp === 'red') return { ...base, reason: 'red', detail: 'TLP:RED is never written to a shared or jurisdiction topic' };
  if (isBelow(event.tlp, target.floor)) {
    return { ...base, reason: 'below-minimum', detail: `TLP:${event.tlp.toUpperCase()} is below the topic's minimum TLP:${target.floor.toUpperCase()}` };
  }
  return undefined;
}

function contractProblem(event: Alert): string | undefined {
  const parsed = AlertSchema.safeParse(event);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'does not match alert-v1';
}

export function routeAlerts(events: readonly Alert[], policy: RoutingPolicy, topics: AlertTopics): RoutedAlerts {
  const records = new Map<string, OutgoingRecord[]>();
  const order: string[] = [topics.alerts, ...policy.jurisdictions.map((j) => topics.alertsFor(j)), topics.alertState];
  for (const topic of order) records.set(topic, []);
  const refusals: Refusal[] = [];
  const configured = new Set(policy.jurisdictions);

  for (const event of events) {
    const targets: Target[] = [{ topic: topics.alerts, floor: policy.minimumTlp.shared }];
    for (const j of new Set(event.data.jurisdictions)) {
      if (configured.has(j)) targets.push({ topic: topics.alertsFor(j), floor: jurisdictionFloor(policy, j) });
    }
    targets.push({ topic: topics.alertState, floor: policy.minimumTlp.state });

    const problem = contractProblem(event);
    if (problem !== undefined) {
      for (const target of targets) {
        refusals.push({ topic: target.topic, alertId: event.data?.alertId ?? '', eventId: event.id, tlp: event.tlp, reason: 'invalid', detail: problem });
      }
      continue;
    }
    const record = alertRecord(event);
    for (const target of targets) {
      const refusal = refusalFor(event, target);
      if (refusal) refusals.push(refusal);
      else records.get(target.topic)?.push(record);
    }
  }
  const batches = order.flatMap((topic) => {
    const list = records.get(topic) ?? [];
    return list.length > 0 ? [{ topic, records: list }] : [];
  });
  return { batches, refusals };
}
