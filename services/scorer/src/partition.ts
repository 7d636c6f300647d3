import { Detector, type DetectionConfig, RecordScorer } from '@gtwatch/detection';
import type { ConsumedRecord, OutgoingRecord } from '@gtwatch/kafka';
import type { Numbering } from '@gtwatch/numbering';
import type { Alert, DeadLetter, TrafficAggregate } from '@gtwatch/schema';
import { ReplayCheckpoints } from './replay.js';

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
  /** Event-time span of this stage's state (`stateHorizonMs`): what a new owner replays. */
  horizonMs: number;
}

/**
 * The detection state of one owned input partition: the same RecordScorer and Detector `gtwatch score` runs, fed
 * this partition's records in offset order. Sources are the input key, so a source's whole state is here.
 */
export class PartitionScorer {
  readonly #scorer: RecordScorer;
  readonly #detector: Detector;
  readonly #stage: PartitionOptions['stage'];
  readonly #checkpoints: ReplayCheckpoints;

  constructor(options: PartitionOptions) {
    this.#stage = options.stage;
    this.#checkpoints = new ReplayCheckpoints(options.horizonMs);
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

  /** Where a new owner must start replaying so that its state at `resumeOffset` equals this one's. */
  replayFrom(resumeOffset: string): string {
    return this.#checkpoints.replayFrom(resumeOffset);
  }

  /**
   * Scores records in offset order. The "now" that bounds future timestamps is each record's Kafka timestamp, not
   * the processor's clock, so a replay judges every record exactly as the first run did.
   */
  score(records: readonly ConsumedRecord[]): BatchOutputs {
    const outputs: BatchOutputs = { alerts: [], deadLetters: [], aggregates: [], bySubscriber: [], late: 0 };
    const lateBefore = this.#detector.stats.late;
    let latestEventTime = Number.NEGATIVE_INFINITY;
    for (const record of records) {
      if (record.value === null) continue;
      const outcome = this.#scorer.score(
        record.value,
        () => ({ kind: 'kafka', topic: record.topic, partition: record.partition, offset: record.offset }),
        record.timestamp,
      );
      if (outcome.deadLetter) {
        outputs.deadLetters.push(outcome.deadLetter);
        continue;
      }
      if (outcome.record && outcome.record.time > latestEventTime) latestEventTime = outcome.record.time;
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
    const first = records[0];
    if (first !== undefined && latestEventTime > Number.NEGATIVE_INFINITY) this.#checkpoints.record(first.offset, latestEventTime);
    return outputs;
  }
}
