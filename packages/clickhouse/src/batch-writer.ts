import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseErrorCode } from './errors.js';
import { quoteIdentifier } from './identifiers.js';

/**
 * Buffers rows and writes them in batches: when `maxRows` are buffered, or `maxDelayMs` after the oldest buffered
 * row arrived. One batch is in flight at a time, so batches — and their `onFlushed` acknowledgements — happen in the
 * order rows were added. A failed batch is retried with exponential backoff; when the retries are used up the
 * failure is surfaced (`flush()` rejects, `onError` is called) and the rows stay buffered, first in line, to be
 * tried again by the next flush. Rows are never dropped. `add` reports back-pressure once `maxBufferedRows` are
 * waiting, so a consumer pauses instead of buffering without bound.
 *
 * A retried insert may have been applied before the connection failed: tables are ReplacingMergeTree, so the
 * duplicate collapses.
 */

export type InsertRows<Row> = (rows: Row[]) => Promise<void>;

export interface RetryPolicy {
  /** Attempts per batch before the failure is surfaced (≥ 1). Default 5. */
  attempts: number;
  /** Delay before the first retry. Default 100 ms. */
  initialDelayMs: number;
  /** Cap on any one delay. Default 5 000 ms. */
  maxDelayMs: number;
  /** Growth per retry. Default 2. */
  factor: number;
  /** Fraction of each delay that is randomised (0 = none, 1 = full jitter). Default 0.2. */
  jitter: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = {
  attempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
};

/** Delay before retry number `retry` (1 = first retry): capped exponential, minus up to `jitter` of it at random. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.max(0, Math.round(capped * (1 - policy.jitter * random())));
}

export interface FlushAck<Meta> {
  /** Rows in this batch. */
  rows: number;
  /** The `meta` of every `add` whose last row was in this batch, in add order (e.g. Kafka offsets to commit). */
  meta: Meta[];
  /** Attempts it took (1 = first try). */
  attempts: number;
  latencyMs: number;
}

export interface BatchFailure {
  error: unknown;
  /** Attempt that failed (1-based). */
  attempt: number;
  rows: number;
  /** False when this failure is the one surfaced to the caller. */
  willRetry: boolean;
}

/** Plain callbacks, so this package needs no metrics library; services bind them to prom-client. */
export interface BatchWriterMetrics {
  /** A batch was acknowledged. */
  batchWritten?: (rows: number, latencyMs: number, attempts: number) => void;
  /** One insert attempt failed (retried or surfaced). */
  attemptFailed?: (failure: BatchFailure) => void;
  /** Buffered rows changed (gauge). */
  buffered?: (rows: number) => void;
}

export interface BatchWriterOptions<Row, Meta> {
  insert: InsertRows<Row>;
  /** Flush when this many rows are buffered, and never insert more at once. Default 10 000. */
  maxRows?: number;
  /** Flush this long after the oldest buffered row arrived. Default 1 000 ms. */
  maxDelayMs?: number;
  /** `add` returns false and `isFull` is true from this many buffered rows on. Default 5 × maxRows. */
  maxBufferedRows?: number;
  retry?: Partial<RetryPolicy>;
  /** Errors worth retrying; others are surfaced on the first attempt. Default: `isRetryableInsertError`. */
  isRetryable?: (error: unknown) => boolean;
  /**
   * After a batch is acknowledged by ClickHouse, before the next batch is written; awaited. Commit consumer
   * offsets here. If it throws, the error is surfaced like a write failure, but the batch is not written again.
   */
  onFlushed?: (ack: FlushAck<Meta>) => void | Promise<void>;
  /** A failure that used up the retries (or was not retryable). The rows stay buffered. */
  onError?: (failure: BatchFailure) => void;
  metrics?: BatchWriterMetrics;
  /** Injection points for tests. */
  clock?: { now: () => number; sleep: (ms: number) => Promise<void>; random: () => number };
}

/** The error `flush()` rejects with once retries are used up; `cause` is the last insert error. */
export class BatchWriteError extends Error {
  readonly attempts: number;
  readonly rows: number;

  constructor(rows: number, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`writing a batch of ${rows} rows failed after ${attempts} attempt(s): ${reason}`, { cause });
    this.name = 'BatchWriteError';
    this.rows = rows;
    this.attempts = attempts;
  }
}

// Errors in the data or the statement itself: the same batch will fail the same way.
const PERMANENT_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  49, // LOGICAL_ERROR (18.16: unknown Enum element)
  53, // TYPE_MISMATCH
  62, // SYNTAX_ERROR
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  164, // READONLY
]);

/**
 * Default retry classification: connection errors, timeouts, overload, missing database/table (a migration may be
 * running) and unknown errors are retried; parse/type errors in the rows and refused writes are not.
 */
export function isRetryableInsertError(error: unknown): boolean {
  const code = clickHouseErrorCode(error);
  return code === null || !PERMANENT_CODES.has(code);
}

interface Entry<Row, Meta> {
  seq: number;
  rows: readonly Row[];
  /** Rows of this entry already written. */
  taken: number;
  meta: Meta | undefined;
  hasMeta: boolean;
  addedAt: number;
}

interface Batch<Meta> {
  rows: unknown[];
  meta: Meta[];
  /** Entries this batch completes, from the head of the queue. */
  complete: number;
  /** Rows it takes from the entry after those. */
  partial: number;
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export class BatchWriter<Row, Meta = never> {
  readonly maxRows: number;
  readonly maxDelayMs: number;
  readonly maxBufferedRows: number;
  readonly #retry: RetryPolicy;
  readonly #options: BatchWriterOptions<Row, Meta>;
  readonly #clock: NonNullable<BatchWriterOptions<Row, Meta>['clock']>;
  readonly #isRetryable: (error: unknown) => boolean;
  readonly #queue: Entry<Row, Meta>[] = [];
  #seq = 0;
  #buffered = 0;
  /** Serialises writes: one batch in flight, batches and acks in add order. */
  #tail: Promise<void> = Promise.resolve();
  #sizeFlushQueued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #lastError: unknown;
  #capacityWaiters: Array<() => void> = [];

  constructor(options: BatchWriterOptions<Row, Meta>) {
    this.#options = options;
    this.maxRows = options.maxRows ?? 10_000;
    this.maxDelayMs = options.maxDelayMs ?? 1_000;
    this.maxBufferedRows = options.maxBufferedRows ?? 5 * this.maxRows;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#clock = options.clock ?? realClock;
    this.#isRetryable = options.isRetryable ?? isRetryableInsertError;
    if (!Number.isSafeInteger(this.maxRows) || this.maxRows < 1) throw new RangeError('maxRows must be ≥ 1');
    if (!(this.maxDelayMs >= 0)) throw new RangeError('maxDelayMs must be ≥ 0');
    if (!(this.maxBufferedRows >= this.maxRows)) throw new RangeError('maxBufferedRows must be ≥ maxRows');
    if (!Number.isSafeInteger(this.#retry.attempts) || this.#retry.attempts < 1) {
      throw new RangeError('retry.attempts must be ≥ 1');
    }
  }

  /** Rows waiting to be acknowledged (including a batch in flight). */
  get bufferedRows(): number {
    return this.#buffered;
  }

  /** True while `maxBufferedRows` or more rows wait: pause the source. */
  get isFull(): boolean {
    return this.#buffered >= this.maxBufferedRows;
  }

  /** The last surfaced failure, cleared by the next acknowledged batch; for readiness probes. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /**
   * Buffers rows; `meta`, when given, comes back in `onFlushed` once every one of these rows and all rows added
   * before them are acknowledged (an empty `rows` with `meta` is acknowledged after the rows before it). Returns false
   * when the buffer is full: the rows are still accepted — nothing is dropped — but the caller should pause until
   * `waitForCapacity()` resolves. The array is kept, not copied: do not mutate it afterwards.
   */
  add(rows: readonly Row[], ...meta: [] | [Meta]): boolean {
    if (this.#closed) throw new Error('BatchWriter is closed');
    const hasMeta = meta.length > 0;
    if (rows.length === 0 && !hasMeta) return !this.isFull;
    this.#queue.push({ seq: ++this.#seq, rows, taken: 0, meta: meta[0], hasMeta, addedAt: this.#clock.now() });
    this.#buffered += rows.length;
    this.#options.metrics?.buffered?.(this.#buffered);
    this.#schedule();
    return !this.isFull;
  }

  /** Resolves once fewer than `maxBufferedRows` rows wait. */
  waitForCapacity(): Promise<void> {
    if (!this.isFull) return Promise.resolve();
    return new Promise((resolve) => this.#capacityWaiters.push(resolve));
  }

  /**
   * Writes everything added so far. Resolves when ClickHouse acknowledged it (and `onFlushed` ran); rejects with
   * `BatchWriteError` when a batch used up its retries — its rows stay buffered, and a later flush tries again.
   */
  flush(): Promise<void> {
    this.#disarm();
    return this.#enqueue(this.#seq).catch((error: unknown) => {
      if (!this.#closed && this.#queue.length > 0) this.#arm(this.#retry.maxDelayMs);
      throw error;
    });
  }

  /** Refuses further rows and flushes. If that fails the rows are still buffered: `flush()` again or give up. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#disarm();
    await this.flush();
  }

  #enqueue(until: number | 'full'): Promise<void> {
    const run = this.#tail.catch(() => {}).then(() => this.#drain(until));
    this.#tail = run;
    return run;
  }

  /** A flush nobody awaits (size or time trigger): failures are surfaced via onError/lastError and retried later. */
  #background(until: number | 'full'): void {
    if (until === 'full') {
      if (this.#sizeFlushQueued) return;
      this.#sizeFlushQueued = true;
    }
    this.#enqueue(until).catch(() => {
      if (!this.#closed && this.#queue.length > 0) this.#arm(this.#retry.maxDelayMs);
    });
  }

  #schedule(): void {
    if (this.#closed || this.#queue.length === 0) return;
    if (this.#buffered >= this.maxRows) this.#background('full');
    else this.#arm();
  }

  #arm(delay?: number): void {
    if (this.#timer !== undefined || this.#closed) return;
    const oldest = this.#queue[0]?.addedAt ?? this.#clock.now();
    const wait = delay ?? Math.max(0, oldest + this.maxDelayMs - this.#clock.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#background(this.#seq);
    }, wait);
    this.#timer.unref?.();
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes batches until every entry up to `until` is acknowledged, or ('full') while a full batch is buffered. */
  async #drain(until: number | 'full'): Promise<void> {
    if (until === 'full') this.#sizeFlushQueued = false;
    for (;;) {
      const head = this.#queue[0];
      if (!head) break;
      if (until === 'full' ? this.#buffered < this.maxRows : head.seq > until) break;
      const batch = this.#peek();
      const rows = batch.rows as Row[];
      const { attempts, latencyMs } = await this.#write(rows);
      this.#consume(batch);
      this.#lastError = undefined;
      this.#options.metrics?.batchWritten?.(rows.length, latencyMs, attempts);
      this.#options.metrics?.buffered?.(this.#buffered);
      this.#releaseWaiters();
      if (this.#options.onFlushed && (rows.length > 0 || batch.meta.length > 0)) {
        try {
          await this.#options.onFlushed({ rows: rows.length, meta: batch.meta, attempts, latencyMs });
        } catch (error) {
          this.#lastError = error;
          this.#options.onError?.({ error, attempt: attempts, rows: rows.length, willRetry: false });
          throw error;
        }
      }
    }
    this.#schedule();
  }

  /** The next batch: up to maxRows rows from the head of the queue, and the meta of the entries it completes. */
  #peek(): Batch<Meta> {
    const batch: Batch<Meta> = { rows: [], meta: [], complete: 0, partial: 0 };
    for (const entry of this.#queue) {
      const room = this.maxRows - batch.rows.length;
      const left = entry.rows.length - entry.taken;
      const take = Math.min(room, left);
      for (let i = entry.taken; i < entry.taken + take; i++) batch.rows.push(entry.rows[i]);
      if (take < left) {
        batch.partial = take;
        break;
      }
      batch.complete++;
      if (entry.hasMeta) batch.meta.push(entry.meta as Meta);
    }
    return batch;
  }

  #consume(batch: Batch<Meta>): void {
    this.#queue.splice(0, batch.complete);
    const next = this.#queue[0];
    if (next) next.taken += batch.partial;
    this.#buffered -= batch.rows.length;
  }

  async #write(rows: Row[]): Promise<{ attempts: number; latencyMs: number }> {
    const started = this.#clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        if (rows.length > 0) await this.#options.insert(rows);
        return { attempts: attempt, latencyMs: this.#clock.now() - started };
      } catch (error) {
        const willRetry = attempt < this.#retry.attempts && this.#isRetryable(error);
        const failure: BatchFailure = { error, attempt, rows: rows.length, willRetry };
        this.#options.metrics?.attemptFailed?.(failure);
        if (!willRetry) {
          this.#lastError = error;
          this.#options.onError?.(failure);
          throw new BatchWriteError(rows.length, attempt, error);
        }
        await this.#clock.sleep(backoffDelay(attempt, this.#retry, this.#clock.random));
      }
    }
  }

  #releaseWaiters(): void {
    if (this.isFull) return;
    const waiters = this.#capacityWaiters;
    this.#capacityWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** An `insert` for `BatchWriter` that writes JSONEachRow into `table` (optionally `database.table`). */
export function tableInserter<Row>(client: ClickHouseClient, table: string, database?: string): InsertRows<Row> {
  const target = database ? `${quoteIdentifier(database)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
  return async (rows) => {
    await client.insert({ table: target, values: rows, format: 'JSONEachRow' });
  };
}
