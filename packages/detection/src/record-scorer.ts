import {
  type Alert,
  type DeadLetter,
  type DeadLetterSource,
  parseSummary,
  type RejectReason,
  type SignallingSummary,
  toDeadLetter,
} from '@gtwatch/schema';
import type { Detector } from './detector.js';

export interface ScoreOutcome {
  /** The validated record, or null when it was rejected. */
  record: SignallingSummary | null;
  events: readonly Alert[];
  /** Set when the record was rejected: it goes to the dead-letter output instead of the detector. */
  deadLetter: DeadLetter | null;
}

export interface ScorerCounters {
  records: number;
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** Alert events by CloudEvents type suffix and pattern, e.g. `opened` → `category-1` → 3. */
  events: Record<string, Record<string, number>>;
}

/**
 * Raw record → validated summary or dead letter → detector. Still pure: the processor clock used for the
 * future-timestamp bound is passed in by the caller, never read here.
 */
export class RecordScorer {
  readonly #detector: Detector;
  readonly counters: ScorerCounters = { records: 0, accepted: 0, rejected: {}, events: {} };

  constructor(detector: Detector) {
    this.#detector = detector;
  }

  get detector(): Detector {
    return this.#detector;
  }

  score(input: Uint8Array | string, source: () => DeadLetterSource, nowMs: number): ScoreOutcome {
    this.counters.records++;
    const parsed = parseSummary(input, { nowMs });
    if (!parsed.ok) {
      const { rejection } = parsed;
      this.counters.rejected[rejection.reason] = (this.counters.rejected[rejection.reason] ?? 0) + 1;
      return { record: null, events: [], deadLetter: toDeadLetter(rejection, source()) };
    }
    this.counters.accepted++;
    return { record: parsed.record, events: this.#count(this.#detector.process(parsed.record)), deadLetter: null };
  }

  flush(): Alert[] {
    return this.#count(this.#detector.flush());
  }

  #count<T extends readonly Alert[]>(events: T): T {
    for (const event of events) {
      const kind = event.type.split('.')[3] ?? event.type;
      const byPattern = this.counters.events[kind] ?? {};
      byPattern[event.data.pattern] = (byPattern[event.data.pattern] ?? 0) + 1;
      this.counters.events[kind] = byPattern;
    }
    return events;
  }
}
