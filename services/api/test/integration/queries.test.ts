import { sql } from '@gtwatch/clickhouse';
import { ALERT_STATUSES, PATTERN_IDS, PROTOCOLS, SEVERITIES } from '@gtwatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QueryRunner, QueryTimeoutError } from '../../src/db.js';
import type { ApiHandle } from '../../src/server.js';
import { fixtureApi } from './fixture-api.js';
import { PERSONAS, T0, visibleAlertIds, visibleTraffic } from './fixtures.js';
import { getJson, type TestDatabase } from './support.js';

describe('api queries, pagination, validation and timeouts', () => {
  let db: TestDatabase;
  let api: ApiHandle;
  const analyst = PERSONAS.find((p) => p.role === 'analyst')!;
  const get = (path: string) => getJson(api, path, analyst.token.token);

  beforeAll(async () => {
    ({ db, api } = await fixtureApi('queries'));
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('pages through alerts with cursors: every alert once, most recently updated first', async () => {
    const seen: Array<{ alertId: string; sequence: number }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await get(`/api/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.map((a) => a.alertId).sort()).toEqual(visibleAlertIds(analyst));
    const sequences = seen.map((a) => a.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(pages).toBe(Math.ceil(seen.length / 2));
  });

  it('pages through top sources by transactions without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await get(`/api/v1/sources/top?by=transactions&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.items.map((i: { entity: string }) => i.entity));
      cursor = body.nextCursor;
    } while (cursor);
    const expected = [...visibleTraffic(analyst)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([e]) => e);
    expect(seen).toEqual(expected);
  });

  it('filters alerts and sources by pattern, severity, status, source, protocol, country and time range', async () => {
    const ids = async (path: string) => ((await get(path)).body.items as Array<{ alertId: string }>).map((a) => a.alertId).sort();
    expect(await ids('/api/v1/alerts?pattern=category-1')).toEqual(['a1cat1ci']);
    expect(await ids('/api/v1/alerts?status=resolved')).toEqual(['a1cat1ci']);
    // A status the schema knows but the stored Enum8 may not: an empty answer, not a server error.
    expect(await ids('/api/v1/alerts?status=withdrawn')).toEqual([]);
    expect(await ids('/api/v1/alerts?severity=critical')).toEqual(['a3imsicn']);
    expect(await ids('/api/v1/alerts?source=447700900123')).toEqual(['a5velgb']);
    expect(await ids('/api/v1/alerts?jurisdiction=us')).toEqual(['a2scanus', 'a3imsicn', 'a7diamrealm']);
    const oldRange = `from=${new Date((T0 - 5 * 86_400) * 1000).toISOString()}&to=${new Date((T0 - 2 * 86_400) * 1000).toISOString()}`;
    expect(await ids(`/api/v1/alerts?${oldRange}`)).toEqual(['a6oldcat2']);
    const entities = async (path: string) => ((await get(path)).body.items as Array<{ entity: string }>).map((i) => i.entity).sort();
    expect(await entities('/api/v1/sources/top?by=transactions&protocol=DIAMETER')).toEqual(['diameter.example.org']);
    expect(await entities('/api/v1/sources/top?by=transactions&country=CI')).toEqual(['2250760000123', '2250760000999']);
    expect(await entities('/api/v1/sources/top?by=score&protocol=DIAMETER')).toEqual(['diameter.example.org']);
    expect(await entities('/api/v1/sources/top?by=transactions&pattern=scanning')).toEqual(['13125550001']);
    expect(await entities('/api/v1/sources/top?by=alerts&reporter=310-410')).toEqual(['13125550001', '8613800000001', 'diameter.example.org']);
  });

  it('answers 200 for every value every enumerated parameter accepts', async () => {
    const values: Record<string, readonly string[]> = {
      pattern: PATTERN_IDS,
      severity: SEVERITIES,
      status: ALERT_STATUSES,
      protocol: PROTOCOLS,
      by: ['score', 'transactions', 'alerts'],
    };
    const endpoints: Record<string, string[]> = {
      '/api/v1/alerts': ['pattern', 'severity', 'status'],
      '/api/v1/sources/top': ['pattern', 'protocol', 'by'],
    };
    for (const [path, params] of Object.entries(endpoints)) {
      for (const param of params) {
        for (const value of values[param] ?? []) {
          const { status, body } = await get(`${path}?${param}=${encodeURIComponent(value)}`);
          expect(status, `${path}?${param}=${value}: ${JSON.stringify(body)}`).toBe(200);
        }
      }
    }
  });

  it('returns a per-minute series, operations, reporters and victims in a source profile', async () => {
    const { status, body } = await get('/api/v1/sources/2250760000123');
    expect(status).toBe(200);
    expect(body.series.stepSeconds).toBe(60);
    expect(body.series.points.map((p: { t: number; transactions: number }) => [p.t - T0, p.transactions])).toEqual([
      [3_600, 5],
      [3_660, 5],
      [3_720, 7],
    ]);
    expect(body.operations).toEqual([{ protocol: 'MAP', operation: 71, category: 1, transactions: 17, errors: 3, minutes: 3 }]);
    expect(body.reporters.map((r: { reporter: string }) => r.reporter)).toEqual(['234-15', '310-410']);
    expect(body.victims.countries).toEqual([{ value: 'GB', alerts: 1, subscribers: 14 }]);
    expect(body.patterns.map((p: { pattern: string }) => p.pattern).sort()).toEqual(['category-1', 'category-2']);
    expect(body.source).toMatchObject({ id: '2250760000123', country: 'CI', operator: 'Lagoon Telecom (fictional)' });
    expect(body.rangeHolder).toBeNull();
  });

  it('answers 400 naming the parameter for every kind of bad input', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/sources/top?by=volume', 'by'],
      ['/api/v1/sources/top?limit=0', 'limit'],
      ['/api/v1/sources/top?limit=101', 'limit'],
      ['/api/v1/sources/top?limit=2.5', 'limit'],
      ['/api/v1/sources/top?pattern=nope', 'pattern'],
      ['/api/v1/sources/top?protocol=map', 'protocol'],
      ['/api/v1/sources/top?reporter=23415', 'reporter'],
      ['/api/v1/sources/top?country=gb', 'country'],
      ['/api/v1/sources/top?jurisdiction=GB', 'jurisdiction'],
      ['/api/v1/sources/top?cursor=eyJvIjotMX0', 'cursor'],
      ['/api/v1/sources/top?from=yesterday', 'from'],
      ['/api/v1/sources/top?from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z', 'from'],
      ['/api/v1/sources/top?from=2026-01-01T00:00:00Z&to=2026-11-28T00:00:00Z', 'from'],
      ['/api/v1/sources/top?limit=1&limit=2', 'limit'],
      ['/api/v1/sources/top?colour=red', 'colour'],
      ['/api/v1/alerts?severity=urgent', 'severity'],
      ['/api/v1/alerts?status=closed', 'status'],
      ['/api/v1/alerts?source=a%20b', 'source'],
      ['/api/v1/alerts?limit=201', 'limit'],
      ['/api/v1/alerts/a%27b', 'alertId'],
      ['/api/v1/alerts/a1cat1ci?x=1', 'x'],
      ['/api/v1/sources/not_a_gt', 'id'],
      ['/api/v1/jurisdictions/GBR/summary', 'j'],
    ];
    for (const [path, parameter] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.parameter, path).toBe(parameter);
      expect(body.error, path).toContain(`parameter ${parameter}:`);
    }
    expect((await get('/api/v1/nothing')).status).toBe(404);
    const post = await fetch(`${api.url}/api/v1/alerts`, { method: 'POST', headers: { authorization: `Bearer ${analyst.token.token}` } });
    expect(post.status).toBe(405);
  });

  it('cancels a query at the configured timeout, on the server too', async () => {
    const runner = new QueryRunner(db.client, { timeoutMs: 1_000 });
    const marker = `gtwatch_timeout_${Date.now()}`;
    const slow = sql`SELECT sum(number) AS s, ${marker} AS marker FROM system.numbers_mt`;
    const started = Date.now();
    await expect(runner.rows(slow, z.object({ s: z.unknown() }))).rejects.toBeInstanceOf(QueryTimeoutError);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    // The server stopped it (max_execution_time), rather than only the client giving up.
    const check = new QueryRunner(db.client, { timeoutMs: 10_000 });
    const running = await check.rows(
      sql`SELECT count() AS n FROM system.processes WHERE query LIKE ${`%${marker}%`} AND query NOT LIKE '%system.processes%'`,
      z.object({ n: z.union([z.number(), z.string()]).transform(Number) }),
    );
    expect(running[0]?.n).toBe(0);
  });

  it('serves the dashboard and uPlot from the package, with a strict content security policy', async () => {
    const index = await fetch(`${api.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('<script type="module" src="/app.js">');
    const uplot = await fetch(`${api.url}/vendor/uplot/uPlot.esm.js`);
    expect(uplot.status).toBe(200);
    expect(await uplot.text()).toContain('uPlot');
    expect((await fetch(`${api.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${api.url}/vendor/uplot/package.json`)).status).toBe(404);
  });
});
