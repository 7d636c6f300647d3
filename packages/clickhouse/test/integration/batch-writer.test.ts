import { describe, expect, it } from 'vitest';
import {
  type BatchFailure,
  BatchWriteError,
  BatchWriter,
  clickHouseErrorCode,
  createClickHouseClient,
  type FlushAck,
  migrate,
  type TrafficMinuteRow,
  tableInserter,
} from '../../src/index.js';
import { trafficRow } from '../fixtures.js';
import { OutageProxy } from './proxy.js';
import { clickHouseOptions, rows, uniqueDatabase, useMigratedDatabase } from './support.js';

const lateDb = uniqueDatabase('writer_late');
const { admin, database: db, client } = useMigratedDatabase('writer', lateDb);

const BASE_MINUTE = 1_796_033_700;

/** Distinct traffic rows: `count` entities × one minute, keyed from `offset`. */
function trafficRows(offset: number, count: number, minute = BASE_MINUTE): TrafficMinuteRow[] {
  return Array.from({ length: count }, (_, i) =>
    trafficRow({ entity: String(100_000_000_000 + offset + i), minute, transactions: 1 + ((offset + i) % 7), version: offset + i }),
  );
}

async function countFinal(database: string, where = '1'): Promise<{ n: number; tx: number }> {
  const [row] = await rows<{ n: string; tx: string }>(
    admin.client,
    `SELECT count() AS n, sum(transactions) AS tx FROM ${database}.traffic_minute FINAL WHERE ${where}`,
  );
  return { n: Number(row?.n), tx: Number(row?.tx) };
}

const fastRetry = { attempts: 3, initialDelayMs: 20, maxDelayMs: 200, factor: 2, jitter: 0 };

describe('BatchWriter against the real server', () => {
  it('writes in size- and time-bounded batches and acknowledges each add once it is durable', async () => {
    const acks: FlushAck<number>[] = [];
    const writer = new BatchWriter<TrafficMinuteRow, number>({
      insert: tableInserter(client, 'traffic_minute'),
      maxRows: 1_000,
      maxDelayMs: 200,
      onFlushed: async (ack) => {
        // The rows this ack covers are queryable now: committing offsets here is safe.
        const { n } = await countFinal(db, `minute = toDateTime(${BASE_MINUTE})`);
        expect(n).toBeGreaterThanOrEqual(ack.rows);
        acks.push(ack);
      },
    });
    for (let offset = 0; offset < 2_500; offset += 500) writer.add(trafficRows(offset, 500), offset);
    await new Promise((resolve) => setTimeout(resolve, 0));
    writer.add(trafficRows(2_500, 10), 2_500); // the tail goes out on the timer
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(writer.bufferedRows).toBe(0);
    expect(acks.map((ack) => ack.rows)).toEqual([1_000, 1_000, 510]);
    expect(acks.flatMap((ack) => ack.meta)).toEqual([0, 500, 1_000, 1_500, 2_000, 2_500]);
    expect(await countFinal(db, `minute = toDateTime(${BASE_MINUTE})`)).toEqual({
      n: 2_510,
      tx: trafficRows(0, 2_510).reduce((sum, row) => sum + row.transactions, 0),
    });
    await writer.close();
  });

  it('measures throughput for 10 000-row batches of traffic_minute rows', async () => {
    const minute = BASE_MINUTE + 3_600;
    const batches = 20;
    const prepared = Array.from({ length: batches }, (_, b) => trafficRows(b * 10_000, 10_000, minute));
    const latencies: number[] = [];
    const writer = new BatchWriter<TrafficMinuteRow>({
      insert: tableInserter(client, 'traffic_minute'),
      maxBufferedRows: 1_000_000,
      metrics: { batchWritten: (_rows, latencyMs) => void latencies.push(latencyMs) },
    });
    const started = performance.now();
    for (const batch of prepared) writer.add(batch);
    await writer.flush();
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round((batches * 10_000) / seconds);
    latencies.sort((a, b) => a - b);
    process.stderr.write(
      `[clickhouse] writer throughput: ${batches} × 10 000 traffic_minute rows in ${seconds.toFixed(2)} s = ${rate.toLocaleString('en')} rows/s; ` +
        `batch latency p50 ${latencies[Math.floor(latencies.length / 2)]} ms, max ${latencies.at(-1)} ms\n`,
    );
    expect(latencies).toHaveLength(batches);
    expect((await countFinal(db, `minute = toDateTime(${minute})`)).n).toBe(batches * 10_000);
    expect(rate).toBeGreaterThan(10_000);
    await writer.close();
  });

  it('surfaces an outage after its retries, applies back-pressure, keeps the rows and writes them once on recovery', async () => {
    const proxy = new OutageProxy(clickHouseOptions().url);
    await proxy.up();
    const viaProxy = createClickHouseClient({ ...clickHouseOptions(db), url: proxy.url, requestTimeoutMs: 5_000 });
    const failures: BatchFailure[] = [];
    const surfaced: BatchFailure[] = [];
    const acks: FlushAck<string>[] = [];
    const writer = new BatchWriter<TrafficMinuteRow, string>({
      insert: tableInserter(viaProxy, 'traffic_minute'),
      maxRows: 100,
      maxDelayMs: 50,
      maxBufferedRows: 300,
      retry: fastRetry,
      metrics: { attemptFailed: (failure) => void failures.push(failure) },
      onError: (failure) => void surfaced.push(failure),
      onFlushed: (ack) => void acks.push(ack),
    });
    const minute = BASE_MINUTE + 7_200;
    try {
      writer.add(trafficRows(0, 50, minute), 'before');
      await writer.flush();
      expect(acks.map((a) => a.meta)).toEqual([['before']]);

      await proxy.down();
      expect(writer.add(trafficRows(50, 100, minute), 'during-1')).toBe(true);
      expect(writer.add(trafficRows(150, 100, minute), 'during-2')).toBe(true);
      const error = await writer.flush().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchWriteError);
      expect(String((error as BatchWriteError).cause)).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
      expect((error as BatchWriteError).attempts).toBe(fastRetry.attempts);
      // Size-triggered background flushes fail too; every attempt is reported, every exhausted batch surfaced.
      expect(failures.length).toBeGreaterThanOrEqual(fastRetry.attempts);
      expect(surfaced.length).toBe(failures.filter((f) => !f.willRetry).length);
      expect(writer.lastError).toBeDefined();
      expect(writer.bufferedRows).toBe(200);
      // The consumer keeps polling: once maxBufferedRows wait, add says "pause".
      expect(writer.add(trafficRows(250, 100, minute), 'during-3')).toBe(false);
      expect(writer.isFull).toBe(true);
      expect(acks).toHaveLength(1);

      await proxy.up();
      // No explicit flush: the writer keeps retrying in the background and the consumer waits for capacity.
      await writer.waitForCapacity();
      await writer.flush();
      expect(writer.bufferedRows).toBe(0);
      expect(writer.lastError).toBeUndefined();
      expect(acks.flatMap((a) => a.meta)).toEqual(['before', 'during-1', 'during-2', 'during-3']);
      expect(await countFinal(db, `minute = toDateTime(${minute})`)).toEqual({
        n: 350,
        tx: trafficRows(0, 350, minute).reduce((sum, row) => sum + row.transactions, 0),
      });
    } finally {
      await writer.close().catch(() => {});
      await viaProxy.close();
      await proxy.down();
    }
  });

  it('fails over a wrong port and surfaces it without dropping the rows', async () => {
    const wrong = createClickHouseClient({ ...clickHouseOptions(db), url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
    const writer = new BatchWriter<TrafficMinuteRow>({ insert: tableInserter(wrong, 'traffic_minute'), retry: fastRetry });
    try {
      writer.add(trafficRows(0, 10));
      const error = await writer.flush().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchWriteError);
      expect((error as BatchWriteError).attempts).toBe(fastRetry.attempts);
      expect(String((error as BatchWriteError).cause)).toMatch(/ECONNREFUSED/);
      expect(writer.bufferedRows).toBe(10);
      await expect(writer.close()).rejects.toBeInstanceOf(BatchWriteError);
    } finally {
      await wrong.close();
    }
  });

  it('retries a missing database until a migration creates it', async () => {
    const surfaced: BatchFailure[] = [];
    const writer = new BatchWriter<TrafficMinuteRow>({
      insert: tableInserter(client, 'traffic_minute', lateDb),
      maxDelayMs: 50,
      retry: fastRetry,
      onError: (failure) => void surfaced.push(failure),
    });
    writer.add(trafficRows(0, 20));
    const error = await writer.flush().catch((e: unknown) => e);
    expect(clickHouseErrorCode((error as BatchWriteError).cause)).toBe(81);
    expect((error as BatchWriteError).attempts).toBe(fastRetry.attempts);
    await migrate(admin.client, lateDb);
    await writer.flush();
    expect((await countFinal(lateDb)).n).toBe(20);
    expect(surfaced).toHaveLength(1);
    await writer.close();
  });

  it('does not retry rows the server cannot parse', async () => {
    const writer = new BatchWriter<Record<string, unknown>>({ insert: tableInserter(client, 'traffic_minute'), retry: fastRetry });
    writer.add([{ ...trafficRow(), protocol: 'SIP' }]);
    const error = await writer.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchWriteError);
    expect((error as BatchWriteError).attempts).toBe(1);
    expect(String((error as BatchWriteError).cause)).toMatch(/Code: 49|Unknown element 'SIP'/);
    expect(writer.bufferedRows).toBe(1);
  });
});
