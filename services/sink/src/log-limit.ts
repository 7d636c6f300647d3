/**
 * Lets through at most `limit` log lines per `windowMs`; the lines held back are counted and reported with the
 * first line of the next window, so a topic full of bad records cannot flood the logs (the metric counts them all).
 */
export class LogLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #used = 0;
  #suppressed = 0;

  constructor(limit = 20, windowMs = 60_000, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Starts a fresh window (e.g. after a failure streak ended, so the next streak's first line is logged). */
  reset(): void {
    this.#windowStart = Number.NEGATIVE_INFINITY;
    this.#used = 0;
    this.#suppressed = 0;
  }

  /** Null when this line should be dropped; otherwise how many lines were dropped since the last one let through. */
  take(): { suppressed: number } | null {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#used = 0;
    }
    if (this.#used >= this.#limit) {
      this.#suppressed += 1;
      return null;
    }
    this.#used += 1;
    const suppressed = this.#suppressed;
    this.#suppressed = 0;
    return { suppressed };
  }
}
