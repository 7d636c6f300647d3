import { Detector, type DetectionConfig, RecordScorer, type VelocityHit, VelocityHitSchema } from '@gtwatch/detection';
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
  /** Velocity findings, re-keyed by source for the source stage's alert book (subscriber stage only). */
  velocityHits: OutgoingRecord[];
  /** Velocity-hit records that did not parse (none unless something else writes them). */
  invalidHits: number;
  late: number;
}

/** Header marking a velocity finding among the signalling records (written by the scorer's own subscriber stage). */
export const RECORD_KIND_HEADER = 'gtwatch-kind';
const VELOCITY_HIT = 'velocity-hit';

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
      velocityHits: options.stage === 'subscriber',
    });
    this.#scorer = new RecordScorer(this.#detector);
  }

  get counters() {
    return this.#scorer.counters;
  }

  #velocityHit(value: Buffer, outputs: BatchOutputs): void {
    let parsed: ReturnType<typeof VelocityHitSchema.safeParse>;
    try {
      parsed = VelocityHitSchema.safeParse(JSON.parse(value.toString('utf8')));
    } catch {
      outputs.invalidHits++;
      return;
    }
    if (!parsed.success) {
      outputs.invalidHits++;
      return;
    }
    outputs.alerts.push(...this.#detector.observeVelocityHit(parsed.data));
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
    const outputs: BatchOutputs = { alerts: [], deadLetters: [], aggregates: [], bySubscriber: [], velocityHits: [], invalidHits: 0, late: 0 };
    const lateBefore = this.#detector.stats.late;
    let latestEventTime = Number.NEGATIVE_INFINITY;
    // One origin function for the whole batch (the scorer calls it at once, and only for a dead letter).
    let current: ConsumedRecord | undefined;
    const origin = () => ({ kind: 'kafka' as const, topic: current?.topic ?? '', partition: current?.partition ?? 0, offset: current?.offset ?? '' });
    const source = this.#stage === 'source';
    for (const record of records) {
      if (record.value === null) continue;
      if (record.headers[RECORD_KIND_HEADER] === VELOCITY_HIT) {
        this.#velocityHit(record.value, outputs);
        continue;
      }
      current = record;
      const outcome = this.#scorer.score(record.value, origin, record.timestamp);
      if (outcome.deadLetter) {
        outputs.deadLetters.push(outcome.deadLetter);
        continue;
      }
      const accepted = outcome.record;
      if (accepted && accepted.time > latestEventTime) latestEventTime = accepted.time;
      for (const event of outcome.events) outputs.alerts.push(event);
      if (source && accepted?.subscriber !== undefined && Detector.concernsSubscriberStage(accepted)) {
        outputs.bySubscriber.push({ key: accepted.subscriber, value: record.value, timestamp: record.timestamp });
      }
    }
    // Rows collect in the detector in the order their minutes closed; taking them once per batch keeps that order.
    if (source) outputs.aggregates = [...this.#detector.takeAggregates()];
    for (const hit of this.#detector.takeVelocityHits()) outputs.velocityHits.push(hitRecord(hit));
    outputs.late = this.#detector.stats.late - lateBefore;
    const first = records[0];
    if (first !== undefined && latestEventTime > Number.NEGATIVE_INFINITY) this.#checkpoints.record(first.offset, latestEventTime);
    return outputs;
  }
}

/** A velocity finding as a signalling-topic record, keyed by its source entity like every summary. */
function hitRecord(hit: VelocityHit): OutgoingRecord {
  const { record } = hit;
  const key = record.protocol === 'DIAMETER' ? record.originRealm : record.callingGt;
  return { key: key ?? null, value: JSON.stringify(hit), headers: { [RECORD_KIND_HEADER]: VELOCITY_HIT } };
}
