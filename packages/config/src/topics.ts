/** Topic names derived from one prefix, so a test run or a tenant can own a disjoint set of topics. */
export interface TopicNames {
  signalling: string;
  deadLetter: string;
  bySubscriber: string;
  aggregates: string;
  alerts: string;
  alertState: string;
  /** The per-jurisdiction alert topic, e.g. `gtwatch.alerts.v1.gb`. */
  alertsFor(jurisdiction: string): string;
  /** One reporting operator's own input topic, e.g. `gtwatch.signalling.v1.234-15` (PLMN `MCC-MNC`). */
  signallingFor(plmn: string): string;
}

export function topicNames(prefix: string): TopicNames {
  return {
    signalling: `${prefix}.signalling.v1`,
    deadLetter: `${prefix}.signalling.dlq.v1`,
    bySubscriber: `${prefix}.internal.by-subscriber.v1`,
    aggregates: `${prefix}.aggregates.v1`,
    alerts: `${prefix}.alerts.v1`,
    alertState: `${prefix}.alert-state.v1`,
    alertsFor: (jurisdiction) => `${prefix}.alerts.v1.${jurisdiction.toLowerCase()}`,
    signallingFor: (plmn) => `${prefix}.signalling.v1.${plmn}`,
  };
}
