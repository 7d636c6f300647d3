import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClickHouseClient, createClickHouseClient, SqlValueError } from '@gtwatch/clickhouse';
import { createNumbering, loadReferenceData, type Numbering } from '@gtwatch/numbering';
import {
  createLogger,
  createMetricsRegistry,
  type HealthServer,
  Histogram,
  type Logger,
  Readiness,
  type Registry,
  startHealthServer,
} from '@gtwatch/observability';
import type { ApiConfig } from './config.js';
import { QueryRunner, QueryTimeoutError } from './db.js';
import type { RequestContext } from './endpoints.js';
import { HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { NoQuery, ParameterError, parseParams, searchObject } from './params.js';
import { matchRoute } from './routes.js';
import { staticFile } from './statics.js';
import { serveAlertStream } from './stream.js';
import { bearerToken, loadTokensFile, type Principal, type TokenStore } from './tokens.js';

export interface ApiOptions {
  logger?: Logger;
  registry?: Registry;
  /** Default: read from `config.api.tokensFile`. */
  tokens?: TokenStore;
  /** Default: built from `config.base.referenceDir` when set; null disables range-holder lookups. */
  numbering?: Numbering | null;
  /** Clock for default time ranges, in ms. */
  now?: () => number;
  /** Also start the /healthz /readyz /metrics server on `config.base.port`. Default true. */
  health?: boolean;
}

export interface ApiHandle {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  health: HealthServer | null;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Starts the api and dashboard server; resolves once it listens. */
export async function startApi(config: ApiConfig, options: ApiOptions = {}): Promise<ApiHandle> {
  const { base, api } = config;
  const logger = (options.logger ?? createLogger({ service: 'gtwatch-api', level: base.logLevel, instance: base.instance })).child({ component: 'api' });
  const registry = options.registry ?? createMetricsRegistry({ service: 'gtwatch-api', instance: base.instance });
  const tokens = options.tokens ?? loadTokensFile(api.tokensFile);
  const numbering = options.numbering !== undefined ? options.numbering : base.referenceDir ? createNumbering(loadReferenceData(base.referenceDir)) : null;
  const now = options.now ?? Date.now;
  const client: ClickHouseClient = createClickHouseClient({
    url: base.clickhouse.url,
    user: base.clickhouse.user,
    password: base.clickhouse.password,
    requestTimeoutMs: api.queryTimeoutMs + 5_000,
  });
  const runner = new QueryRunner(client, { timeoutMs: api.queryTimeoutMs });
  const duration = new Histogram({
    name: 'gtwatch_api_request_duration_seconds',
    help: 'API request duration by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  let streams = 0;

  const context = (principal: Principal): RequestContext => ({ runner, database: base.clickhouse.database, principal, nowMs: now(), numbering });

  function authenticate(req: IncomingMessage): Principal {
    const token = bearerToken(req.headers.authorization);
    const principal = token ? tokens.authenticate(token) : null;
    if (!principal) throw new HttpError(401, 'a valid bearer token is required');
    return principal;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      return 'method';
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://api.invalid');
    } catch {
      sendJson(res, 400, { error: 'malformed request target' });
      return 'malformed';
    }
    const pathname = url.pathname;
    if (!pathname.startsWith('/api/')) {
      const file = await staticFile(pathname, /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')));
      if (!file) {
        sendJson(res, 404, { error: 'not found' });
        return 'static';
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': file.type,
        'cache-control': 'no-cache',
        'content-length': file.body.length,
        vary: 'accept-encoding',
        ...(file.encoding ? { 'content-encoding': file.encoding } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return 'static';
    }
    if (pathname === '/api/v1/openapi.json') {
      sendJson(res, 200, openApiDocument());
      return pathname;
    }
    const principal = authenticate(req);
    if (pathname === '/api/v1/alerts/stream') {
      parseParams(NoQuery, searchObject(url.searchParams));
      if (streams >= api.maxStreams) throw new HttpError(503, 'too many live feeds open; try again later');
      streams++;
      try {
        await serveAlertStream(res, () => context(principal), { pollMs: api.streamPollMs, logger });
      } finally {
        streams--;
      }
      return pathname;
    }
    const matched = matchRoute(pathname);
    if (!matched) throw new HttpError(404, `no endpoint ${pathname} (see /api/v1/openapi.json)`);
    const { route, params } = matched;
    const pathValues = route.pathParams ? parseParams(route.pathParams, params) : {};
    const query = parseParams(route.query, searchObject(url.searchParams));
    const body = await route.handler(context(principal), pathValues, query);
    sendJson(res, 200, body);
    return route.path;
  }

  const server: Server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const finish = (routeName: string) => {
      duration.observe({ route: routeName, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    handle(req, res).then(finish, (error: unknown) => {
      if (error instanceof ParameterError) {
        sendJson(res, 400, { error: error.message, parameter: error.parameter });
      } else if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message }, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      } else if (error instanceof QueryTimeoutError) {
        logger.warn({ url: req.url?.split('?')[0], timeoutMs: error.timeoutMs }, 'query cancelled at the timeout');
        sendJson(res, 503, { error: `the query took longer than ${error.timeoutMs} ms and was cancelled; narrow the time range` });
      } else if (error instanceof SqlValueError) {
        sendJson(res, 400, { error: `a parameter value cannot be used: ${error.message}` });
      } else {
        logger.error({ err: error, url: req.url?.split('?')[0] }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      }
      finish('error');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(api.port, api.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = api.host === '0.0.0.0' || api.host === '::' ? '127.0.0.1' : api.host;

  let health: HealthServer | null = null;
  if (options.health ?? true) {
    const readiness = new Readiness();
    readiness.require('clickhouse');
    health = await startHealthServer({ port: base.port, host: api.host, registry, readiness, logger });
    client.ping().then(
      (result) => readiness.set('clickhouse', result.success),
      () => readiness.set('clickhouse', false),
    );
  }
  logger.info({ port, tokens: tokens.size, reference: numbering !== null }, 'api listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    health,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await health?.close();
      await client.close();
    },
  };
}
