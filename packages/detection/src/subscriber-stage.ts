import type { Alert } from '@gtwatch/schema';
import { AlertBook, type EmitterIdentity } from './alert-book.js';
import type { Observation } from './observation.js';
import type { RuleContext } from './patterns/context.js';
import { VelocityTracker } from './patterns/velocity.js';
import { ReorderBuffer } from './reorder-buffer.js';
import { minuteOf } from './time.js';
import { type VelocityHit, velocityHitOf } from './velocity-hit.js';

/**
 * Patterns keyed by subscriber (velocity). In the streaming pipeline it runs behind the by-subscriber repartition
 * topic; offline it runs in the same process. Its alerts have their own book so both deployments agree.
 */
export class SubscriberStage {
  readonly #velocity: VelocityTracker;
  readonly #alerts: AlertBook;
  readonly #pending = new ReorderBuffer<{ observation: Observation; subscriberHash: number | null }>();
  readonly #latenessMs: number;
  #lastTickMinute = Number.NEGATIVE_INFINITY;
  /** When set, findings are collected here for the source's own alert book instead of this stage's. */
  readonly #hits: VelocityHit[] | null;

  constructor(context: RuleContext, emitter: EmitterIdentity, hits: VelocityHit[] | null = null) {
    this.#hits = hits;
    this.#latenessMs = context.config.allowedLatenessSeconds * 1000;
    this.#velocity = new VelocityTracker(context);
    this.#alerts = new AlertBook(context.config.alerts, emitter, (plmn) => context.numbering.countryOfPlmn(plmn));
  }

  get stats(): { subscribers: number; openAlerts: number; pending: number } {
    return { subscribers: this.#velocity.subscribers, openAlerts: this.#alerts.openAlerts, pending: this.#pending.size };
  }

  /** Only location updates with a subscriber concern this stage: the ones to re-key in the pipeline. */
  static wants(observation: Observation): boolean {
    return observation.locationUpdating && observation.subscriber !== undefined;
  }

  /** Location updates wait until the watermark passes them, then are judged in event-time order. */
  observe(observation: Observation, subscriberHash: number | null, now: number, events: Alert[]): void {
    this.#pending.push(observation.time, { observation, subscriberHash });
    this.#release(now - this.#latenessMs, now, events);
  }

  #release(watermark: number, now: number, events: Alert[]): void {
    const pending = this.#pending;
    // A plain loop, not releaseThrough: this runs for every record, and a callback would be a closure per call.
    while (pending.size > 0 && pending.nextTime() <= watermark) {
      const { observation, subscriberHash } = pending.pop();
      const contribution = this.#velocity.observe(observation, subscriberHash);
      if (contribution === null) continue;
      if (this.#hits !== null) this.#hits.push(velocityHitOf(contribution));
      else events.push(...this.#alerts.contribute(contribution, now));
    }
  }

  advance(now: number, events: Alert[]): void {
    this.#release(now - this.#latenessMs, now, events);
    const minute = minuteOf(now);
    if (minute <= this.#lastTickMinute) return;
    this.#lastTickMinute = minute;
    events.push(...this.#alerts.tick(now));
    this.#velocity.expire(now);
  }

  flush(now: number, events: Alert[]): void {
    this.#release(Number.POSITIVE_INFINITY, now, events);
    events.push(...this.#alerts.flush(now));
  }
}
