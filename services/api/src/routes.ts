import type { z } from 'zod';
import {
  alertDetail,
  alertList,
  jurisdictionSummary,
  overview,
  type RequestContext,
  sourceProfile,
  topSources,
} from './endpoints.js';
import {
  AlertPath,
  AlertsQuery,
  JurisdictionPath,
  JurisdictionSummaryQuery,
  NoQuery,
  OverviewQuery,
  SourcePath,
  SourceProfileQuery,
  TopSourcesQuery,
} from './params.js';

/** One JSON endpoint: its path template (`{name}` segments), parameter schemas and handler. */
export interface Route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  path: string;
  summary: string;
  pathParams: P | null;
  query: Q;
  handler(ctx: RequestContext, path: z.output<P>, query: z.output<Q>): Promise<unknown>;
}

function route<P extends z.ZodType, Q extends z.ZodType>(definition: Route<P, Q>): Route {
  return definition as unknown as Route;
}

export const ROUTES: readonly Route[] = [
  route({
    path: '/api/v1/me',
    summary: 'The token’s name, role, scope and TLP clearance',
    pathParams: null,
    query: NoQuery,
    handler: async (ctx) => ctx.principal,
  }),
  route({
    path: '/api/v1/overview',
    summary: 'Totals, alerts over time by pattern, source and victim countries (with centroids) and top sources',
    pathParams: null,
    query: OverviewQuery,
    handler: (ctx, _path, query) => overview(ctx, query),
  }),
  route({
    path: '/api/v1/sources/top',
    summary: 'Top source entities by score, transactions or alerts over a time range',
    pathParams: null,
    query: TopSourcesQuery,
    handler: (ctx, _path, query) => topSources(ctx, query),
  }),
  route({
    path: '/api/v1/sources/{id}',
    summary: 'A source profile: operations over time, operations, reporters, victims, patterns, alerts, range holder',
    pathParams: SourcePath,
    query: SourceProfileQuery,
    handler: (ctx, path, query) => sourceProfile(ctx, path.id, query),
  }),
  route({
    path: '/api/v1/alerts',
    summary: 'Alerts (current state), most recently updated first',
    pathParams: null,
    query: AlertsQuery,
    handler: (ctx, _path, query) => alertList(ctx, query),
  }),
  route({
    path: '/api/v1/alerts/{alertId}',
    summary: 'One alert with its evidence and every lifecycle event',
    pathParams: AlertPath,
    query: NoQuery,
    handler: (ctx, path) => alertDetail(ctx, path.alertId),
  }),
  route({
    path: '/api/v1/jurisdictions/{j}/summary',
    summary: 'Alerts by pattern and severity, most-abused GT ranges and the trend for one jurisdiction',
    pathParams: JurisdictionPath,
    query: JurisdictionSummaryQuery,
    handler: (ctx, path, query) => jurisdictionSummary(ctx, path.j, query),
  }),
];

/** Matches a path against a template; literal segments win over `{param}` ones (so /sources/top is not a source id). */
export function matchRoute(pathname: string): { route: Route; params: Record<string, string> } | null {
  const segments = pathname.split('/');
  let best: { route: Route; params: Record<string, string>; literals: number } | null = null;
  for (const candidate of ROUTES) {
    const template = candidate.path.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    template.forEach((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        let value: string;
        try {
          value = decodeURIComponent(segment);
        } catch {
          value = '\u0000';
        }
        params[part.slice(1, -1)] = value;
      } else if (part === segment) {
        literals++;
      } else {
        ok = false;
      }
    });
    if (ok && (!best || literals > best.literals)) best = { route: candidate, params, literals };
  }
  return best ? { route: best.route, params: best.params } : null;
}
