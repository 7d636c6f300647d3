import { ALERT_STATE_COLUMNS, identifier, join, type Sql, sql } from '@gtwatch/clickhouse';
import { TLP_RANK } from '../params.js';
import type { Principal } from '../tokens.js';

/**
 * Where a principal's visibility becomes SQL. Every query of the api takes its scope from here and nowhere else:
 *
 * - alerts (on an alert's current state, `cur_*` of latestStates): TLP at most the clearance, and for a regulator its
 *   jurisdiction among the alert's jurisdictions, for an operator its reporter among the alert's reporters;
 * - traffic (`traffic_minute` rows): an operator's own reporter only; a regulator only the sources of the alerts it
 *   can see; analysts and admins everything.
 */
export function alertScope(principal: Principal): Sql[] {
  const conditions: Sql[] = [sql`cur_tlp_rank <= ${TLP_RANK[principal.clearance]}`];
  if (principal.role === 'regulator') conditions.push(sql`has(cur_jurisdictions, ${principal.jurisdiction})`);
  if (principal.role === 'operator') conditions.push(sql`has(cur_reporters, ${principal.reporter})`);
  return conditions;
}

export function trafficScope(database: string, principal: Principal): Sql[] {
  if (principal.role === 'operator') return [sql`reporter = ${principal.reporter}`];
  if (principal.role === 'regulator') return [sql`entity IN (${visibleSourceIds(database, principal)})`];
  return [];
}

/**
 * The sources of the alerts `principal` can see: `latestStates` reduced to the current-state columns the scope
 * reads, because traffic queries embed it once per table they read and the full state costs ~22 argMax columns.
 * Same rows as `SELECT cur_source_id FROM (latestStates(database, principal))`.
 */
function visibleSourceIds(database: string, principal: Principal): Sql {
  return sql`SELECT cur_source_id FROM (SELECT
    alert_id,
    argMax(source_id, sequence) AS cur_source_id,
    argMax(jurisdictions, sequence) AS cur_jurisdictions,
    argMax(reporters, sequence) AS cur_reporters,
    toUInt8(argMax(tlp, sequence)) AS cur_tlp_rank
  FROM ${identifier(database, 'alerts')}
  GROUP BY alert_id
  HAVING ${all(alertScope(principal))})`;
}

export interface StateFilter {
  /** Row-level prefilters: these never change during an alert's life, so filtering rows before grouping is exact. */
  alertId?: string;
  sourceId?: string;
  /** Conditions on the current state (`cur_*` columns), ANDed with the principal's scope. */
  having?: Sql[];
}

/** The columns of an alert's current state, shared with `@gtwatch/clickhouse`'s `latestAlerts`. */
export const STATE_COLUMNS = ALERT_STATE_COLUMNS;

/**
 * One row per alert: its current state (the columns of its highest-`sequence` event) plus opened time, event count
 * and highest sequence, filtered to what `principal` may see. A replayed event is an identical row, so unmerged
 * duplicates do not change argMax, min or uniqExact, and no FINAL is needed. Aliases are prefixed `cur_` because
 * 18.16 resolves an alias that shadows a column inside other aggregates.
 */
export function latestStates(database: string, principal: Principal, filter: StateFilter = {}): Sql {
  const where: Sql[] = [];
  if (filter.alertId !== undefined) where.push(sql`alert_id = ${filter.alertId}`);
  if (filter.sourceId !== undefined) where.push(sql`source_id = ${filter.sourceId}`);
  const having = [...alertScope(principal), ...(filter.having ?? [])];
  const current = STATE_COLUMNS.map((column) => sql`argMax(${identifier(column)}, sequence) AS ${identifier(`cur_${column}`)}`);
  return sql`SELECT
  alert_id,
  ${join(current, sql`,\n  `)},
  argMax(ifNull(category, 0), sequence) AS cur_category,
  toUnixTimestamp(argMax(first_seen, sequence)) AS cur_first_seen,
  toUnixTimestamp(argMax(last_seen, sequence)) AS cur_last_seen,
  toUnixTimestamp(argMax(event_time, sequence)) AS cur_event_time,
  toUInt8(argMax(tlp, sequence)) AS cur_tlp_rank,
  toUInt8(argMax(severity, sequence)) AS cur_severity_rank,
  toUnixTimestamp(min(event_time)) AS opened_at,
  uniqExact(event_id) AS events,
  max(sequence) AS max_sequence
FROM ${identifier(database, 'alerts')}${where.length > 0 ? sql`\nWHERE ${all(where)}` : sql``}
GROUP BY alert_id
HAVING ${all(having)}`;
}

/** The current state overlaps [from, to): its evidence span touches the range. */
export function overlaps(range: { from: number; to: number }): Sql {
  return sql`cur_first_seen < ${range.to} AND cur_last_seen >= ${range.from}`;
}

/** ANDs conditions; callers never pass an empty list. */
export function all(conditions: readonly Sql[]): Sql {
  return join(conditions, sql` AND `);
}
