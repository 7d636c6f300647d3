import { Counter, type Logger, type Registry } from '@gtwatch/observability';
import type { Refusal } from './routing.js';

export type RefusalCounter = Counter<'topic' | 'reason'>;

/** `gtwatch_alert_refusals_total{topic, reason}`: a regulator missing an alert should show up on a dashboard. */
export function createRefusalCounter(registry: Registry): RefusalCounter {
  return new Counter({
    name: 'gtwatch_alert_refusals_total',
    help: 'Alert events the publisher refused to write to a topic (TLP below the topic minimum, red, or not alert-v1)',
    labelNames: ['topic', 'reason'],
    registers: [registry],
  });
}

/** Counts every refusal and logs each once, with ids only (never the event, which may be more sensitive than the log). */
export function reportRefusals(refusals: readonly Refusal[], sinks: { counter?: RefusalCounter; logger?: Logger }): void {
  for (const refusal of refusals) {
    sinks.counter?.inc({ topic: refusal.topic, reason: refusal.reason });
    sinks.logger?.warn(
      { topic: refusal.topic, alertId: refusal.alertId, eventId: refusal.eventId, tlp: refusal.tlp, reason: refusal.reason },
      `alert event refused: ${refusal.detail}`,
    );
  }
}
