import type { Contribution } from '../contribution.js';
import { recordContribution } from '../contribution.js';
import type { Observation } from '../observation.js';
import { HOUR_MS, MINUTE_MS } from '../time.js';
import type { RuleContext } from './context.js';

interface LastLocation {
  time: number;
  country: string;
}

/**
 * Impossible travel: the subscriber's previous successful location update came from a country too far away for the
 * time elapsed. Keyed by subscriber, so in the streaming pipeline it runs after re-keying by subscriber.
 */
export class VelocityTracker {
  // Map order is kept oldest-first (updates re-insert), so expiry and the size cap evict from the front.
  readonly #last = new Map<string, LastLocation>();
  readonly #context: RuleContext;

  constructor(context: RuleContext) {
    this.#context = context;
  }

  get subscribers(): number {
    return this.#last.size;
  }

  observe(observation: Observation, subscriberHash: number | null): Contribution | null {
    const subscriber = observation.subscriber;
    if (!observation.locationUpdating || observation.direction !== 'in' || subscriber === undefined) return null;
    const country = observation.sourceCountry;
    if (country === null) return null;
    const previous = this.#last.get(subscriber);
    const hit = previous ? this.#compare(observation, previous, country, subscriberHash) : null;
    if (previous && observation.time < previous.time) return hit;
    // A location update judged impossible must not become the subscriber's trusted location, or the genuine network's
    // next update would be flagged instead of the attacker's.
    if (observation.result === 'ok' && hit === null) {
      this.#last.delete(subscriber);
      this.#last.set(subscriber, { time: observation.time, country });
      if (this.#last.size > this.#context.config.state.maxSubscribers) this.#evictOldest();
    }
    return hit;
  }

  #compare(observation: Observation, previous: LastLocation, country: string, subscriberHash: number | null): Contribution | null {
    const { maxGapHours, minDistanceKm, minSpeedKmh } = this.#context.config.velocity;
    const elapsed = observation.time - previous.time;
    if (elapsed < 0 || elapsed > maxGapHours * HOUR_MS || previous.country === country) return null;
    const distance = this.#context.numbering.distanceKm(previous.country, country);
    if (distance === null || distance <= minDistanceKm) return null;
    const speed = elapsed === 0 ? Number.POSITIVE_INFINITY : distance / (elapsed / HOUR_MS);
    if (speed <= minSpeedKmh) return null;
    return recordContribution(
      'velocity',
      observation,
      {
        previousCountry: previous.country,
        newCountry: country,
        minutesSincePrevious: Math.round(elapsed / MINUTE_MS),
        distanceKm: Math.round(distance),
        speedKmh: Number.isFinite(speed) ? Math.round(speed) : null,
        thresholds: { distanceKm: minDistanceKm, speedKmh: minSpeedKmh, maxGapHours },
      },
      subscriberHash,
    );
  }

  /** Forgets locations older than the velocity horizon; nothing can be compared with them any more. */
  expire(now: number): void {
    const horizon = now - this.#context.config.velocity.maxGapHours * HOUR_MS;
    for (const [subscriber, last] of this.#last) {
      if (last.time >= horizon) break;
      this.#last.delete(subscriber);
    }
  }

  #evictOldest(): void {
    const oldest = this.#last.keys().next();
    if (!oldest.done) this.#last.delete(oldest.value);
  }
}
