import { Counter, Gauge, Histogram, type Registry } from '@gtwatch/observability';

/** Everything an operator watches on a scorer, registered on the process's registry. */
export function scorerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    records: new Counter({ name: 'gtwatch_scorer_records_total', help: 'Records consumed', labelNames: ['topic'], registers }),
    replayed: new Counter({
      name: 'gtwatch_scorer_replayed_records_total',
      help: 'Records replayed silently to rebuild partition state after an assignment',
      labelNames: ['topic'],
      registers,
    }),
    rejected: new Counter({ name: 'gtwatch_scorer_rejected_total', help: 'Records dead-lettered, by reason', labelNames: ['reason'], registers }),
    late: new Counter({ name: 'gtwatch_scorer_late_records_total', help: 'Records older than the watermark (scored late)', registers }),
    alerts: new Counter({ name: 'gtwatch_scorer_alert_events_total', help: 'Alert events published', labelNames: ['pattern', 'type'], registers }),
    aggregates: new Counter({ name: 'gtwatch_scorer_aggregates_total', help: 'Traffic aggregate rows published', registers }),
    rekeyed: new Counter({ name: 'gtwatch_scorer_rekeyed_total', help: 'Location updates re-keyed by subscriber', registers }),
    batchSeconds: new Histogram({
      name: 'gtwatch_scorer_batch_seconds',
      help: 'Time to score a batch and publish its outputs',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchSize: new Histogram({
      name: 'gtwatch_scorer_batch_records',
      help: 'Records per consumed batch',
      labelNames: ['topic'],
      buckets: [1, 10, 100, 500, 1000, 5000, 10000],
      registers,
    }),
    lag: new Gauge({ name: 'gtwatch_scorer_consumer_lag', help: 'Records behind the partition end', labelNames: ['topic', 'partition'], registers }),
  };
}

export type ScorerMetrics = ReturnType<typeof scorerMetrics>;
