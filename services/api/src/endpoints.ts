import { identifier, list, type Sql, sql } from '@gtwatch/clickhouse';
import { centroidOf, type Numbering } from '@gtwatch/numbering';
import { SEVERITIES } from '@gtwatch/schema';
import { z } from 'zod';
import { bucketSeconds } from './buckets.js';
import type { QueryRunner } from './db.js';
import { forbidden, notFound } from './errors.js';
import {
  AlertCursor,
  type AlertsQuery,
  decodeCursor,
  encodeCursor,
  OffsetCursor,
  resolveRange,
  type SourceProfileQuery,
  type TopSourcesQuery,
} from './params.js';
import { type AlertState, AlertStateRow, alertEventsQuery, AlertEventRow, alertPageQuery } from './queries/alerts.js';
import { flag, int } from './queries/columns.js';
import { latestStates, overlaps } from './queries/scope.js';
import { planTraffic } from './queries/hours.js';
import { topTrafficExact } from './queries/top-traffic.js';
import {
  EntityInfoRow,
  EntitySumsRow,
  entityInfoQuery,
  entityTrafficExistsQuery,
  OperationRow,
  ReporterRow,
  reportersQuery,
  operationsQuery,
  SeriesRow,
  seriesQuery,
  type TrafficFilter,
  trafficSumsQuery,
} from './queries/traffic.js';
import type { Principal } from './tokens.js';

export interface RequestContext {
  runner: QueryRunner;
  database: string;
  principal: Principal;
  nowMs: number;
  numbering: Numbering | null;
}

/** Explicit filters outside the principal's scope are refused, so a client learns its request cannot be answered. */
function checkScope(principal: Principal, query: { jurisdiction?: string | undefined; reporter?: string | undefined }): void {
  if (principal.role === 'regulator' && query.jurisdiction !== undefined && query.jurisdiction !== principal.jurisdiction) {
    throw forbidden(`jurisdiction ${query.jurisdiction} is outside this token's scope (${principal.jurisdiction})`);
  }
  if (principal.role === 'operator' && query.reporter !== undefined && query.reporter !== principal.reporter) {
    throw forbidden(`reporter ${query.reporter} is outside this token's scope (${principal.reporter})`);
  }
}

function rangeJson(range: { from: number; to: number }) {
  return { from: new Date(range.from * 1000).toISOString(), to: new Date(range.to * 1000).toISOString() };
}

// ---------------------------------------------------------------------------------------------------- top sources

const AlertMetricsRow = z
  .object({
    entity: z.string(),
    entity_type: z.string(),
    score: int,
    alerts: int,
    open: int,
    patterns: z.array(z.string()),
    country: z.string(),
    plmn: z.string(),
    operator: z.string(),
    leased: flag,
  })
  .transform((row) => ({
    entity: row.entity,
    type: row.entity_type,
    score: row.score,
    alerts: row.alerts,
    openAlerts: row.open,
    patterns: [...row.patterns].sort(),
    country: row.country || null,
    plmn: row.plmn || null,
    operator: row.operator || null,
    leased: row.leased,
  }));

interface SourceFilters {
  range: { from: number; to: number };
  pattern?: string | undefined;
  protocol?: string | undefined;
  reporter?: string | undefined;
  country?: string | undefined;
  jurisdiction?: string | undefined;
}

function alertConditions(database: string, filters: SourceFilters): Sql[] {
  const having: Sql[] = [overlaps(filters.range)];
  if (filters.pattern !== undefined) having.push(sql`cur_pattern = ${filters.pattern}`);
  if (filters.reporter !== undefined) having.push(sql`has(cur_reporters, ${filters.reporter})`);
  if (filters.country !== undefined) having.push(sql`cur_source_country = ${filters.country}`);
  if (filters.jurisdiction !== undefined) having.push(sql`has(cur_jurisdictions, ${filters.jurisdiction})`);
  if (filters.protocol !== undefined) {
    having.push(sql`cur_source_id IN (SELECT entity FROM ${identifier(database, 'traffic_minute')}
      WHERE protocol = ${filters.protocol} AND minute >= toDateTime(${filters.range.from}) AND minute < toDateTime(${filters.range.to}))`);
  }
  return having;
}

function alertMetricsQuery(database: string, principal: Principal, having: Sql[], order: 'score' | 'alerts' | null, page: { limit: number; offset: number }): Sql {
  const orderBy = order === 'alerts' ? sql`alerts DESC, score DESC, entity` : sql`score DESC, alerts DESC, entity`;
  return sql`SELECT
  cur_source_id AS entity,
  toString(any(cur_source_type)) AS entity_type,
  max(cur_score) AS score,
  count() AS alerts,
  sum(cur_status IN ('open', 'update')) AS open,
  groupUniqArray(cur_pattern) AS patterns,
  any(cur_source_country) AS country,
  any(cur_source_plmn) AS plmn,
  any(cur_source_operator) AS operator,
  max(cur_source_leased) AS leased
FROM (${latestStates(database, principal, { having })})
GROUP BY entity
ORDER BY ${orderBy}
LIMIT ${page.offset}, ${page.limit + 1}`;
}

export async function topSources(ctx: RequestContext, query: TopSourcesQuery) {
  checkScope(ctx.principal, query);
  const range = resolveRange(query, ctx.nowMs);
  const offset = decodeCursor(query.cursor, OffsetCursor)?.o ?? 0;
  const page = { limit: query.limit, offset };
  const filters: SourceFilters = { ...query, range };
  const { runner, database, principal } = ctx;
  // Started at once: the score ranking needs it only after its own query, the transactions ranking first.
  const planned = planTraffic(runner, database, range, ctx.nowMs);
  planned.catch(() => {}); // awaited below on every path; this only keeps an early throw from going unhandled

  type Item = {
    entity: string;
    type: string;
    country: string | null;
    plmn: string | null;
    operator: string | null;
    leased: boolean;
    score: number;
    alerts: number;
    openAlerts: number;
    patterns: string[];
    transactions: number;
    errors: number;
  };
  let items: Item[];
  if (query.by === 'transactions') {
    const conditions: Sql[] = [];
    if (query.pattern !== undefined || query.jurisdiction !== undefined) {
      const having = alertConditions(database, { range, pattern: query.pattern, jurisdiction: query.jurisdiction });
      conditions.push(sql`entity IN (SELECT cur_source_id FROM (${latestStates(database, principal, { having })}))`);
    }
    const trafficFilter: TrafficFilter = { range, conditions };
    if (query.protocol !== undefined) trafficFilter.protocol = query.protocol;
    if (query.reporter !== undefined) trafficFilter.reporter = query.reporter;
    if (query.country !== undefined) trafficFilter.country = query.country;
    // What is shown about the ranked sources is fetched for the candidates while their exact sums are computed.
    const details = (entities: string[]) =>
      Promise.all([
        runner.rows(
          alertMetricsQuery(database, principal, [overlaps(range), sql`cur_source_id IN ${list(entities)}`], null, { limit: entities.length, offset: 0 }),
          AlertMetricsRow,
        ),
        runner.rows(entityInfoQuery(database, entities, plan), EntityInfoRow),
      ]);
    let early: { entities: Set<string>; rows: ReturnType<typeof details> } | undefined;
    const plan = await planned;
    const ranked = await topTrafficExact(runner, database, principal, trafficFilter, page, plan, (candidates) => {
      if (candidates.length === 0) return;
      const rows = details(candidates);
      rows.catch(() => {}); // awaited below when used; a later candidate list may replace it
      early = { entities: new Set(candidates), rows };
    });
    const metrics = new Map<string, z.output<typeof AlertMetricsRow>>();
    const info = new Map<string, z.output<typeof EntityInfoRow>>();
    const entities = ranked.slice(0, query.limit).map((row) => row.entity);
    if (entities.length > 0) {
      const covered: typeof early = early;
      const [alertRows, infoRows] =
        covered && entities.every((entity) => covered.entities.has(entity)) ? await covered.rows : await details(entities);
      for (const row of alertRows) metrics.set(row.entity, row);
      for (const row of infoRows) info.set(row.entity, row);
    }
    items = ranked.map((row) => {
      const m = metrics.get(row.entity);
      const i = info.get(row.entity);
      return {
        entity: row.entity,
        type: i?.type ?? (/^\d+$/.test(row.entity) ? 'gt' : 'realm'),
        country: i?.country ?? null,
        plmn: i?.plmn ?? null,
        operator: i?.operator ?? null,
        leased: i?.leased ?? false,
        transactions: row.transactions,
        errors: row.errors,
        score: m?.score ?? 0,
        alerts: m?.alerts ?? 0,
        openAlerts: m?.openAlerts ?? 0,
        patterns: m?.patterns ?? [],
      };
    });
  } else {
    const [ranked, plan] = await Promise.all([
      runner.rows(alertMetricsQuery(database, principal, alertConditions(database, filters), query.by, page), AlertMetricsRow),
      planned,
    ]);
    const traffic = new Map<string, z.output<typeof EntitySumsRow>>();
    const entities = ranked.slice(0, query.limit).map((row) => row.entity);
    if (entities.length > 0) {
      const trafficFilter: TrafficFilter = { range, entities };
      if (query.reporter !== undefined) trafficFilter.reporter = query.reporter;
      const sums = trafficSumsQuery(database, principal, trafficFilter, { limit: entities.length, offset: 0 }, 'by-key', plan);
      for (const row of await runner.rows(sums, EntitySumsRow)) {
        traffic.set(row.entity, row);
      }
    }
    items = ranked.map((row) => ({ ...row, transactions: traffic.get(row.entity)?.transactions ?? 0, errors: traffic.get(row.entity)?.errors ?? 0 }));
  }
  const hasMore = items.length > query.limit && offset + query.limit < 10_000;
  return {
    ...rangeJson(range),
    by: query.by,
    items: items.slice(0, query.limit),
    nextCursor: hasMore ? encodeCursor({ o: offset + query.limit }) : null,
  };
}

// ------------------------------------------------------------------------------------------------ source profile

const ExistsRow = z.object({ n: int });
const StoredRow = z.object({ country: z.string(), plmn: z.string(), operator: z.string(), leased: flag, type: z.string() });

function holderOf(numbering: Numbering | null, id: string) {
  if (!numbering) return null;
  if (/^\d+$/.test(id)) {
    const r = numbering.resolveGt(id);
    return { rangePrefix: r.prefix, plmn: r.plmn, operator: r.operator, country: r.country, leased: r.leased };
  }
  const r = numbering.resolveRealm(id);
  return { rangePrefix: null, plmn: r.plmn, operator: r.operator, country: r.country, leased: false };
}

/** Victim values of the alerts, by how many alerts name them; subscribers is the largest count any alert gave. */
function victimsOf(alerts: readonly AlertState[], pick: (alert: AlertState) => readonly string[]) {
  const byValue = new Map<string, { value: string; alerts: number; subscribers: number }>();
  for (const alert of alerts) {
    for (const value of new Set(pick(alert))) {
      const entry = byValue.get(value) ?? { value, alerts: 0, subscribers: 0 };
      entry.alerts += 1;
      entry.subscribers = Math.max(entry.subscribers, alert.victims.subscribers);
      byValue.set(value, entry);
    }
  }
  return [...byValue.values()].sort((a, b) => b.alerts - a.alerts || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function patternsOf(alerts: readonly AlertState[]) {
  const byPattern = new Map<string, { pattern: string; alerts: number; maxScore: number; maxSeverity: string; firstSeen: string; lastSeen: string }>();
  const rank = (severity: string) => (SEVERITIES as readonly string[]).indexOf(severity);
  for (const alert of alerts) {
    const entry = byPattern.get(alert.pattern);
    if (!entry) {
      byPattern.set(alert.pattern, { pattern: alert.pattern, alerts: 1, maxScore: alert.score, maxSeverity: alert.severity, firstSeen: alert.openedAt, lastSeen: alert.lastSeen });
      continue;
    }
    entry.alerts += 1;
    entry.maxScore = Math.max(entry.maxScore, alert.score);
    if (rank(alert.severity) > rank(entry.maxSeverity)) entry.maxSeverity = alert.severity;
    if (alert.openedAt < entry.firstSeen) entry.firstSeen = alert.openedAt;
    if (alert.lastSeen > entry.lastSeen) entry.lastSeen = alert.lastSeen;
  }
  return [...byPattern.values()].sort((a, b) => b.alerts - a.alerts || (a.pattern < b.pattern ? -1 : 1));
}

/**
 * A source has at most one alert per pattern and rule version, so all of its visible alerts are read at once and
 * victims, patterns and history are derived from them here; the traffic comes from three small queries on the
 * source's own rows (`entity` leads the sort key). Fewer, cheaper queries keep the profile fast under concurrency.
 */
export async function sourceProfile(ctx: RequestContext, id: string, query: SourceProfileQuery) {
  const range = resolveRange(query, ctx.nowMs);
  const { runner, database, principal } = ctx;
  const history = await runner.rows(alertPageQuery(database, principal, { sourceId: id, limit: 999 }), AlertStateRow);
  if (history.length === 0) {
    // A regulator sees only the sources of its alerts; the others may also know a source by its traffic alone.
    const traffic = principal.role === 'regulator' ? [] : await runner.rows(entityTrafficExistsQuery(database, principal, id), ExistsRow);
    if ((traffic[0]?.n ?? 0) === 0) throw notFound(`source ${id}`);
  }
  const filter: TrafficFilter = { range, entity: id };
  const step = bucketSeconds(range, 1_440);
  const [series, operations, reporters, stored] = await Promise.all([
    runner.rows(seriesQuery(database, principal, filter, step), SeriesRow),
    runner.rows(operationsQuery(database, principal, filter), OperationRow),
    runner.rows(reportersQuery(database, principal, filter), ReporterRow),
    history.length > 0
      ? Promise.resolve([])
      : runner.rows(
          sql`SELECT any(source_country) AS country, any(source_plmn) AS plmn, any(source_operator) AS operator,
  max(leased) AS leased, toString(any(entity_type)) AS type
FROM ${identifier(database, 'traffic_minute')} WHERE entity = ${id}`,
          StoredRow,
        ),
  ]);
  const fromMs = range.from * 1000;
  const toMs = range.to * 1000;
  const inRange = history.filter((alert) => Date.parse(alert.firstSeen) < toMs && Date.parse(alert.lastSeen) >= fromMs);
  const storedRow = stored[0];
  const enrichment =
    history[0]?.source ??
    (storedRow && storedRow.type !== ''
      ? { type: storedRow.type, id, country: storedRow.country || null, plmn: storedRow.plmn || null, operator: storedRow.operator || null, leased: storedRow.leased }
      : { type: /^\d+$/.test(id) ? 'gt' : 'realm', id, country: null, plmn: null, operator: null, leased: false });
  return {
    id,
    ...rangeJson(range),
    source: enrichment,
    /** What the configured reference data (gt-ranges.csv / realms.csv) says now; null when none is configured. */
    rangeHolder: holderOf(ctx.numbering, id),
    series: { stepSeconds: step, points: series },
    operations,
    reporters,
    /** Victims named by the alerts whose evidence overlaps the range. */
    victims: { plmns: victimsOf(inRange, (a) => a.victims.plmns), countries: victimsOf(inRange, (a) => a.victims.countries) },
    /** Every visible alert of the source, whatever the range. */
    patterns: patternsOf(history),
    alerts: history.slice(0, 99),
    /** Ingress labels (the interconnect a record arrived on) are not stored in the aggregates. */
    ingress: null,
  };
}

// ------------------------------------------------------------------------------------------------------ alerts

export async function alertList(ctx: RequestContext, query: AlertsQuery) {
  checkScope(ctx.principal, query);
  const range = resolveRange(query, ctx.nowMs);
  const after = decodeCursor(query.cursor, AlertCursor);
  const having: Sql[] = [overlaps(range)];
  if (query.pattern !== undefined) having.push(sql`cur_pattern = ${query.pattern}`);
  if (query.severity !== undefined) having.push(sql`cur_severity = ${query.severity}`);
  // toString: the statuses of @gtwatch/schema (withdrawn) may outgrow the stored Enum8, and comparing an Enum8 with a
  // literal it does not know is a server error, not an empty answer.
  if (query.status !== undefined) having.push(sql`toString(cur_status) = ${query.status}`);
  if (query.jurisdiction !== undefined) having.push(sql`has(cur_jurisdictions, ${query.jurisdiction})`);
  const rows = await ctx.runner.rows(
    alertPageQuery(ctx.database, ctx.principal, {
      having,
      limit: query.limit,
      after,
      ...(query.source !== undefined ? { sourceId: query.source } : {}),
    }),
    AlertStateRow,
  );
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    ...rangeJson(range),
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor({ s: last.sequence, a: last.alertId }) : null,
  };
}

export async function alertDetail(ctx: RequestContext, alertId: string) {
  const rows = await ctx.runner.rows(alertPageQuery(ctx.database, ctx.principal, { alertId, limit: 1 }), AlertStateRow);
  const alert = rows[0];
  if (!alert) throw notFound(`alert ${alertId}`);
  const events = await ctx.runner.rows(alertEventsQuery(ctx.database, alertId, 1_000), AlertEventRow);
  return { alert, lifecycle: events };
}

/** The newest current states visible to the principal, for the live feed. */
export async function recentAlerts(ctx: RequestContext, limit: number): Promise<AlertState[]> {
  const rows = await ctx.runner.rows(alertPageQuery(ctx.database, ctx.principal, { limit }), AlertStateRow);
  return rows.slice(0, limit);
}

// ------------------------------------------------------------------------------------------ jurisdiction summary

const PatternSeverityRow = z.object({ pattern: z.string(), severity: z.string(), alerts: int, open: int });
const BucketRow = z.object({ t: int, pattern: z.string(), alerts: int });
const SourceAlertsRow = z.object({
  entity: z.string(),
  country: z.string(),
  plmn: z.string(),
  operator: z.string(),
  leased: flag,
  alerts: int,
  score: int,
});

function trendQuery(database: string, principal: Principal, having: Sql[], step: number): Sql {
  return sql`SELECT intDiv(toUInt32(opened_at), ${step}) * ${step} AS t, cur_pattern AS pattern, count() AS alerts
FROM (${latestStates(database, principal, { having })})
GROUP BY t, pattern
ORDER BY t, pattern
LIMIT 20000`;
}

function trendJson(rows: ReadonlyArray<z.output<typeof BucketRow>>, step: number, range: { from: number; to: number }) {
  const patterns = [...new Set(rows.map((row) => row.pattern))].sort();
  const start = Math.floor(range.from / step) * step;
  const times: number[] = [];
  for (let t = start; t < range.to; t += step) times.push(t);
  const index = new Map(times.map((t, i) => [t, i]));
  const series: Record<string, number[]> = Object.fromEntries(patterns.map((p) => [p, times.map(() => 0)]));
  for (const row of rows) {
    const i = index.get(row.t);
    const line = series[row.pattern];
    if (i !== undefined && line) line[i] = row.alerts;
  }
  return { stepSeconds: step, times, series };
}

export async function jurisdictionSummary(ctx: RequestContext, jurisdiction: string, query: { from?: string | undefined; to?: string | undefined }) {
  checkScope(ctx.principal, { jurisdiction });
  const range = resolveRange(query, ctx.nowMs);
  const { runner, database, principal } = ctx;
  const having = [overlaps(range), sql`has(cur_jurisdictions, ${jurisdiction})`];
  const step = bucketSeconds(range, 96);
  const [bySeverity, trend, sources] = await Promise.all([
    runner.rows(
      sql`SELECT cur_pattern AS pattern, toString(cur_severity) AS severity, count() AS alerts, sum(cur_status IN ('open', 'update')) AS open
FROM (${latestStates(database, principal, { having })})
GROUP BY pattern, severity
ORDER BY pattern, severity
LIMIT 1000`,
      PatternSeverityRow,
    ),
    runner.rows(trendQuery(database, principal, having, step), BucketRow),
    runner.rows(
      sql`SELECT cur_source_id AS entity, any(cur_source_country) AS country, any(cur_source_plmn) AS plmn,
  any(cur_source_operator) AS operator, max(cur_source_leased) AS leased, count() AS alerts, max(cur_score) AS score
FROM (${latestStates(database, principal, { having })})
GROUP BY entity
ORDER BY alerts DESC, entity
LIMIT 2000`,
      SourceAlertsRow,
    ),
  ]);
  return {
    jurisdiction,
    ...rangeJson(range),
    alertsByPatternAndSeverity: bySeverity,
    mostAbusedRanges: abusedRanges(sources, ctx.numbering).slice(0, 20),
    trend: trendJson(trend, step, range),
  };
}

/**
 * Groups abusive sources by the GT range they belong to: the longest gt-ranges.csv prefix when reference data is
 * configured, else the stored PLMN (or, for an unallocated GT, its country).
 */
function abusedRanges(rows: ReadonlyArray<z.output<typeof SourceAlertsRow>>, numbering: Numbering | null) {
  const ranges = new Map<string, { range: string; holder: string | null; plmn: string | null; country: string | null; leased: boolean; alerts: number; sources: number; maxScore: number }>();
  for (const row of rows) {
    const resolved = numbering && /^\d+$/.test(row.entity) ? numbering.resolveGt(row.entity) : null;
    const key = resolved?.prefix ?? (row.plmn ? `plmn ${row.plmn}` : `unallocated ${row.country || '??'}`);
    const entry = ranges.get(key) ?? {
      range: key,
      holder: resolved?.operator ?? (row.operator || null),
      plmn: resolved?.plmn ?? (row.plmn || null),
      country: resolved?.country ?? (row.country || null),
      leased: resolved?.leased ?? row.leased,
      alerts: 0,
      sources: 0,
      maxScore: 0,
    };
    entry.alerts += row.alerts;
    entry.sources += 1;
    entry.maxScore = Math.max(entry.maxScore, row.score);
    ranges.set(key, entry);
  }
  return [...ranges.values()].sort((a, b) => b.alerts - a.alerts || b.maxScore - a.maxScore || a.range.localeCompare(b.range));
}

// ------------------------------------------------------------------------------------------------------ overview

const CountryAlertsRow = z.object({ country: z.string(), alerts: int, sources: int });
const TotalsRow = z.object({ alerts: int, open: int, sources: int });

export async function overview(ctx: RequestContext, query: { from?: string | undefined; to?: string | undefined }) {
  const range = resolveRange(query, ctx.nowMs);
  const { runner, database, principal } = ctx;
  const having = [overlaps(range)];
  const step = bucketSeconds(range, 96);
  const states = () => latestStates(database, principal, { having });
  const [trend, sourceCountries, victimCountries, totals, top] = await Promise.all([
    runner.rows(trendQuery(database, principal, having, step), BucketRow),
    runner.rows(
      sql`SELECT cur_source_country AS country, count() AS alerts, uniqExact(cur_source_id) AS sources
FROM (${states()}) WHERE cur_source_country != '' GROUP BY country ORDER BY alerts DESC, country LIMIT 300`,
      CountryAlertsRow,
    ),
    runner.rows(
      sql`SELECT arrayJoin(cur_victim_countries) AS country, count() AS alerts, uniqExact(cur_source_id) AS sources
FROM (${states()}) GROUP BY country ORDER BY alerts DESC, country LIMIT 300`,
      CountryAlertsRow,
    ),
    runner.rows(
      sql`SELECT count() AS alerts, sum(cur_status IN ('open', 'update')) AS open, uniqExact(cur_source_id) AS sources FROM (${states()})`,
      TotalsRow,
    ),
    topSources(ctx, { ...query, by: 'score', limit: 10 }),
  ]);
  const located = <T extends { country: string }>(rows: readonly T[]) =>
    rows.map((row) => {
      const centre = centroidOf(row.country);
      return { ...row, lat: centre?.[0] ?? null, lon: centre?.[1] ?? null };
    });
  return {
    ...rangeJson(range),
    totals: totals[0] ?? { alerts: 0, open: 0, sources: 0 },
    alertsOverTime: trendJson(trend, step, range),
    sourceCountries: located(sourceCountries),
    victimCountries: located(victimCountries),
    topSources: top.items,
  };
}
