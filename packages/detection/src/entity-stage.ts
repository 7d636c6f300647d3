import type { Alert, TrafficAggregate } from '@gtwatch/schema';
import { AlertBook, type EmitterIdentity } from './alert-book.js';
import type { Contribution } from './contribution.js';
import { EntityState, Measure, RING_MINUTES } from './entity.js';
import type { Observation } from './observation.js';
import { MAP_OPS } from './operations.js';
import { category1, category2 } from './patterns/category.js';
import type { RuleContext } from './patterns/context.js';
import { gtLeasing } from './patterns/leasing.js';
import { ingressSwitch, visitedPlmnMismatch, vlrMismatch } from './patterns/spoofing.js';
import { imsiHarvesting, scanning, volumeAnomaly } from './patterns/windowed.js';
import { MINUTE_MS, minuteOf } from './time.js';
import { TrafficRollup } from './traffic-rollup.js';

const NO_AGGREGATES: readonly TrafficAggregate[] = Object.freeze([]);

/** Sweep idle sources every this many closed minutes. */
const SWEEP_EVERY_MINUTES = 5;

export interface EntityStageStats {
  entities: number;
  evicted: number;
  openAlerts: number;
}

/**
 * Every pattern keyed by source entity (all but velocity). In the streaming pipeline one instance runs per input
 * partition: sources are the partition key, so a source's whole state lives here.
 */
export class EntityStage {
  readonly #context: RuleContext;
  readonly #alerts: AlertBook;
  // Insertion order is kept least-recently-active first (re-inserted once per active minute) for cheap eviction.
  readonly #entities = new Map<string, EntityState>();
  /** Sources with traffic in each still-open minute: they are evaluated when the minute closes. */
  readonly #pending = new Map<number, EntityState[]>();
  /** Minutes up to and including this one are closed. */
  #closedThrough = Number.NEGATIVE_INFINITY;
  #evicted = 0;
  #watermark = Number.NEGATIVE_INFINITY;
  readonly #idleMs: number;
  /** Null when the caller does not want traffic aggregates. */
  readonly #rollup: TrafficRollup | null;
  readonly #aggregates: TrafficAggregate[] = [];

  constructor(context: RuleContext, emitter: EmitterIdentity, aggregates: boolean) {
    this.#rollup = aggregates ? new TrafficRollup() : null;
    this.#context = context;
    this.#alerts = new AlertBook(context.config.alerts, emitter, (plmn) => context.numbering.countryOfPlmn(plmn));
    const { imsiHarvesting: imsi, scanning: scan, gtLeasing: leasing, gtSpoofing } = context.config;
    const longest = Math.max(imsi.windowMinutes, scan.windowMinutes, leasing.windowMinutes, gtSpoofing.ingressMinMinutes);
    this.#idleMs = (longest + 1) * MINUTE_MS + context.config.allowedLatenessSeconds * 1000;
  }

  /** Aggregates of the minutes closed since the last call. */
  takeAggregates(): readonly TrafficAggregate[] {
    return this.#aggregates.length === 0 ? NO_AGGREGATES : this.#aggregates.splice(0);
  }

  get stats(): EntityStageStats {
    return { entities: this.#entities.size, evicted: this.#evicted, openAlerts: this.#alerts.openAlerts };
  }

  /** Scores one record; `now` is the stream's event time (the latest record time seen). */
  observe(observation: Observation, subscriberHash: number | null, now: number, events: Alert[]): void {
    if (observation.direction !== 'in') return;
    this.#rollup?.add(observation, this.#minuteFor(observation.time), observation.time < this.#watermark, subscriberHash);
    this.#add(category1(observation, this.#context, subscriberHash), now, events);
    this.#add(category2(observation, this.#context, subscriberHash), now, events);
    this.#add(vlrMismatch(observation, this.#context, subscriberHash), now, events);
    this.#add(visitedPlmnMismatch(observation, subscriberHash), now, events);
    if (observation.interconnect) {
      const entity = this.#entity(observation);
      this.#count(entity, observation, subscriberHash);
      this.#add(ingressSwitch(observation, entity, this.#context, subscriberHash), now, events);
      this.#add(gtLeasing(observation, entity, this.#context, subscriberHash), now, events);
    }
  }

  /** Evidence a rule outside this stage found about one of its sources (velocity hits, re-keyed by source). */
  contribute(contribution: Contribution, now: number, events: Alert[]): void {
    this.#add(contribution, now, events);
  }

  #add(contribution: Contribution | null, now: number, events: Alert[]): void {
    if (contribution !== null) events.push(...this.#alerts.contribute(contribution, now));
  }

  /** Closes every minute that ends at or before the watermark, evaluating the windowed patterns. */
  advance(watermark: number, now: number, events: Alert[]): void {
    this.#watermark = watermark;
    const lastClosable = minuteOf(watermark) - 1;
    if (lastClosable <= this.#closedThrough) return;
    this.#closeThrough(lastClosable, now, events);
  }

  /** End of input: close every open minute and send owed updates. */
  flush(now: number, events: Alert[]): void {
    this.#closeThrough(Number.POSITIVE_INFINITY, now, events);
    events.push(...this.#alerts.flush(now));
  }

  #closeThrough(lastClosable: number, now: number, events: Alert[]): void {
    this.#rollup?.close(lastClosable, this.#aggregates);
    const minutes = [...this.#pending.keys()].filter((minute) => minute <= lastClosable).sort((a, b) => a - b);
    for (const minute of minutes) {
      for (const entity of this.#pending.get(minute) ?? []) this.#evaluate(entity, minute, now, events);
      this.#pending.delete(minute);
    }
    const previous = this.#closedThrough;
    this.#closedThrough = Number.isFinite(lastClosable) ? lastClosable : Math.max(previous, minuteOf(now));
    events.push(...this.#alerts.tick(now));
    if (Math.floor(this.#closedThrough / SWEEP_EVERY_MINUTES) !== Math.floor(previous / SWEEP_EVERY_MINUTES)) {
      this.#sweep(now);
    }
  }

  #evaluate(entity: EntityState, minute: number, now: number, events: Alert[]): void {
    // Only sources with traffic are evaluated, and only they can have grown: expire here, not in a full sweep.
    entity.expire(now, this.#idleMs);
    this.#add(imsiHarvesting(entity, minute, this.#context), now, events);
    this.#add(scanning(entity, minute, this.#context), now, events);
    this.#add(volumeAnomaly(entity, minute, this.#context), now, events);
  }

  #entity(observation: Observation): EntityState {
    let entity = this.#entities.get(observation.entityKey);
    if (entity === undefined) {
      entity = new EntityState(observation);
      this.#entities.set(observation.entityKey, entity);
      if (this.#entities.size > this.#context.config.state.maxEntities) this.#evictOldest();
    }
    entity.latest = observation;
    return entity;
  }

  #count(entity: EntityState, observation: Observation, subscriberHash: number | null): void {
    const { time } = observation;
    const minute = this.#minuteFor(time);
    const amount = observation.count;
    if (entity.count(minute, Measure.Total, amount)) {
      this.#schedule(minute, entity);
      // Keep the entity map ordered by activity: the front is always the longest idle.
      this.#entities.delete(entity.key);
      this.#entities.set(entity.key, entity);
    }
    entity.lastSeen = Math.max(entity.lastSeen, time);
    entity.countOperation(observation, minute, amount);
    if (observation.protocol === 'MAP') {
      if (observation.operation === MAP_OPS.sriForSm) {
        entity.count(minute, Measure.SriSm, amount);
        if (subscriberHash !== null) entity.sriSmSubscribers.add(minute % RING_MINUTES, subscriberHash);
      } else if (observation.operation === MAP_OPS.mtForwardSm) {
        entity.count(minute, Measure.MtForwardSm, amount);
      }
    }
    if (observation.scanningError) entity.count(minute, Measure.ScanningFailures, amount);
    if (subscriberHash !== null) entity.subscribers.add(minute % RING_MINUTES, subscriberHash);
    if (observation.subscriberPlmn) entity.victimPlmns.touch(observation.subscriberPlmn, time);
    entity.reporters.touch(observation.reporter, time);
  }

  /** A record whose minute already closed is late: it counts in the first open minute rather than being dropped. */
  #minuteFor(time: number): number {
    return Math.max(minuteOf(time), this.#closedThrough + 1);
  }

  #schedule(minute: number, entity: EntityState): void {
    const list = this.#pending.get(minute);
    if (list) list.push(entity);
    else this.#pending.set(minute, [entity]);
  }

  /** Drops sources idle longer than any window or baseline needs; their open alerts live on in the alert book. */
  #sweep(now: number): void {
    const horizon = now - this.#idleMs;
    for (const [key, entity] of this.#entities) {
      if (entity.lastSeen >= horizon) break;
      this.#entities.delete(key);
      this.#evicted++;
    }
  }

  #evictOldest(): void {
    const oldest = this.#entities.keys().next();
    if (!oldest.done) {
      this.#entities.delete(oldest.value);
      this.#evicted++;
    }
  }
}
