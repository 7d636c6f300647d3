import { Detector, type DetectionConfig, RecordScorer } from '@gtwatch/detection';
import type { ConsumedRecord, OutgoingRecord } from '@gtwatch/kafka';
import type { Numbering } from '@gtwatch/numbering';
import type { Alert, DeadLetter, TrafficAggregate } from '@gtwatch/schema';

/** What one consumed batch produces; everything is published before the batch's offsets are committed. */
export interface BatchOutputs {
  alerts: Alert[];
  deadLetters: DeadLetter[];
  aggregates: TrafficAggregate[];
  /** Location updates to re-key by subscriber for the velocity stage (source stage only). */
  bySubscriber: OutgoingRecord[];
  late: number;
}

export interface PartitionOptions {
  config: DetectionConfig;
  numbering: Numbering;
  instance: string;
  stage: 'source' | 'subscriber';
}

/**
 * The detection state of one owned input partition: the same RecordScorer and Detector `gtwatch score` runs, fed
 * this partition's records in offset order. Sources are the input key, so a source's whole state is here.
 */
export class PartitionScorer {
  readonly #scorer: RecordScorer;
  readonly #detector: Detector;
  readonly #stage: PartitionOptions['stage'];

  constructor(options: PartitionOptions) {
    this.#stage = options.stage;
    this.#detector = new Detector({
      config: options.config,
      numbering: options.numbering,
      emitter: { service: 'scorer', instance: options.instance },
      aggregates: options.stage === 'source',
      stages: { source: options.stage === 'source', subscriber: options.stage === 'subscriber' },
    });
    this.#scorer = new RecordScorer(this.#detector);
  }

  get counters() {
    return this.#scorer.counters;
  }

  /** Scores records in offset order. `nowMs` is the processor clock, used only to reject future timestamps. */
  score(records: readonly ConsumedRecord[], nowMs: number): BatchOutputs {
    const outputs: BatchOutputs = { alerts: [], deadLetters: [], aggregates: [], bySubscriber: [], late: 0 };
    const lateBefore = this.#detector.stats.late;
    for (const record of records) {
      if (record.value === null) continue;
      const outcome = this.#scorer.score(
        record.value,
        () => ({ kind: 'kafka', topic: record.topic, partition: record.partition, offset: record.offset }),
        nowMs,
      );
      if (outcome.deadLetter) {
        outputs.deadLetters.push(outcome.deadLetter);
        continue;
      }
      outputs.alerts.push(...outcome.events);
      if (this.#stage === 'source') {
        for (const row of this.#detector.takeAggregates()) outputs.aggregates.push(row);
        const accepted = outcome.record;
        if (accepted?.subscriber !== undefined && Detector.concernsSubscriberStage(accepted)) {
          outputs.bySubscriber.push({ key: accepted.subscriber, value: record.value, timestamp: record.timestamp });
        }
      }
    }
    outputs.late = this.#detector.stats.late - lateBefore;
    return outputs;
  }
}
