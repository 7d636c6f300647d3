import type { ClickHouseClient } from '@gtwatch/clickhouse';
import { createLogger, createMetricsRegistry } from '@gtwatch/observability';
import { describe, expect, it } from 'vitest';
import { HourRoller } from '../src/hour-roller.js';
import { createSinkMetrics } from '../src/metrics.js';

const H = 1_796_032_800; // 2026-11-30 10:00:00 UTC

/**
 * The roller's bookkeeping (which hours are dirty, retried, flushed) against a ClickHouse stand-in that records the
 * rollup statements and fails on demand; what the statements compute is tested on the real server in
 * packages/clickhouse/test/integration/rollup.test.ts and test/integration/rollup.test.ts.
 */
function setup(failOn: (query: string, call: number) => boolean = () => false) {
  const queries: string[] = [];
  let calls = 0;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const client = {
    command: async ({ query }: { query: string }) => {
      calls++;
      if (gate) await gate;
      if (failOn(query, calls)) throw new Error('connect ECONNREFUSED');
      queries.push(query);
      return {};
    },
  } as unknown as ClickHouseClient;
  const registry = createMetricsRegistry({ service: 'test' });
  const metrics = createSinkMetrics(registry, () => []);
  const roller = new HourRoller({ client, database: 'db', intervalMs: 60_000, logger: createLogger({ service: 'test', level: 'silent' }), metrics, clock: () => 1_800_000_000_000 });
  const hoursRolled = () => queries.map((q) => Number(/minute >= toDateTime\((\d+)\)/.exec(q)?.[1]));
  const value = async (name: string, labels: Record<string, string> = {}) =>
    ((await registry.getSingleMetric(name)?.get())?.values ?? [])
      .filter((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l))
      .reduce((sum, v) => sum + v.value, 0);
  return {
    roller,
    hoursRolled,
    value,
    hold: () => {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => {
      gate = undefined;
      release?.();
    },
  };
}

describe('HourRoller', () => {
  it('rolls each dirty hour once per round, oldest first, with one version taken from the clock', async () => {
    const { roller, hoursRolled, value } = setup();
    roller.markMinutes([H + 3_600 + 60, H + 120, H + 3_540, H + 3_600]);
    expect(roller.pending).toEqual([H, H + 3_600]);
    expect(await value('gtwatch_sink_rollup_pending_hours')).toBe(2);
    await roller.runRound();
    expect(hoursRolled()).toEqual([H, H + 3_600]);
    expect(roller.pending).toEqual([]);
    expect(await value('gtwatch_sink_rollups_total', { result: 'ok' })).toBe(2);
    expect(await value('gtwatch_sink_rollup_pending_hours')).toBe(0);
    await roller.runRound(); // nothing dirty: nothing sent
    expect(hoursRolled()).toHaveLength(2);
  });

  it('keeps a failed hour and the ones after it dirty, and retries them next round', async () => {
    const { roller, hoursRolled, value } = setup((query, call) => call === 2 && query.includes(`toDateTime(${H + 3_600})`));
    roller.markMinutes([H, H + 3_600, H + 7_200]);
    await roller.runRound();
    expect(hoursRolled()).toEqual([H]);
    expect(roller.pending).toEqual([H + 3_600, H + 7_200]);
    expect(await value('gtwatch_sink_rollups_total', { result: 'failed' })).toBe(1);
    expect(await value('gtwatch_sink_rollup_pending_hours')).toBe(2);
    await roller.runRound();
    expect(hoursRolled()).toEqual([H, H + 3_600, H + 7_200]);
    expect(roller.pending).toEqual([]);
  });

  it('keeps hours marked during a round for the next one, and stop() rolls them', async () => {
    const { roller, hoursRolled, hold, release } = setup();
    roller.markMinutes([H]);
    hold();
    const round = roller.runRound();
    roller.markMinutes([H + 60, H + 7_200]); // rows acknowledged while the round's SELECT runs
    expect(roller.runRound()).toBe(round); // one round at a time
    release();
    await round;
    expect(roller.pending).toEqual([H, H + 7_200]);
    await roller.stop();
    expect(hoursRolled()).toEqual([H, H, H + 7_200]);
    expect(roller.pending).toEqual([]);
  });
});
