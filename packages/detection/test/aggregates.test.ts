import { TrafficAggregateSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { detector, GT, MIN, mapRecord, REPORTER, subscriber, T0 } from './helpers.js';

describe('traffic aggregates', () => {
  it('rolls inbound traffic up per minute, reporter, source and operation when the minute closes', () => {
    const d = detector({}, true);
    const records = [
      mapRecord({ time: T0 + 1_000, operation: 56, subscriber: subscriber(1), subscriberPlmn: REPORTER }),
      mapRecord({ time: T0 + 2_000, operation: 56, subscriber: subscriber(1), subscriberPlmn: REPORTER, count: 3 }),
      mapRecord({ time: T0 + 3_000, operation: 56, subscriber: subscriber(2), result: 'error', errorCode: 1 }),
      mapRecord({ time: T0 + 4_000, operation: 45, callingGt: GT.albion }),
      mapRecord({ time: T0 + 5_000, operation: 56, direction: 'out' }),
    ];
    for (const record of records) d.process(record);
    expect(d.takeAggregates()).toEqual([]);
    d.process(mapRecord({ time: T0 + 2 * MIN + 5_000, operation: 2 }));
    const rows = d.takeAggregates();
    for (const row of rows) TrafficAggregateSchema.parse(row);
    expect(rows).toEqual([
      expect.objectContaining({
        minute: new Date(T0).toISOString(),
        entity: GT.lagune,
        entityType: 'gt',
        operation: 56,
        transactions: 5,
        errors: 1,
        scanningErrors: 1,
        subscribers: 2,
        late: 0,
        sourceCountry: 'CI',
        category: 3,
        own: false,
      }),
      expect.objectContaining({ entity: GT.albion, operation: 45, transactions: 1, own: true, sourceCountry: 'GB' }),
    ]);
  });

  it('counts late records in the first open minute and flushes the rest at the end', () => {
    const d = detector({}, true);
    d.process(mapRecord({ time: T0 + 10 * MIN, operation: 56 }));
    d.process(mapRecord({ time: T0, operation: 56 }));
    d.flush();
    const rows = d.takeAggregates();
    expect(rows.map((row) => [row.minute, row.transactions, row.late])).toEqual([
      [new Date(T0 + 9 * MIN).toISOString(), 1, 1],
      [new Date(T0 + 10 * MIN).toISOString(), 1, 0],
    ]);
  });

  it('costs nothing when not asked for', () => {
    const d = detector();
    d.process(mapRecord({ time: T0 }));
    d.process(mapRecord({ time: T0 + 5 * MIN }));
    expect(d.takeAggregates()).toEqual([]);
  });
});
