import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type BatchFailure,
  BatchWriteError,
  BatchWriter,
  type BatchWriterOptions,
  backoffDelay,
  DEFAULT_RETRY,
  type FlushAck,
  isRetryableInsertError,
} from '../src/index.js';

interface Harness {
  writer: BatchWriter<number, string>;
  batches: number[][];
  acks: FlushAck<string>[];
  failures: BatchFailure[];
  surfaced: BatchFailure[];
  sleeps: number[];
  /** Make the next inserts fail with these errors, in order. */
  failNext: (...errors: unknown[]) => void;
}

function harness(options: Partial<BatchWriterOptions<number, string>> = {}): Harness {
  const batches: number[][] = [];
  const acks: FlushAck<string>[] = [];
  const failures: BatchFailure[] = [];
  const surfaced: BatchFailure[] = [];
  const sleeps: number[] = [];
  const queued: unknown[] = [];
  const writer = new BatchWriter<number, string>({
    insert: async (rows) => {
      const error = queued.shift();
      if (error !== undefined) throw error;
      batches.push([...rows]);
    },
    maxRows: 4,
    maxDelayMs: 1_000,
    retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0.2 },
    onFlushed: (ack) => void acks.push(ack),
    onError: (failure) => void surfaced.push(failure),
    metrics: { attemptFailed: (failure) => void failures.push(failure) },
    clock: {
      now: () => Date.now(),
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
    },
    ...options,
  });
  return { writer, batches, acks, failures, surfaced, sleeps, failNext: (...errors) => queued.push(...errors) };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('BatchWriter batching', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes as soon as maxRows are buffered, the rest after maxDelayMs', async () => {
    const h = harness();
    h.writer.add([1, 2]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([]);
    h.writer.add([3, 4, 5]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([[1, 2, 3, 4]]);
    expect(h.writer.bufferedRows).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toEqual([[1, 2, 3, 4], [5]]);
    expect(h.writer.bufferedRows).toBe(0);
  });

  it('times maxDelayMs from the oldest buffered row, not the latest', async () => {
    const h = harness();
    h.writer.add([1]);
    await vi.advanceTimersByTimeAsync(600);
    h.writer.add([2]);
    await vi.advanceTimersByTimeAsync(399);
    expect(h.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toEqual([[1, 2]]);
  });

  it('flush() writes everything added before it, in maxRows batches, and resolves after the ack', async () => {
    const h = harness({ maxBufferedRows: 100 });
    h.writer.add(range(0, 3), 'a');
    h.writer.add(range(3, 13), 'b');
    h.writer.add([13], 'c');
    await h.writer.flush();
    expect(h.batches).toEqual([range(0, 4), range(4, 8), range(8, 12), [12, 13]]);
    // A meta comes back with the batch holding the last row of its add.
    expect(h.acks.map((ack) => [ack.rows, ack.meta])).toEqual([
      [4, ['a']],
      [4, []],
      [4, []],
      [2, ['b', 'c']],
    ]);
    // ...and an add that completes exactly at a batch boundary is acked with that batch.
    h.writer.add([1, 2, 3, 4], 'd');
    await h.writer.flush();
    expect(h.acks.at(-1)?.meta).toEqual(['d']);
    expect(h.writer.bufferedRows).toBe(0);
  });

  it('acks a meta-only add after the rows added before it', async () => {
    const h = harness();
    h.writer.add([1], 'a');
    h.writer.add([], 'empty poll');
    await h.writer.flush();
    expect(h.acks.map((ack) => ack.meta)).toEqual([['a', 'empty poll']]);
    h.writer.add([], 'alone');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.acks.at(-1)).toMatchObject({ rows: 0, meta: ['alone'] });
    expect(h.batches).toEqual([[1]]);
  });

  it('keeps one insert in flight and applies back-pressure at maxBufferedRows', async () => {
    let release: () => void = () => {};
    let inFlight = 0;
    let maxInFlight = 0;
    const written: number[][] = [];
    const writer = new BatchWriter<number>({
      insert: async (rows) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        written.push([...rows]);
        inFlight--;
      },
      maxRows: 2,
      maxBufferedRows: 5,
    });
    expect(writer.add([1, 2])).toBe(true);
    expect(writer.add([3, 4])).toBe(true);
    expect(writer.add([5])).toBe(false);
    expect(writer.isFull).toBe(true);
    let capacity = false;
    void writer.waitForCapacity().then(() => {
      capacity = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(capacity).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(capacity).toBe(true);
    expect(writer.isFull).toBe(false);
    for (let i = 0; i < 3; i++) {
      release();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(written).toEqual([[1, 2], [3, 4], [5]]);
    expect(maxInFlight).toBe(1);
  });

  it('close() flushes and then refuses rows', async () => {
    const h = harness();
    h.writer.add([1, 2]);
    await h.writer.close();
    expect(h.batches).toEqual([[1, 2]]);
    expect(() => h.writer.add([3])).toThrow(/closed/);
  });

  it('validates its options', () => {
    const insert = async () => {};
    expect(() => new BatchWriter({ insert, maxRows: 0 })).toThrow(RangeError);
    expect(() => new BatchWriter({ insert, maxRows: 10, maxBufferedRows: 5 })).toThrow(RangeError);
    expect(() => new BatchWriter({ insert, retry: { attempts: 0 } })).toThrow(RangeError);
    expect(new BatchWriter({ insert })).toMatchObject({ maxRows: 10_000, maxDelayMs: 1_000, maxBufferedRows: 50_000 });
  });
});

describe('BatchWriter failures', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries with exponential backoff and succeeds', async () => {
    const h = harness();
    h.failNext(new Error('socket hang up'), new Error('ECONNREFUSED'));
    h.writer.add([1, 2], 'a');
    await h.writer.flush();
    expect(h.batches).toEqual([[1, 2]]);
    expect(h.sleeps).toEqual([90, 180]);
    expect(h.failures.map((f) => [f.attempt, f.willRetry])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(h.acks).toEqual([{ rows: 2, meta: ['a'], attempts: 3, latencyMs: 0 }]);
    expect(h.surfaced).toEqual([]);
  });

  it('surfaces a failure after the last attempt, keeps the rows, and writes them once when it recovers', async () => {
    const h = harness();
    const down = new Error('connect ECONNREFUSED 127.0.0.1:1');
    h.failNext(down, down, down);
    h.writer.add([1, 2], 'a');
    h.writer.add([3], 'b');
    const failed = await h.writer.flush().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(BatchWriteError);
    expect((failed as BatchWriteError).cause).toBe(down);
    expect((failed as BatchWriteError).attempts).toBe(3);
    expect(h.surfaced).toHaveLength(1);
    expect(h.surfaced[0]).toMatchObject({ attempt: 3, rows: 3, willRetry: false });
    expect(h.writer.lastError).toBe(down);
    expect(h.writer.bufferedRows).toBe(3);
    expect(h.acks).toEqual([]);
    // ClickHouse is back: the same rows are written once, in order, and only now acknowledged.
    h.writer.add([4], 'c');
    await h.writer.flush();
    expect(h.batches).toEqual([[1, 2, 3, 4]]);
    expect(h.acks.map((ack) => ack.meta)).toEqual([['a', 'b', 'c']]);
    expect(h.writer.lastError).toBeUndefined();
  });

  it('keeps retrying in the background after a surfaced failure', async () => {
    const h = harness();
    const down = new Error('ECONNRESET');
    h.failNext(down, down, down);
    h.writer.add([1]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.surfaced).toHaveLength(1);
    expect(h.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(DEFAULT_RETRY.maxDelayMs);
    expect(h.batches).toEqual([[1]]);
  });

  it('does not retry errors in the data', async () => {
    const h = harness();
    const bad = new Error("Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected { before: 'x'");
    h.failNext(bad);
    h.writer.add([1]);
    await expect(h.writer.flush()).rejects.toThrow(/after 1 attempt/);
    expect(h.sleeps).toEqual([]);
    expect(h.writer.bufferedRows).toBe(1);
  });

  it('surfaces an onFlushed failure without writing the batch again', async () => {
    const commitFailed = new Error('commit failed');
    const h = harness({
      onFlushed: () => {
        throw commitFailed;
      },
    });
    h.writer.add([1, 2]);
    await expect(h.writer.flush()).rejects.toBe(commitFailed);
    expect(h.writer.bufferedRows).toBe(0);
    await h.writer.flush();
    expect(h.batches).toEqual([[1, 2]]);
    expect(h.surfaced[0]?.error).toBe(commitFailed);
  });
});

describe('backoff policy', () => {
  const policy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 5_000, factor: 2, jitter: 0 };

  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelay(retry, policy))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('jitters down by at most the jitter fraction', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(3, jittered, () => 0)).toBe(400);
    expect(backoffDelay(3, jittered, () => 0.999999)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(4, jittered);
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });

  it('classifies errors', () => {
    expect(isRetryableInsertError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableInsertError(new Error('Code: 81, e.displayText() = DB::Exception: Database x doesn’t exist'))).toBe(true);
    expect(isRetryableInsertError(new Error('Code: 60. DB::Exception: Table x.y does not exist'))).toBe(true);
    expect(isRetryableInsertError(new Error('Code: 27, e.displayText() = Cannot parse input'))).toBe(false);
    expect(isRetryableInsertError(new Error('Code: 53. DB::Exception: Type mismatch'))).toBe(false);
  });
});
