/**
 * Alerts as CloudEvents in structured mode (alert-v1.md): the value is the whole event as JSON with content type
 * `application/cloudevents+json`, the key is `data.alertId` (so an alert's opened/updated/resolved events stay in
 * order on one partition and a compacted topic keeps its latest state), and the headers repeat the attributes
 * consumers filter on. Header names follow the alert-v1 contract (`ce_` prefix, as the CloudEvents Kafka binding's
 * binary mode names them), which is harmless in structured mode and lets a consumer route without parsing.
 */
import type { Alert, TlpLabel } from '@gtwatch/schema';
import type { Producer, SentRecords } from './producer.js';
import type { OutgoingRecord } from './records.js';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** TLP 2.0, least restrictive first (mirrors @gtwatch/schema's TLP_LABELS without a runtime dependency). */
const TLP_ORDER = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const satisfies readonly TlpLabel[];

export interface PublishAlertOptions {
  /**
   * The topic's configured minimum label: an alert labelled less restrictively is refused (alert-v1.md: the
   * publisher never lowers a label and refuses to write below the topic's minimum).
   */
  minimumTlp?: TlpLabel;
}

export class AlertRefusedError extends Error {
  override readonly name = 'AlertRefusedError';
}

export function alertRecord(alert: Alert): OutgoingRecord {
  return {
    key: alert.data.alertId,
    value: JSON.stringify(alert),
    headers: {
      ce_specversion: alert.specversion,
      ce_id: alert.id,
      ce_source: alert.source,
      ce_type: alert.type,
      ce_subject: alert.subject,
      ce_tlp: alert.tlp,
      'content-type': CLOUDEVENTS_CONTENT_TYPE,
    },
  };
}

/** Throws AlertRefusedError when `alert` may not go to a topic with this policy. */
export function assertPublishable(alert: Alert, options: PublishAlertOptions = {}): void {
  // alert-v1.md: a red event is never written to a shared or per-jurisdiction topic, and those are all alert topics.
  if (alert.tlp === 'red') throw new AlertRefusedError(`alert ${alert.id} is TLP:RED and is never published`);
  const rank = TLP_ORDER.indexOf(alert.tlp);
  if (rank < 0) throw new AlertRefusedError(`alert ${alert.id} has an unknown TLP label "${String(alert.tlp)}"`);
  if (options.minimumTlp !== undefined && rank < TLP_ORDER.indexOf(options.minimumTlp)) {
    throw new AlertRefusedError(`alert ${alert.id} is TLP:${alert.tlp.toUpperCase()}, below the topic's minimum ${options.minimumTlp.toUpperCase()}`);
  }
}

/** Publishes one alert event (after the TLP checks) and resolves once the in-sync replicas have it. */
export async function publishAlert(
  producer: Producer,
  topic: string,
  alert: Alert,
  options: PublishAlertOptions = {},
): Promise<SentRecords[]> {
  assertPublishable(alert, options);
  return producer.send(topic, [alertRecord(alert)]);
}
