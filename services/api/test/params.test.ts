import { describe, expect, it } from 'vitest';
import { bucketSeconds } from '../src/buckets.js';
import { loadApiConfig } from '../src/config.js';
import { openApiDocument } from '../src/openapi.js';
import {
  AlertCursor,
  decodeCursor,
  encodeCursor,
  OffsetCursor,
  ParameterError,
  parseParams,
  resolveRange,
  searchObject,
  TopSourcesQuery,
} from '../src/params.js';
import { matchRoute } from '../src/routes.js';

const NOW = Date.parse('2026-11-30T06:00:30Z');

describe('parameters', () => {
  it('defaults a missing range to the 24 hours before the next whole minute', () => {
    expect(resolveRange({}, NOW)).toEqual({ from: Date.parse('2026-11-29T06:01:00Z') / 1000, to: Date.parse('2026-11-30T06:01:00Z') / 1000 });
    expect(resolveRange({ to: '2026-11-30T00:00:00+01:00' }, NOW).to).toBe(Date.parse('2026-11-29T23:00:00Z') / 1000);
  });

  it('refuses an empty, inverted or too long range, naming `from`', () => {
    expect(() => resolveRange({ from: '2026-11-30T00:00:00Z', to: '2026-11-30T00:00:00Z' }, NOW)).toThrow('parameter from: must be before `to`');
    expect(() => resolveRange({ from: '2026-10-01T00:00:00Z', to: '2026-11-30T00:00:00Z' }, NOW)).toThrow(/at most 31 days/);
  });

  it('coerces and defaults query strings, and names the first bad parameter', () => {
    expect(parseParams(TopSourcesQuery, { limit: '5' })).toEqual({ by: 'score', limit: 5 });
    const fail = (input: Record<string, string>) => {
      try {
        parseParams(TopSourcesQuery, input);
      } catch (error) {
        return (error as ParameterError).message;
      }
      return 'accepted';
    };
    expect(fail({ limit: 'ten' })).toBe('parameter limit: must be a number');
    expect(fail({ by: 'score', unknown: '1' })).toBe('parameter unknown: unknown parameter');
    expect(fail({ reporter: '234 15' })).toBe('parameter reporter: must be a PLMN id like 234-15');
  });

  it('refuses a parameter given twice instead of picking one', () => {
    expect(() => searchObject(new URLSearchParams('a=1&a=2'))).toThrow('parameter a: given more than once');
  });

  it('round-trips cursors and refuses forged ones', () => {
    const cursor = encodeCursor({ s: 123, a: 'abc' });
    expect(decodeCursor(cursor, AlertCursor)).toEqual({ s: 123, a: 'abc' });
    expect(decodeCursor(undefined, AlertCursor)).toBeNull();
    expect(() => decodeCursor(encodeCursor({ o: 10_001 }), OffsetCursor)).toThrow(ParameterError);
    expect(() => decodeCursor(encodeCursor({ s: 1, a: "x' OR 1=1" }), AlertCursor)).toThrow('parameter cursor');
    expect(() => decodeCursor('!!!', AlertCursor)).toThrow('parameter cursor');
  });

  it('picks bucket widths that keep a chart within its point budget', () => {
    expect(bucketSeconds({ from: 0, to: 86_400 }, 1_440)).toBe(60);
    expect(bucketSeconds({ from: 0, to: 86_400 }, 96)).toBe(900);
    expect(bucketSeconds({ from: 0, to: 31 * 86_400 }, 1_440)).toBe(3_600);
    expect(bucketSeconds({ from: 0, to: 31 * 86_400 }, 96)).toBe(43_200);
    expect(bucketSeconds({ from: 0, to: 90 }, 1_440)).toBe(60);
  });
});

describe('routes and OpenAPI', () => {
  it('prefers literal path segments over parameters, so /sources/top is never a source id', () => {
    expect(matchRoute('/api/v1/sources/top')?.route.path).toBe('/api/v1/sources/top');
    expect(matchRoute('/api/v1/sources/447700900123')).toMatchObject({ params: { id: '447700900123' } });
    expect(matchRoute('/api/v1/alerts/abc')).toMatchObject({ params: { alertId: 'abc' } });
    expect(matchRoute('/api/v1/jurisdictions/gb/summary')).toMatchObject({ params: { j: 'gb' } });
    expect(matchRoute('/api/v1/sources')).toBeNull();
    expect(matchRoute('/api/v1/sources/a/b')).toBeNull();
  });

  it('documents every parameter with the constraints that validate it', () => {
    const doc = openApiDocument() as { paths: Record<string, { get: { parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }> } }> };
    const alerts = doc.paths['/api/v1/alerts']!.get.parameters!;
    const limit = alerts.find((p) => p.name === 'limit')!;
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } });
    const severity = alerts.find((p) => p.name === 'severity')!;
    expect(severity.schema.enum).toEqual(['low', 'medium', 'high', 'critical']);
    const id = doc.paths['/api/v1/sources/{id}']!.get.parameters!.find((p) => p.name === 'id')!;
    expect(id).toMatchObject({ in: 'path', required: true });
    expect(typeof id.schema.pattern).toBe('string');
  });
});

describe('configuration', () => {
  it('reads the api variables and reports every bad one by name', () => {
    const config = loadApiConfig({ GTWATCH_API_TOKENS_FILE: '/run/tokens', GTWATCH_API_QUERY_TIMEOUT_MS: '5000' });
    expect(config.api).toMatchObject({ port: 8080, tokensFile: '/run/tokens', queryTimeoutMs: 5_000, streamPollMs: 2_000 });
    expect(() => loadApiConfig({ GTWATCH_API_QUERY_TIMEOUT_MS: '10', CLICKHOUSE_URL: 'ftp://x' })).toThrow(
      /CLICKHOUSE_URL[\s\S]*GTWATCH_API_TOKENS_FILE: \(unset\): is required[\s\S]*GTWATCH_API_QUERY_TIMEOUT_MS: "10": must be 1000–300000/,
    );
  });
});
