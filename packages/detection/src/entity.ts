import type { Observation } from './observation.js';
import { operationKey } from './operations.js';
import { RecencyMap } from './recency.js';
import { SlotHashes } from './slot-hashes.js';
import { MINUTE_MS, minuteOf } from './time.js';

/** Minutes of per-minute counters kept per source: the longest pane-based window (imsi-harvesting, 15) plus slack. */
export const RING_MINUTES = 16;

/** Per-minute counters, one row per minute slot, one column per measure. */
export const Measure = {
  Total: 0,
  SriSm: 1,
  MtForwardSm: 2,
  ScanningFailures: 3,
} as const;
export type Measure = (typeof Measure)[keyof typeof Measure];
const MEASURES = 4;

export interface OperationCounter {
  readonly protocol: Observation['protocol'];
  readonly operation: number;
  readonly slots: Int32Array;
}

/**
 * Everything remembered about one source entity. Counters are fixed-size typed arrays, distinct sets are bounded
 * recency maps, so memory per source is bounded whatever it sends.
 */
export class EntityState {
  readonly key: string;
  /** The latest observation: the source's identity and enrichment for the alerts it raises. */
  latest: Observation;
  lastSeen: number;
  readonly firstMinute: number;

  readonly #slotMinute = new Float64Array(RING_MINUTES).fill(-1);
  readonly #counts = new Int32Array(RING_MINUTES * MEASURES);
  /** Keyed by `operationKey`: a number, so no string is built per record. */
  readonly operations = new Map<number, OperationCounter>();
  // A source mostly repeats one operation: the last counter used is tried before the map.
  #lastOperationKey = -1;
  #lastOperation: OperationCounter | null = null;
  /** Subscriber hashes per minute: every transaction's, and SRI-SM targets' alone (imsi-harvesting). */
  readonly subscribers = new SlotHashes(RING_MINUTES);
  readonly sriSmSubscribers = new SlotHashes(RING_MINUTES);
  readonly victimPlmns = new RecencyMap<string>(64);
  readonly reporters = new RecencyMap<string>(64);
  /** Location-revealing or category-1/2 targets' home countries, for gt-leasing. */
  readonly targetCountries = new RecencyMap<string>(256);

  /** Per windowed pattern, the last minute already reported to its alert, so overlapping windows never double count. */
  readonly reportedThrough = new Map<string, number>();

  // volume-anomaly: exponentially weighted per-minute transactions.
  baseline = 0;
  baselineMinute = -1;

  // gt-spoofing: the ingress this source has been arriving on.
  ingress: string | undefined;
  ingressTransactions = 0;
  ingressSince = 0;
  ingressLast = 0;

  constructor(observation: Observation) {
    this.key = observation.entityKey;
    this.latest = observation;
    this.lastSeen = observation.time;
    this.firstMinute = minuteOf(observation.time);
  }

  /** Returns true when this is the first record of that minute for this source (it must be evaluated then). */
  count(minute: number, measure: Measure, amount: number): boolean {
    const slot = minute % RING_MINUTES;
    let fresh = false;
    if (this.#slotMinute[slot] !== minute) {
      this.#slotMinute[slot] = minute;
      this.#counts.fill(0, slot * MEASURES, slot * MEASURES + MEASURES);
      for (const counter of this.operations.values()) counter.slots[slot] = 0;
      this.subscribers.clear(slot);
      this.sriSmSubscribers.clear(slot);
      fresh = true;
    }
    const index = slot * MEASURES + measure;
    this.#counts[index] = (this.#counts[index] ?? 0) + amount;
    return fresh;
  }

  countOperation(observation: Observation, minute: number, amount: number): void {
    const { protocol, operation } = observation;
    const key = operationKey(protocol, operation);
    let counter = key === this.#lastOperationKey ? this.#lastOperation : this.operations.get(key);
    if (counter === undefined || counter === null) {
      counter = { protocol, operation, slots: new Int32Array(RING_MINUTES) };
      this.operations.set(key, counter);
    }
    this.#lastOperationKey = key;
    this.#lastOperation = counter;
    const slot = minute % RING_MINUTES;
    counter.slots[slot] = (counter.slots[slot] ?? 0) + amount;
  }

  /** The ring slots holding minutes [from, to] (slots recycled for newer minutes are skipped). */
  *slotsBetween(from: number, to: number): IterableIterator<number> {
    for (let minute = Math.max(from, to - RING_MINUTES + 1); minute <= to; minute++) {
      const slot = minute % RING_MINUTES;
      if (this.#slotMinute[slot] === minute) yield slot;
    }
  }

  /** Distinct subscriber hashes over minutes [from, to]. */
  subscribersBetween(hashes: SlotHashes, from: number, to: number): Set<number> {
    return hashes.collect(this.slotsBetween(from, to), new Set());
  }

  /** Sum of a measure over minutes [from, to]; slots recycled for newer minutes count as zero. */
  sum(measure: Measure, from: number, to: number): number {
    let total = 0;
    for (let minute = Math.max(from, to - RING_MINUTES + 1); minute <= to; minute++) {
      const slot = minute % RING_MINUTES;
      if (this.#slotMinute[slot] === minute) total += this.#counts[slot * MEASURES + measure] ?? 0;
    }
    return total;
  }

  /** Per-operation transactions over minutes [from, to]. */
  operationsBetween(from: number, to: number): Array<{ protocol: OperationCounter['protocol']; operation: number; count: number }> {
    const result = [];
    for (const counter of this.operations.values()) {
      let count = 0;
      for (let minute = Math.max(from, to - RING_MINUTES + 1); minute <= to; minute++) {
        const slot = minute % RING_MINUTES;
        if (this.#slotMinute[slot] === minute) count += counter.slots[slot] ?? 0;
      }
      if (count > 0) result.push({ protocol: counter.protocol, operation: counter.operation, count });
    }
    return result;
  }

  /** Forgets what no window can need any more, so long-lived sources do not accumulate. */
  expire(nowMs: number, longestWindowMs: number): void {
    const horizon = nowMs - longestWindowMs;
    this.victimPlmns.expireBefore(horizon);
    this.reporters.expireBefore(horizon);
    this.targetCountries.expireBefore(horizon);
    for (const [key, counter] of this.operations) {
      if (isIdle(counter.slots)) this.operations.delete(key);
    }
    // The cached counter may just have been dropped from the map.
    this.#lastOperationKey = -1;
    this.#lastOperation = null;
  }
}

function isIdle(slots: Int32Array): boolean {
  for (let i = 0; i < slots.length; i++) if ((slots[i] as number) > 0) return false;
  return true;
}

export function minuteStart(minute: number): number {
  return minute * MINUTE_MS;
}
