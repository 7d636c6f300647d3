import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandle } from '../../src/server.js';
import { fixtureApi } from './fixture-api.js';
import {
  ALERTS,
  ALL_SOURCES,
  canSeeAlert,
  inDefaultRange,
  latest,
  PERSONAS,
  type Persona,
  visibleAlertIds,
  visibleSources,
  visibleTraffic,
} from './fixtures.js';
import { getJson, type TestDatabase } from './support.js';

const ENDPOINTS = [
  '/api/v1/me',
  '/api/v1/overview',
  '/api/v1/sources/top',
  '/api/v1/sources/2250760000123',
  '/api/v1/alerts',
  '/api/v1/alerts/a1cat1ci',
  '/api/v1/jurisdictions/gb/summary',
  '/api/v1/alerts/stream',
];

describe('api access control on real ClickHouse', () => {
  let db: TestDatabase;
  let api: ApiHandle;

  beforeAll(async () => {
    // Every row twice: a replayed batch must change no answer.
    ({ db, api } = await fixtureApi('access', 2));
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const get = (path: string, p?: Persona) => getJson(api, path, p?.token.token);

  it('refuses every endpoint without a token, with an unknown token and with a malformed header (401)', async () => {
    for (const path of ENDPOINTS) {
      expect((await getJson(api, path)).status, path).toBe(401);
      expect((await getJson(api, path, 'not-a-known-token-0000000000')).status, path).toBe(401);
      const malformed = await fetch(`${api.url}${path}`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect(malformed.status, path).toBe(401);
      expect(malformed.headers.get('www-authenticate')).toBe('Bearer');
      await malformed.body?.cancel();
    }
  });

  it('serves the OpenAPI document without a token, listing every endpoint and its parameters', async () => {
    const { status, body } = await getJson(api, '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api/v1/alerts',
      '/api/v1/alerts/stream',
      '/api/v1/alerts/{alertId}',
      '/api/v1/jurisdictions/{j}/summary',
      '/api/v1/me',
      '/api/v1/overview',
      '/api/v1/sources/top',
      '/api/v1/sources/{id}',
    ]);
    const top = body.paths['/api/v1/sources/top'].get.parameters.map((p: { name: string }) => p.name);
    expect(top).toEqual(['from', 'to', 'by', 'pattern', 'protocol', 'reporter', 'country', 'jurisdiction', 'limit', 'cursor']);
    const by = body.paths['/api/v1/sources/top'].get.parameters.find((p: { name: string }) => p.name === 'by');
    expect(by.schema.enum).toEqual(['score', 'transactions', 'alerts']);
  });

  describe.each(PERSONAS.map((p) => [p.label, p] as const))('as %s', (_label, persona) => {
    it('tells the token its own role, scope and clearance, and nothing secret', async () => {
      const { status, body } = await get('/api/v1/me', persona);
      expect(status).toBe(200);
      const { token: _token, ...expected } = persona;
      expect(body).toEqual({ name: persona.label, role: persona.role, clearance: persona.clearance, ...(persona.jurisdiction ? { jurisdiction: persona.jurisdiction } : {}), ...(persona.reporter ? { reporter: persona.reporter } : {}) });
      expect(JSON.stringify(body)).not.toMatch(/sha256|tok-/);
      expect(expected.label).toBe(persona.label);
    });

    it('lists exactly the alerts its scope and clearance allow', async () => {
      const { status, body } = await get('/api/v1/alerts', persona);
      expect(status).toBe(200);
      expect(body.items.map((a: { alertId: string }) => a.alertId).sort()).toEqual(visibleAlertIds(persona));
      for (const item of body.items) {
        const spec = ALERTS.find((a) => a.alertId === item.alertId)!;
        expect(item.tlp).toBe(latest(spec)[3]);
        expect(item.status).toBe(latest(spec)[0]);
        expect(item.score).toBe(latest(spec)[2]);
      }
    });

    it('opens one alert with its lifecycle only when it may see it (404 otherwise)', async () => {
      for (const spec of ALERTS) {
        const { status, body } = await get(`/api/v1/alerts/${spec.alertId}`, persona);
        if (!canSeeAlert(persona, spec)) {
          expect(status, spec.alertId).toBe(404);
          continue;
        }
        expect(status, spec.alertId).toBe(200);
        expect(body.lifecycle.map((e: { status: string }) => e.status)).toEqual(spec.events.map((e) => e[0]));
        expect(body.alert.evidence).toEqual({ measured: latest(spec)[2], threshold: 1, event: spec.events.length - 1 });
      }
    });

    it('ranks by score only sources of alerts it can see, highest first', async () => {
      const { status, body } = await get('/api/v1/sources/top?by=score&limit=100', persona);
      expect(status).toBe(200);
      const expected = ALERTS.filter((a) => canSeeAlert(persona, a) && inDefaultRange(a));
      const best = new Map<string, number>();
      for (const a of expected) best.set(a.source, Math.max(best.get(a.source) ?? 0, latest(a)[2]));
      expect(body.items.map((i: { entity: string }) => i.entity).sort()).toEqual([...best.keys()].sort());
      const scores = body.items.map((i: { score: number }) => i.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const item of body.items) expect(item.score).toBe(best.get(item.entity));
    });

    it('ranks by transactions only the traffic it can see, counted once despite replayed rows', async () => {
      const { status, body } = await get('/api/v1/sources/top?by=transactions&limit=100', persona);
      expect(status).toBe(200);
      const expected = visibleTraffic(persona);
      expect(new Map(body.items.map((i: { entity: string; transactions: number }) => [i.entity, i.transactions]))).toEqual(expected);
    });

    it('opens a source profile only for sources in its scope', async () => {
      const allowed = new Set(visibleSources(persona));
      for (const source of ALL_SOURCES) {
        const { status, body } = await get(`/api/v1/sources/${encodeURIComponent(source)}`, persona);
        expect(status, source).toBe(allowed.has(source) ? 200 : 404);
        if (status !== 200) continue;
        const reporters = body.reporters.map((r: { reporter: string }) => r.reporter);
        if (persona.role === 'operator') expect(reporters.every((r: string) => r === persona.reporter)).toBe(true);
        const total = body.series.points.reduce((sum: number, p: { transactions: number }) => sum + p.transactions, 0);
        expect(total, source).toBe(visibleTraffic(persona).get(source) ?? 0);
        const alertIds = body.alerts.map((a: { alertId: string }) => a.alertId).sort();
        expect(alertIds).toEqual(ALERTS.filter((a) => a.source === source && canSeeAlert(persona, a)).map((a) => a.alertId).sort());
      }
    });

    it('summarises a jurisdiction inside its scope and refuses others (403)', async () => {
      for (const j of ['gb', 'us', 'ca']) {
        const { status, body } = await get(`/api/v1/jurisdictions/${j}/summary`, persona);
        if (persona.role === 'regulator' && persona.jurisdiction !== j) {
          expect(status, j).toBe(403);
          continue;
        }
        expect(status, j).toBe(200);
        const expected = ALERTS.filter((a) => canSeeAlert(persona, a) && inDefaultRange(a) && a.jurisdictions.includes(j)).length;
        const counted = body.alertsByPatternAndSeverity.reduce((sum: number, row: { alerts: number }) => sum + row.alerts, 0);
        expect(counted, j).toBe(expected);
        const trendTotal = Object.values(body.trend.series as Record<string, number[]>).flat().reduce((a, b) => a + b, 0);
        expect(trendTotal, j).toBe(expected);
      }
    });

    it('shows an overview of only what it can see', async () => {
      const { status, body } = await get('/api/v1/overview', persona);
      expect(status).toBe(200);
      expect(body.totals.alerts).toBe(visibleAlertIds(persona).length);
      const victimCountries = new Set(ALERTS.filter((a) => canSeeAlert(persona, a) && inDefaultRange(a)).flatMap((a) => a.victimCountries));
      expect(new Set(body.victimCountries.map((c: { country: string }) => c.country))).toEqual(victimCountries);
      for (const country of body.victimCountries) expect(typeof country.lat).toBe('number');
    });

    it('streams only the alerts it can see on the live feed', async () => {
      const controller = new AbortController();
      const response = await fetch(`${api.url}/api/v1/alerts/stream`, {
        headers: { authorization: `Bearer ${persona.token.token}` },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes('event: ready')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      controller.abort();
      const ids = [...text.matchAll(/"alertId":"([^"]+)"/g)].map((m) => m[1]).sort();
      expect(ids).toEqual(visibleAlertIds(persona, false));
    });
  });

  it('refuses explicit filters outside a token’s scope (403) but accepts its own', async () => {
    const [regulatorGb, , operator] = PERSONAS;
    expect((await get('/api/v1/alerts?jurisdiction=us', regulatorGb)).status).toBe(403);
    expect((await get('/api/v1/sources/top?jurisdiction=us', regulatorGb)).status).toBe(403);
    expect((await get('/api/v1/alerts?jurisdiction=gb', regulatorGb)).status).toBe(200);
    expect((await get('/api/v1/sources/top?reporter=310-410', operator)).status).toBe(403);
    const own = await get('/api/v1/sources/top?by=transactions&reporter=234-15&limit=100', operator);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBe(visibleTraffic(operator!).size);
  });
});
