import { describe, expect, it } from 'vitest';
import {
  aggregateRowsOf,
  encodeAggregateBatches,
  MAX_AGGREGATE_RECORD_BYTES,
  type TrafficAggregate,
  TrafficAggregateBatchSchema,
  TrafficAggregateSchema,
} from '../src/index.js';

function row(i: number, operator: string | null = 'Operator'): TrafficAggregate {
  return {
    schemaVersion: 1,
    minute: '2026-11-30T08:00:00.000Z',
    reporter: '234-15',
    entityType: 'gt',
    entity: `2250760${String(i).padStart(5, '0')}`,
    protocol: 'MAP',
    operation: 71,
    transactions: i + 1,
    errors: 0,
    scanningErrors: 0,
    subscribers: 1,
    late: 0,
    sourceCountry: 'NG',
    sourcePlmn: '621-20',
    sourceOperator: operator,
    leased: false,
    category: 1,
    own: false,
  };
}

describe('aggregate batches on the aggregates topic', () => {
  it('carries every row, in order, in values no larger than the limit', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => row(i));
    const values = encodeAggregateBatches(rows, 64 * 1024);
    expect(values.length).toBeGreaterThan(1);
    for (const value of values) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(64 * 1024);
    const decoded = values.flatMap((value) => TrafficAggregateBatchSchema.parse(JSON.parse(value)).aggregates);
    expect(decoded).toEqual(rows);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    const rows = Array.from({ length: 400 }, (_, i) => row(i, 'Ōperātor Ünïcode ✓✓✓✓✓✓✓✓'));
    for (const value of encodeAggregateBatches(rows, 16 * 1024)) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(16 * 1024);
  });

  it('writes nothing for no rows, and one value for a small batch under the default limit', () => {
    expect(encodeAggregateBatches([])).toEqual([]);
    const values = encodeAggregateBatches([row(1), row(2)]);
    expect(values).toHaveLength(1);
    expect(Buffer.byteLength(values[0] ?? '')).toBeLessThan(MAX_AGGREGATE_RECORD_BYTES);
  });

  it('reads a batch as its rows and a bare row (the format before batches) as one row', () => {
    const batch = JSON.parse(encodeAggregateBatches([row(1), row(2)])[0] ?? '') as unknown;
    expect(aggregateRowsOf(batch)).toEqual({ ok: true, rows: [row(1), row(2)] });
    expect(aggregateRowsOf(row(3))).toEqual({ ok: true, rows: [row(3)] });
    // Not an object at all: one row, which the row schema then rejects with its own reason.
    const scalar = aggregateRowsOf(42);
    expect(scalar).toEqual({ ok: true, rows: [42] });
    expect(TrafficAggregateSchema.safeParse(42).success).toBe(false);
  });

  it('rejects a value that claims to be a batch but is not a valid one', () => {
    for (const bad of [
      { schemaVersion: 1, aggregates: [] },
      { schemaVersion: 2, aggregates: [row(1)] },
      { schemaVersion: 1, aggregates: row(1) },
      { schemaVersion: 1, aggregates: [row(1)], extra: true },
    ]) {
      const result = aggregateRowsOf(bad);
      expect(result.ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});
