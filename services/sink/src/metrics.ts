import type { PartitionLag } from '@gtwatch/kafka';
import { Counter, Gauge, Histogram, type Registry } from '@gtwatch/observability';

/**
 * The sink's Prometheus metrics. Rates ("records/s in and out") are PromQL over the counters:
 * `rate(gtwatch_sink_records_consumed_total[1m])` in, `rate(gtwatch_sink_rows_written_total[1m])` out.
 */
export interface SinkMetrics {
  consumed: Counter<'topic'>;
  invalid: Counter<'topic' | 'reason'>;
  rowsWritten: Counter<'table'>;
  batchRows: Histogram<'table'>;
  insertSeconds: Histogram<'table'>;
  insertFailures: Counter<'table' | 'outcome'>;
  buffered: Gauge<'table'>;
  paused: Gauge<'topic'>;
  clickhouseUp: Gauge;
  commits: Counter<'result'>;
  staleAcks: Counter;
  lag: Gauge<'topic' | 'partition'>;
  rollups: Counter<'result'>;
  rollupSeconds: Histogram;
  rollupPending: Gauge;
}

export const METRIC_NAMES = [
  'gtwatch_sink_records_consumed_total',
  'gtwatch_sink_records_invalid_total',
  'gtwatch_sink_rows_written_total',
  'gtwatch_sink_batch_rows',
  'gtwatch_sink_insert_duration_seconds',
  'gtwatch_sink_insert_failures_total',
  'gtwatch_sink_buffered_rows',
  'gtwatch_sink_paused',
  'gtwatch_sink_clickhouse_up',
  'gtwatch_sink_offset_commits_total',
  'gtwatch_sink_stale_acks_total',
  'gtwatch_sink_consumer_lag',
  'gtwatch_sink_rollups_total',
  'gtwatch_sink_rollup_duration_seconds',
  'gtwatch_sink_rollup_pending_hours',
] as const;

/** `lag` is read at scrape time from the consumer (per partition, as of each partition's latest batch). */
export function createSinkMetrics(registry: Registry, lag: () => readonly PartitionLag[]): SinkMetrics {
  const registers = [registry];
  return {
    consumed: new Counter({
      name: 'gtwatch_sink_records_consumed_total',
      help: 'Kafka records handed to the sink, valid or not, by topic',
      labelNames: ['topic'],
      registers,
    }),
    invalid: new Counter({
      name: 'gtwatch_sink_records_invalid_total',
      help: 'Records (or rows of an aggregate batch) skipped because they are empty, not JSON, break the contract, or cannot be stored (reason)',
      labelNames: ['topic', 'reason'],
      registers,
    }),
    rowsWritten: new Counter({
      name: 'gtwatch_sink_rows_written_total',
      help: 'Rows acknowledged by ClickHouse, by table',
      labelNames: ['table'],
      registers,
    }),
    batchRows: new Histogram({
      name: 'gtwatch_sink_batch_rows',
      help: 'Rows per acknowledged INSERT, by table',
      labelNames: ['table'],
      buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000],
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'gtwatch_sink_insert_duration_seconds',
      help: 'Duration of each successful ClickHouse INSERT request (one attempt), by table',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    insertFailures: new Counter({
      name: 'gtwatch_sink_insert_failures_total',
      help: 'Failed INSERT attempts, by table; outcome "retrying" (will be retried at once) or "surfaced" (retries used up, rows kept and retried later)',
      labelNames: ['table', 'outcome'],
      registers,
    }),
    buffered: new Gauge({
      name: 'gtwatch_sink_buffered_rows',
      help: 'Rows waiting for a ClickHouse acknowledgement (including an INSERT in flight), by table',
      labelNames: ['table'],
      registers,
    }),
    paused: new Gauge({
      name: 'gtwatch_sink_paused',
      help: '1 while consumption of the topic is paused (writer buffer full or ClickHouse failing)',
      labelNames: ['topic'],
      registers,
    }),
    clickhouseUp: new Gauge({
      name: 'gtwatch_sink_clickhouse_up',
      help: '1 when the last INSERT or ping succeeded, 0 when it failed',
      registers,
    }),
    commits: new Counter({
      name: 'gtwatch_sink_offset_commits_total',
      help: 'Offset commit requests after acknowledged writes, by result (ok | failed)',
      labelNames: ['result'],
      registers,
    }),
    staleAcks: new Counter({
      name: 'gtwatch_sink_stale_acks_total',
      help: 'Acknowledged batches whose partition was revoked meanwhile: written, not committed (re-read by the owner)',
      registers,
    }),
    lag: new Gauge({
      name: 'gtwatch_sink_consumer_lag',
      help: 'Records in the partition after the latest batch the sink received (high watermark − 1 − last offset)',
      labelNames: ['topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const entry of lag()) this.set({ topic: entry.topic, partition: String(entry.partition) }, Number(entry.offsetLag));
      },
    }),
    rollups: new Counter({
      name: 'gtwatch_sink_rollups_total',
      help: 'Hourly rollups of traffic_minute into traffic_hour: result "ok" per hour rolled, "failed" per failed round (its hours stay dirty)',
      labelNames: ['result'],
      registers,
    }),
    rollupSeconds: new Histogram({
      name: 'gtwatch_sink_rollup_duration_seconds',
      help: 'Duration of one hour\'s rollup (INSERT … SELECT … FINAL)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    rollupPending: new Gauge({
      name: 'gtwatch_sink_rollup_pending_hours',
      help: 'Hours written to traffic_minute whose traffic_hour snapshot is not up to date yet (dirty)',
      registers,
    }),
  };
}
