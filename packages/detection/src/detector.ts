import type { Numbering } from '@gtwatch/numbering';
import type { Alert, SignallingSummary, TrafficAggregate } from '@gtwatch/schema';
import type { EmitterIdentity } from './alert-book.js';
import type { DetectionConfig } from './config.js';
import { EntityStage } from './entity-stage.js';
import { Enricher } from './observation.js';
import { isLocationUpdating } from './operations.js';
import type { RuleContext } from './patterns/context.js';
import { murmur3 } from './sketch/hash.js';
import { recordContribution } from './contribution.js';
import { SubscriberStage } from './subscriber-stage.js';
import type { VelocityHit } from './velocity-hit.js';

const NO_EVENTS: readonly Alert[] = Object.freeze([]);

export interface DetectorOptions {
  config: DetectionConfig;
  numbering: Numbering;
  emitter: EmitterIdentity;
  /** Also roll inbound traffic up per minute × reporter × source × operation (see `takeAggregates`). */
  aggregates?: boolean;
  /**
   * Which stages run. Offline both do; the streaming scorer runs the source-keyed stage on the input partitions
   * and the subscriber-keyed stage (velocity) behind the by-subscriber repartition topic. Default: both.
   */
  stages?: { source: boolean; subscriber: boolean };
  /**
   * The subscriber stage hands its velocity findings out (`takeVelocityHits`) instead of keeping alerts itself, for
   * the source stage of the same source to own them (`observeVelocityHit`). The streaming scorer does this, because
   * its subscriber stage is split over partitions; offline one book per stage suffices. Default false.
   */
  velocityHits?: boolean;
}

export interface DetectorStats {
  records: number;
  /** Records older than the watermark (stream time minus allowed lateness): scored, and counted here. */
  late: number;
  entities: number;
  evictedEntities: number;
  subscribers: number;
  /** Location updates waiting in the subscriber stage's reorder window for the watermark to pass them. */
  pendingLocationUpdates: number;
  openAlerts: number;
}

/**
 * The whole detection core for one ordered stream: pure and deterministic. Time is the records' event time only,
 * so the same records in the same order give the same alerts, offline and in the services.
 */
export class Detector {
  readonly #enricher: Enricher;
  readonly #latenessMs: number;
  readonly #entities: EntityStage | null;
  readonly #subscribers: SubscriberStage | null;
  /** Reused for every record: most records cause no event, so nothing is allocated for them. */
  readonly #events: Alert[] = [];
  readonly #hits: VelocityHit[] | null;
  #now = Number.NEGATIVE_INFINITY;
  #records = 0;
  #late = 0;

  constructor(options: DetectorOptions) {
    const context: RuleContext = { config: options.config, numbering: options.numbering };
    this.#enricher = new Enricher(options.numbering);
    this.#latenessMs = options.config.allowedLatenessSeconds * 1000;
    const stages = options.stages ?? { source: true, subscriber: true };
    this.#entities = stages.source ? new EntityStage(context, options.emitter, options.aggregates ?? false) : null;
    this.#hits = options.velocityHits === true ? [] : null;
    this.#subscribers = stages.subscriber ? new SubscriberStage(context, options.emitter, this.#hits) : null;
  }

  /** Scores one validated record and returns the alert events it causes, in order. */
  process(record: SignallingSummary): readonly Alert[] {
    const events = this.#events;
    this.#records++;
    const time = record.time;
    if (time > this.#now) this.#now = time;
    const watermark = this.#now - this.#latenessMs;
    if (time < watermark) this.#late++;
    this.#entities?.advance(watermark, this.#now, events);
    this.#subscribers?.advance(this.#now, events);
    // Every pattern of both stages judges inbound traffic only, so an outbound record (a quarter of a typical feed)
    // only moves stream time: it is neither enriched nor hashed nor queued for the velocity stage.
    if (record.direction === 'in') {
      const observation = this.#enricher.observe(record);
      const subscriber = observation.subscriber;
      const subscriberHash = subscriber === undefined ? null : murmur3(subscriber);
      this.#entities?.observe(observation, subscriberHash, this.#now, events);
      if (this.#subscribers && SubscriberStage.wants(observation)) {
        this.#subscribers.observe(observation, subscriberHash, this.#now, events);
      }
    }
    return events.length === 0 ? NO_EVENTS : events.splice(0);
  }

  /** End of input: evaluates the windows still open and sends owed updates. Open alerts stay open. */
  flush(): Alert[] {
    const events: Alert[] = [];
    if (this.#records === 0) return events;
    this.#entities?.flush(this.#now, events);
    this.#subscribers?.flush(this.#now, events);
    return events;
  }

  /** Velocity findings since the last call, for the source stage (`velocityHits` mode); empty otherwise. */
  takeVelocityHits(): VelocityHit[] {
    return this.#hits === null ? [] : this.#hits.splice(0);
  }

  /**
   * A velocity finding of the subscriber stage about a source this (source) stage owns: it joins the source's alert
   * book. It does not move this stream's time (its records alone do, so windows close exactly as without hits); an
   * event it causes is stamped with the later of stream time and the finding's time.
   */
  observeVelocityHit(hit: VelocityHit): readonly Alert[] {
    if (this.#entities === null) throw new Error('observeVelocityHit needs the source stage');
    const observation = this.#enricher.observe(hit.record);
    const events: Alert[] = [];
    const contribution = recordContribution('velocity', observation, hit.evidence, hit.subscriberHash);
    this.#entities.contribute(contribution, Math.max(this.#now, observation.time), events);
    return events;
  }

  /** Traffic aggregates of the minutes closed so far and not yet taken; empty unless enabled. */
  takeAggregates(): readonly TrafficAggregate[] {
    return this.#entities?.takeAggregates() ?? [];
  }

  /** Whether the subscriber-keyed stage needs this record: the streaming scorer re-keys exactly these by subscriber. */
  static concernsSubscriberStage(record: SignallingSummary): boolean {
    return record.subscriber !== undefined && isLocationUpdating(record);
  }

  get stats(): DetectorStats {
    const entities = this.#entities?.stats;
    const subscribers = this.#subscribers?.stats;
    return {
      records: this.#records,
      late: this.#late,
      entities: entities?.entities ?? 0,
      evictedEntities: entities?.evicted ?? 0,
      subscribers: subscribers?.subscribers ?? 0,
      pendingLocationUpdates: subscribers?.pending ?? 0,
      openAlerts: (entities?.openAlerts ?? 0) + (subscribers?.openAlerts ?? 0),
    };
  }
}
