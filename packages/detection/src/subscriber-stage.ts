import type { Alert } from '@gtwatch/schema';
import { AlertBook, type EmitterIdentity } from './alert-book.js';
import type { Observation } from './observation.js';
import type { RuleContext } from './patterns/context.js';
import { VelocityTracker } from './patterns/velocity.js';
import { minuteOf } from './time.js';

/**
 * Patterns keyed by subscriber (velocity). In the streaming pipeline it runs behind the by-subscriber repartition
 * topic; offline it runs in the same process. Its alerts have their own book so both deployments agree.
 */
export class SubscriberStage {
  readonly #velocity: VelocityTracker;
  readonly #alerts: AlertBook;
  #lastTickMinute = Number.NEGATIVE_INFINITY;

  constructor(context: RuleContext, emitter: EmitterIdentity) {
    this.#velocity = new VelocityTracker(context);
    this.#alerts = new AlertBook(context.config.alerts, emitter, (plmn) => context.numbering.countryOfPlmn(plmn));
  }

  get stats(): { subscribers: number; openAlerts: number } {
    return { subscribers: this.#velocity.subscribers, openAlerts: this.#alerts.openAlerts };
  }

  /** Only location updates with a subscriber concern this stage: the ones to re-key in the pipeline. */
  static wants(observation: Observation): boolean {
    return observation.locationUpdating && observation.record.subscriber !== undefined;
  }

  observe(observation: Observation, subscriberHash: number | null, now: number, events: Alert[]): void {
    const contribution = this.#velocity.observe(observation, subscriberHash);
    if (contribution) events.push(...this.#alerts.contribute(contribution, now));
  }

  advance(now: number, events: Alert[]): void {
    const minute = minuteOf(now);
    if (minute <= this.#lastTickMinute) return;
    this.#lastTickMinute = minute;
    events.push(...this.#alerts.tick(now));
    this.#velocity.expire(now);
  }

  flush(now: number, events: Alert[]): void {
    events.push(...this.#alerts.flush(now));
  }
}
