import type { ServerResponse } from 'node:http';
import type { Logger } from '@gtwatch/observability';
import { type RequestContext, recentAlerts } from './endpoints.js';
import type { AlertState } from './queries/alerts.js';

export interface StreamOptions {
  pollMs: number;
  /** Comment line sent this often so proxies keep the connection open. */
  heartbeatMs?: number;
  /** How many of the newest alerts the first message carries. */
  backlog?: number;
  logger: Logger;
}

function feedItem(alert: AlertState, backlog: boolean) {
  return {
    alertId: alert.alertId,
    status: alert.status,
    pattern: alert.pattern,
    severity: alert.severity,
    score: alert.score,
    tlp: alert.tlp,
    source: { id: alert.source.id, country: alert.source.country, operator: alert.source.operator },
    victimCountries: alert.victims.countries,
    jurisdictions: alert.jurisdictions,
    updatedAt: alert.updatedAt,
    explanation: alert.explanation,
    sequence: alert.sequence,
    backlog,
  };
}

/**
 * The live alert feed as server-sent events, fed by polling ClickHouse with the same scoped query as
 * `/api/v1/alerts`. Polling (rather than a Kafka consumer per client) means the feed shows exactly what the API
 * would answer, through the same access control, and only what the sink has made durable; each api replica needs
 * no consumer group of its own. An alert is sent again whenever its latest event changes.
 */
export function serveAlertStream(res: ServerResponse, ctx: () => RequestContext, options: StreamOptions): Promise<void> {
  const backlogSize = options.backlog ?? 20;
  const seen = new Map<string, number>();
  let first = true;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 5000\n\n`);
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': ping\n\n');
  }, options.heartbeatMs ?? 15_000);

  const poll = async () => {
    try {
      const alerts = await recentAlerts(ctx(), 200);
      const changed = alerts.filter((alert) => seen.get(alert.alertId) !== alert.sequence);
      for (const alert of alerts) seen.set(alert.alertId, alert.sequence);
      // Oldest first, so a client that prepends each item ends with the newest on top.
      const toSend = first ? changed.slice(0, backlogSize) : changed;
      for (const alert of toSend.reverse()) send('alert', feedItem(alert, first));
      if (first) send('ready', { backlog: Math.min(changed.length, backlogSize) });
      first = false;
      if (seen.size > 10_000) seen.clear();
    } catch (error) {
      options.logger.warn({ err: error }, 'alert stream poll failed');
      send('problem', { error: 'could not read alerts; retrying' });
    }
    if (!closed) timer = setTimeout(poll, options.pollMs);
  };

  return new Promise((resolve) => {
    res.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      resolve();
    });
    void poll();
  });
}
