import { afterEach, describe, expect, it } from 'vitest';
import { Counter, createMetricsRegistry, type HealthServer, Readiness, startHealthServer } from '../src/index.js';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness = new Readiness()) {
  const registry = createMetricsRegistry({ service: 'test', instance: 'i1' });
  server = await startHealthServer({ port: 0, host: '127.0.0.1', registry, readiness });
  const base = `http://127.0.0.1:${server.port}`;
  return { base, registry, readiness };
}

describe('health server', () => {
  it('answers liveness while dependencies are still down', async () => {
    const readiness = new Readiness();
    readiness.require('kafka');
    const { base } = await start(readiness);
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, pending: ['kafka'] });
  });

  it('reports ready once every condition holds, and never again after shutdown starts', async () => {
    const readiness = new Readiness();
    readiness.require('kafka');
    readiness.require('clickhouse');
    const { base } = await start(readiness);
    readiness.set('kafka', true);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    readiness.set('clickhouse', true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    readiness.shutdown();
    readiness.set('kafka', true);
    const draining = await fetch(`${base}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ ready: false, pending: ['shutting-down'] });
  });

  it('serves default process metrics and the service’s own, with service labels', async () => {
    const { base, registry } = await start();
    const records = new Counter({ name: 'gtwatch_records_total', help: 'records', registers: [registry] });
    records.inc(3);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toContain('gtwatch_records_total{service="test",instance="i1"} 3');
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('rejects unknown paths and methods', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
