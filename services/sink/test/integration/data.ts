import { alertRecord, type OutgoingRecord } from '@gtwatch/kafka';
import type { TrafficAggregate } from '@gtwatch/schema';
import { aggregate, alertEvent } from '../fixtures.js';
import type { TrafficTotals } from './support.js';

/** Aggregate number `i`: a distinct (entity, minute) key per i, counters that vary with i. */
export function nthAggregate(i: number): TrafficAggregate {
  return aggregate({
    entity: `2250760${String(i % 500).padStart(6, '0')}`,
    minuteIndex: Math.floor(i / 500),
    transactions: 1 + (i % 17),
    errors: i % 5,
    scanningErrors: i % 3,
    late: i % 2,
    subscribers: i % 11,
    operation: i % 2 === 0 ? 71 : 2,
  });
}

export function aggregateRecord(value: TrafficAggregate): OutgoingRecord {
  return { key: `${value.entityType}:${value.entity}`, value: JSON.stringify(value) };
}

/** Totals over distinct aggregates `from` ≤ i < `to`. */
export function expectedTotals(indices: Iterable<number>): TrafficTotals {
  const totals: TrafficTotals = { rows: 0, transactions: 0, errors: 0, scanning_errors: 0, late: 0, subscribers: 0 };
  for (const i of new Set(indices)) {
    const a = nthAggregate(i);
    totals.rows += 1;
    totals.transactions += a.transactions;
    totals.errors += a.errors;
    totals.scanning_errors += a.scanningErrors;
    totals.late += a.late;
    totals.subscribers += a.subscribers;
  }
  return totals;
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

/** Alert `n`'s event `k` (0 opened, 1 updated, 2 resolved): deterministic ids, as the scorer makes them. */
export function nthAlertRecord(n: number, k: 0 | 1 | 2): OutgoingRecord {
  const types = ['org.gtwatch.alert.opened.v1', 'org.gtwatch.alert.updated.v1', 'org.gtwatch.alert.resolved.v1'] as const;
  const alertId = `alert${String(n).padStart(8, '0')}`;
  return alertRecord(
    alertEvent({
      id: `${alertId}-${k}`,
      alertId,
      type: types[k],
      time: new Date(Date.UTC(2026, 10, 30, 10, 16, k, n % 1000)).toISOString(),
    }),
  );
}
