import { sql } from '@gtwatch/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryRunner } from '../../src/db.js';
import { AlertStateRow, alertPageQuery } from '../../src/queries/alerts.js';
import { EntitySumsRow, trafficSumsQuery } from '../../src/queries/traffic.js';
import type { ApiHandle } from '../../src/server.js';
import type { Principal } from '../../src/tokens.js';
import { fixtureApi } from './fixture-api.js';
import { ALERTS, alertRows, PERSONAS, T0, visibleAlertIds, visibleSources } from './fixtures.js';
import { getJson, type Json, type TestDatabase } from './support.js';

const INJECTIONS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "'; DROP TABLE alerts; --",
  "gb') OR has(cur_jurisdictions, 'us') OR ('",
  "\\' OR 1=1 #",
  '1) OR (1=1',
  '1 UNION ALL SELECT * FROM system.tables',
  "2250760000123' OR source_id != '",
  '%27%20OR%201%3D1',
  '{x:String}',
  '`alerts`',
  '/*',
  '-- ',
  '\u0000',
  '\n\r\t',
  'gb\u0000',
  '😀',
  '../../etc/passwd',
  '0x41',
  '1e309',
  '-1',
  'NaN',
  '[]',
  '{"a":1}',
  'a'.repeat(5_000),
  '',
];

/** A seeded generator of strings with the characters that break naive SQL and URL handling. */
function randomStrings(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const alphabet = "abcXYZ0123456789'\"\\;--/*()=<>%&?#+ ,.:_`{}[]\u00e9\u4e2d\u0001";
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 40);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  });
}

const PAYLOADS = [...INJECTIONS, ...randomStrings(40, 6)];

const QUERY_PARAMS: Record<string, string[]> = {
  '/api/v1/overview': ['from', 'to'],
  '/api/v1/sources/top': ['from', 'to', 'by', 'pattern', 'protocol', 'reporter', 'country', 'jurisdiction', 'limit', 'cursor'],
  '/api/v1/sources/{id}': ['from', 'to'],
  '/api/v1/alerts': ['from', 'to', 'pattern', 'severity', 'status', 'jurisdiction', 'source', 'limit', 'cursor'],
  '/api/v1/jurisdictions/{j}/summary': ['from', 'to'],
};
const PATH_TEMPLATES = ['/api/v1/sources/{id}', '/api/v1/alerts/{alertId}', '/api/v1/jurisdictions/{j}/summary'];
const FILLED: Record<string, string> = {
  '/api/v1/sources/{id}': '/api/v1/sources/2250760000123',
  '/api/v1/jurisdictions/{j}/summary': '/api/v1/jurisdictions/gb/summary',
};

interface Answer {
  status: number;
  body: Json;
}

function rowsOf(body: Json): { alertIds: string[]; entities: string[] } {
  const alertIds: string[] = [];
  const entities: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.alertId === 'string') alertIds.push(record.alertId);
      if (typeof record.entity === 'string') entities.push(record.entity);
      Object.values(record).forEach(walk);
    }
  };
  walk(body);
  return { alertIds, entities };
}

describe('hostile input', () => {
  let db: TestDatabase;
  let api: ApiHandle;
  const personas = [PERSONAS[0]!, PERSONAS[2]!];

  beforeAll(async () => {
    ({ db, api } = await fixtureApi('hostile'));
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers every payload in every parameter of every endpoint without a 500, and never with more than the scope allows', async () => {
    const statuses = new Map<number, number>();
    for (const persona of personas) {
      const allowedAlerts = new Set(visibleAlertIds(persona, false));
      const allowedSources = new Set(visibleSources(persona));
      const check = (label: string, answer: Answer, baseline: Answer | null) => {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect([200, 400, 403, 404], `${label} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`).toContain(answer.status);
        if (answer.status === 400) expect(answer.body.error, label).toMatch(/parameter|cannot be used/);
        if (answer.status !== 200) return;
        const { alertIds, entities } = rowsOf(answer.body);
        for (const id of alertIds) expect(allowedAlerts.has(id), `${label}: alert ${id}`).toBe(true);
        for (const entity of entities) expect(allowedSources.has(entity), `${label}: source ${entity}`).toBe(true);
        if (baseline) {
          const base = rowsOf(baseline.body);
          expect(alertIds.length, label).toBeLessThanOrEqual(base.alertIds.length);
          expect(entities.length, label).toBeLessThanOrEqual(base.entities.length);
        }
      };
      for (const [template, params] of Object.entries(QUERY_PARAMS)) {
        const path = FILLED[template] ?? template;
        const baseline = await getJson(api, path, persona.token.token);
        expect(baseline.status, path).toBe(200);
        for (const param of params) {
          for (const payload of PAYLOADS) {
            const answer = await getJson(api, `${path}?${param}=${encodeURIComponent(payload)}`, persona.token.token);
            check(`${persona.label} ${path}?${param}=${JSON.stringify(payload.slice(0, 40))}`, answer, baseline);
          }
        }
        const unknown = await getJson(api, `${path}?${encodeURIComponent("x' OR 1=1")}=1`, persona.token.token);
        expect(unknown.status).toBe(400);
        expect(unknown.body.parameter).toBe("x' OR 1=1");
      }
      for (const template of PATH_TEMPLATES) {
        for (const payload of PAYLOADS) {
          const path = template.replace(/\{[^}]+\}/, encodeURIComponent(payload));
          check(`${persona.label} ${path.slice(0, 80)}`, await getJson(api, path, persona.token.token), null);
        }
      }
    }
    // The payloads reached validation and were refused there, mostly; make sure the test exercised both outcomes.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    // Nothing was dropped or changed.
    const counts = await db.client.query({ query: `SELECT count() AS n FROM ${db.database}.alerts`, format: 'JSONEachRow' });
    expect(((await counts.json()) as Array<{ n: string }>)[0]?.n).toBe(String(alertRows().length));
  });

  it('keeps the meaning of a query when the payloads bypass validation and reach the SQL builders', async () => {
    // Defence in depth: even a value no zod schema would let through is only ever a literal.
    const runner = new QueryRunner(db.client, { timeoutMs: 10_000 });
    const admin: Principal = { name: 'admin', role: 'admin', clearance: 'red' };
    const range = { from: T0 - 10 * 86_400, to: T0 + 86_400 };
    for (const payload of INJECTIONS.filter((p) => p !== '')) {
      const hostileRegulator: Principal = { name: 'x', role: 'regulator', jurisdiction: payload, clearance: 'red' };
      const hostileOperator: Principal = { name: 'x', role: 'operator', reporter: payload, clearance: 'red' };
      expect(await runner.rows(alertPageQuery(db.database, hostileRegulator, { limit: 100 }), AlertStateRow), payload).toEqual([]);
      expect(await runner.rows(alertPageQuery(db.database, hostileOperator, { limit: 100 }), AlertStateRow), payload).toEqual([]);
      expect(await runner.rows(alertPageQuery(db.database, admin, { limit: 100, sourceId: payload }), AlertStateRow), payload).toEqual([]);
      expect(
        await runner.rows(alertPageQuery(db.database, admin, { limit: 100, having: [sql`cur_pattern = ${payload}`] }), AlertStateRow),
        payload,
      ).toEqual([]);
      expect(await runner.rows(trafficSumsQuery(db.database, hostileOperator, { range }, { limit: 100, offset: 0 }), EntitySumsRow)).toEqual([]);
      expect(await runner.rows(trafficSumsQuery(db.database, admin, { range, country: payload }, { limit: 100, offset: 0 }), EntitySumsRow)).toEqual([]);
      // An Enum8 column compared with an unknown literal is refused by the server: an error, never a different query.
      await expect(
        runner.rows(trafficSumsQuery(db.database, admin, { range, protocol: payload }, { limit: 100, offset: 0 }), EntitySumsRow),
      ).rejects.toThrow(/Unknown element/);
    }
    // The same builders with honest values do find rows, so the empty answers above are not vacuous.
    expect(await runner.rows(alertPageQuery(db.database, admin, { limit: 100 }), AlertStateRow)).toHaveLength(ALERTS.length);
  });
});
