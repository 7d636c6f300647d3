import { TrafficMinuteRowSchema } from '@gtwatch/clickhouse';
import { TrafficAggregateSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { fastTrafficMinuteRow } from '../src/aggregate-row.js';
import { toTrafficMinuteRow } from '../src/index.js';
import { aggregate, MINUTE_0 } from './fixtures.js';

const VERSION = 1_796_033_765_432;

/** The zod route the fast one must agree with: the contract, then the table row. */
function zodRow(json: unknown) {
  const parsed = TrafficAggregateSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const row = TrafficMinuteRowSchema.safeParse(toTrafficMinuteRow(parsed.data, VERSION));
  return row.success ? row.data : undefined;
}

/** As the scorer writes them: `toISOString` minutes with milliseconds. */
const scorerMinute = (index: number) => new Date((MINUTE_0 + 60 * index) * 1000).toISOString();

const ODD_VALUES: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 2, 3, 4, 1.5, 60, 255, 16_777_215, 16_777_216, 4_294_967_295, 4_294_967_296,
  2 ** 53, Number.MAX_SAFE_INTEGER, '', 'x', '1', 'gt', 'realm', 'MAP', 'CAP', 'DIAMETER', 'map', '234-15', '234-150',
  '23-15', 'GB', 'gb', 'GBR', 'Orange CI', 'x'.repeat(255), 'x'.repeat(256), [], {}, [1],
  '2026-11-30T10:15:00.000Z', '2026-11-30T10:15:00Z', '2026-11-30T10:15:30.000Z', '2026-11-30T10:15:00.001Z',
  '2026-02-30T10:15:00.000Z', '2026-11-30T24:00:00.000Z', '1969-12-31T23:59:00.000Z', '2106-02-07T06:28:00.000Z',
  '2106-02-07T06:29:00.000Z', '0000-01-01T00:00:00.000Z', '2026-11-30 10:15:00.000Z', '2026-11-30T10:15:00.000+00:00',
];

describe('fastTrafficMinuteRow', () => {
  it('maps what the scorer writes exactly as the zod route does', () => {
    const rows = [
      aggregate({ minute: scorerMinute(0) }),
      aggregate({ minute: scorerMinute(7), sourceCountry: null, sourcePlmn: null, sourceOperator: null, leased: true }),
      aggregate({ minute: scorerMinute(1), entityType: 'realm', entity: 'epc.mnc003.mcc612.3gppnetwork.org', protocol: 'DIAMETER', operation: 316 }),
      aggregate({ minute: scorerMinute(2), transactions: 2 ** 40, subscribers: 4_294_967_295, category: 3, own: true, sourceOperator: 'Télécom ✓' }),
    ];
    for (const row of rows) {
      const fast = fastTrafficMinuteRow(row, VERSION);
      expect(fast).toBeDefined();
      expect(fast).toEqual(zodRow(row));
    }
  });

  it('never accepts what the zod route rejects, and maps whatever it accepts identically (every single and many double mutations)', () => {
    const keys = [...Object.keys(aggregate()), 'extra', '__proto__'];
    const mutations = keys.flatMap((key) => ODD_VALUES.map((value) => ({ key, value })));
    // Every mutation alone, then pairs picked with a stride coprime to the count (deterministic, spread over all).
    const cases = [...mutations.map((m) => [m]), ...mutations.map((m, i) => [m, mutations[(i * 7_919 + 13) % mutations.length] ?? m])];
    let accepted = 0;
    let rejectedByZod = 0;
    for (const [i, changes] of cases.entries()) {
      const row: Record<string, unknown> = { ...aggregate({ minute: scorerMinute(i % 100) }) };
      for (const { key, value } of changes) {
        if (value === undefined) delete row[key];
        else row[key === '__proto__' ? 'protoKey' : key] = value;
      }
      // As the sink sees it: parsed JSON, where "__proto__" is an own key like any other.
      const json: unknown = JSON.parse(JSON.stringify(row).replace('"protoKey"', '"__proto__"'));
      const expected = zodRow(json);
      const fast = fastTrafficMinuteRow(json, VERSION);
      if (expected === undefined) rejectedByZod++;
      if (fast !== undefined) accepted++;
      if (fast !== undefined) expect({ case: changes, row: fast }).toEqual({ case: changes, row: expected });
    }
    // The mutations must exercise both sides, or the comparison above proves nothing.
    expect(rejectedByZod).toBeGreaterThan(cases.length / 2);
    expect(accepted).toBeGreaterThan(100);
  });

  it('leaves everything that is not a plain object to the zod route', () => {
    for (const value of [null, 1, 'row', [], [aggregate()], true]) expect(fastTrafficMinuteRow(value, VERSION)).toBeUndefined();
  });
});
