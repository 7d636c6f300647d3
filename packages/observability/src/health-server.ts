import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

export interface HealthServerOptions {
  port: number;
  /** 0.0.0.0 by default so orchestrator probes reach it; tests bind 127.0.0.1. */
  host?: string;
  registry: Registry;
  readiness: Readiness;
  logger?: Logger;
}

export interface HealthServer {
  /** The bound port (useful when 0 asked for a free one). */
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function route(req: IncomingMessage, res: ServerResponse, options: HealthServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    json(res, 405, { error: 'method not allowed' });
    return;
  }
  const path = (req.url ?? '/').split('?', 1)[0];
  switch (path) {
    // Liveness only proves the event loop answers; dependencies belong to readiness, or a broker outage
    // would make the orchestrator restart every healthy instance at once.
    case '/healthz':
      json(res, 200, { status: 'ok' });
      return;
    case '/readyz': {
      const { readiness } = options;
      json(res, readiness.ready ? 200 : 503, { ready: readiness.ready, pending: readiness.pending });
      return;
    }
    case '/metrics':
      send(res, 200, options.registry.contentType, await options.registry.metrics());
      return;
    default:
      json(res, 404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
  }
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'health endpoint failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  options.logger?.info({ port }, 'health server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
