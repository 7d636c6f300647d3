import { type Sql, sql } from '@gtwatch/clickhouse';
import { z } from 'zod';
import type { QueryRunner } from '../db.js';
import type { Principal } from '../tokens.js';
import { int } from './columns.js';
import { EntitySumsRow, type TrafficFilter, type TrafficPlan, trafficRowsQuery, trafficSumsQuery } from './traffic.js';

const BoundRow = z.object({ entity: z.string(), s: int, ht: int, he: int });

/** Per source: `s` the upper bound of its transactions, `ht`/`he` the exact transactions/errors of its whole hours. */
function boundsQuery(database: string, principal: Principal, filter: TrafficFilter, plan: TrafficPlan, count: number): Sql {
  return sql`SELECT entity, sum(transactions) AS s, sumIf(transactions, hourly = 1) AS ht, sumIf(errors, hourly = 1) AS he
FROM (${trafficRowsQuery(database, principal, filter, plan, 'upper')})
GROUP BY entity
ORDER BY s DESC, entity
LIMIT ${count}`;
}

type Ranked = z.output<typeof EntitySumsRow>;
const byTransactions = (a: Ranked, b: Ranked) => b.transactions - a.transactions || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0);

/**
 * Sources ranked by transactions, exactly as `FINAL` would rank them, without a `FINAL` scan of the whole range.
 *
 * Whole hours come from `traffic_hour` (exact: one snapshot per hour, see ./hours.ts); when the plan reads nothing
 * from `traffic_minute` that sum is the answer, in one query. Otherwise the minute part is the problem: `FINAL` over
 * a day's partition runs on one thread on 18.16 (seconds for a few million rows), while a plain sum is fast but
 * counts a replayed row twice until the background merge removes it. Since duplicates only ever add, hour sums plus
 * plain minute sums are an upper bound of the exact ones. So: take the top M sources by that bound, compute the
 * exact minute sums (deduplicated per key) of just them (`entity` leads the sort key, so that reads only their
 * granules) and add their exact hour sums from the first query; accept the answer when the last wanted exact sum is
 * above the M-th bound — no source outside the candidates can reach it. Otherwise widen M; after two widenings fall
 * back to the full exact query. `onCandidates` is told each candidate list at once, so the caller can fetch what it
 * shows about them while the exact sums are computed.
 */
export async function topTrafficExact(
  runner: QueryRunner,
  database: string,
  principal: Principal,
  filter: TrafficFilter,
  page: { limit: number; offset: number },
  plan: TrafficPlan,
  onCandidates: (entities: string[]) => void = () => {},
): Promise<Ranked[]> {
  if (plan.minutes.length === 0) {
    const rows = await runner.rows(trafficSumsQuery(database, principal, filter, page, 'by-key', plan), EntitySumsRow);
    onCandidates(rows.slice(0, page.limit).map((row) => row.entity));
    return rows;
  }
  const needed = page.offset + page.limit + 1;
  const minutesOnly: TrafficPlan = { hours: null, minutes: plan.minutes };
  // Replays are rare, so a small margin over what is needed usually settles it in one round.
  let candidates = needed + Math.max(10, Math.ceil(needed / 2));
  for (let attempt = 0; attempt < 3; attempt++) {
    const bounds = await runner.rows(boundsQuery(database, principal, filter, plan, candidates), BoundRow);
    if (bounds.length === 0) return [];
    const entities = bounds.map((row) => row.entity);
    onCandidates(entities);
    const minuteSums = await runner.rows(
      trafficSumsQuery(database, principal, { ...filter, entities }, { limit: entities.length, offset: 0 }, 'by-key', minutesOnly),
      EntitySumsRow,
    );
    const fromMinutes = new Map(minuteSums.map((row) => [row.entity, row]));
    const exact = bounds
      .map((row) => ({
        entity: row.entity,
        transactions: row.ht + (fromMinutes.get(row.entity)?.transactions ?? 0),
        errors: row.he + (fromMinutes.get(row.entity)?.errors ?? 0),
      }))
      .sort(byTransactions);
    const complete = bounds.length < candidates;
    const threshold = bounds[bounds.length - 1]?.s ?? 0;
    const last = exact[Math.min(needed, exact.length) - 1];
    if (complete || (exact.length >= needed && last !== undefined && last.transactions > threshold)) {
      return exact.slice(page.offset, needed);
    }
    candidates *= 4;
  }
  return runner.rows(trafficSumsQuery(database, principal, filter, page, 'final', plan), EntitySumsRow);
}
