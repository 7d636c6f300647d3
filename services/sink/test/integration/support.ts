/// <reference path="../../../../test/setup/provided-context.d.ts" />
/**
 * The integration harness for this package: names unique to the run, a config for a sink under test, Kafka and
 * ClickHouse helpers, and a TCP proxy that can take ClickHouse "down" for the sink without touching the real server.
 * The values come from the root globalSetup (test/setup/global-setup.ts) through vitest's `inject`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type ClickHouseClient, createClickHouseClient, dropDatabase } from '@gtwatch/clickhouse';
import { type GtwatchConfig, loadConfig } from '@gtwatch/config';
import { BatchConsumer, createKafkaClient, deleteTopics, ensureTopics, type Kafka } from '@gtwatch/kafka';
import { createLogger, type Logger, type Registry } from '@gtwatch/observability';
import { inject } from 'vitest';

export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** A topic prefix / database name unique to this run and label (also a valid ClickHouse identifier). */
export function uniqueName(label: string): string {
  return `${inject('runId')}_sink_${label}`.replace(/[^A-Za-z0-9_]/g, '_');
}

export function testKafka(label: string): Kafka {
  return createKafkaClient({ brokers: inject('kafkaBrokers').split(','), clientId: `gtwatch-test-${label}`, logger: testLogger(`kafka-${label}`) });
}

/** The configuration `gtwatch run sink` would load, for this run's servers, a unique prefix and database, port 0. */
export function sinkConfig(label: string, overrides: { clickhouseUrl?: string; database?: string } = {}): Readonly<GtwatchConfig> {
  const name = uniqueName(label);
  return loadConfig({
    KAFKA_BROKERS: inject('kafkaBrokers'),
    CLICKHOUSE_URL: overrides.clickhouseUrl ?? inject('clickhouseUrl'),
    CLICKHOUSE_USER: inject('clickhouseUser'),
    CLICKHOUSE_PASSWORD: inject('clickhousePassword'),
    CLICKHOUSE_DATABASE: overrides.database ?? name,
    GTWATCH_TOPIC_PREFIX: name,
    GTWATCH_INSTANCE: `test-${label}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    PORT: '0',
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? 'silent') as string,
  });
}

/** Creates the sink's two topics; `cleanup` deletes them and drops the config's database. */
export async function sinkEnvironment(config: Readonly<GtwatchConfig>, partitions: { aggregates: number; alerts: number }) {
  const kafka = testKafka(config.topicPrefix);
  const topics = [config.topics.aggregates, config.topics.alerts];
  await ensureTopics(kafka, [
    { topic: config.topics.aggregates, partitions: partitions.aggregates },
    { topic: config.topics.alerts, partitions: partitions.alerts },
  ]);
  const clickhouse = createClickHouseClient({ url: inject('clickhouseUrl'), user: inject('clickhouseUser'), password: inject('clickhousePassword') });
  return {
    kafka,
    clickhouse,
    async cleanup() {
      await deleteTopics(kafka, topics).catch(() => {});
      await dropDatabase(clickhouse, config.clickhouse.database).catch(() => {});
      await clickhouse.close();
    },
  };
}

export async function queryRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return (await result.json()) as T[];
}

export interface TrafficTotals {
  rows: number;
  transactions: number;
  errors: number;
  scanning_errors: number;
  late: number;
  subscribers: number;
}

/** Totals of traffic_minute as a reader sees them: FINAL, so replayed rows count once. */
export async function trafficTotals(client: ClickHouseClient, database: string, final = true): Promise<TrafficTotals> {
  const rows = await queryRows<Record<keyof TrafficTotals, string | number>>(
    client,
    `SELECT count() AS rows, sum(transactions) AS transactions, sum(errors) AS errors, sum(scanning_errors) AS scanning_errors,
            sum(late) AS late, sum(subscribers) AS subscribers
     FROM ${database}.traffic_minute ${final ? 'FINAL' : ''}`,
  );
  const row = rows[0]!;
  return {
    rows: Number(row.rows),
    transactions: Number(row.transactions),
    errors: Number(row.errors),
    scanning_errors: Number(row.scanning_errors),
    late: Number(row.late),
    subscribers: Number(row.subscribers),
  };
}

export async function alertTotals(client: ClickHouseClient, database: string, final = true): Promise<{ events: number; alerts: number }> {
  const rows = await queryRows<{ events: string | number; alerts: string | number }>(
    client,
    `SELECT count() AS events, uniqExact(alert_id) AS alerts FROM ${database}.alerts ${final ? 'FINAL' : ''}`,
  );
  return { events: Number(rows[0]!.events), alerts: Number(rows[0]!.alerts) };
}

/** Sum over partitions of the group's committed offsets: on a fresh topic, the number of records committed past. */
export async function committedTotal(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const reader = new BatchConsumer(kafka, { groupId, topics: topic, logger: testLogger('offsets') });
  try {
    const committed = await reader.fetchCommitted(topic);
    return committed.reduce((sum, entry) => sum + Number(entry.offset ?? 0), 0);
  } finally {
    await reader.disconnect();
  }
}

/** The value of a metric (summed over label sets matching `labels`), read from the registry. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([k, v]) => String(value.labels[k]) === v))
    .filter((value) => !('metricName' in value) || value.metricName === name)
    .reduce((sum, value) => sum + value.value, 0);
}

/** Polls `check` until it returns true or `timeoutMs` passes; the last failure's message goes into the error. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, intervalMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/**
 * A TCP proxy on a free loopback port in front of the real ClickHouse. `down()` closes the listener and cuts every
 * open connection (the client sees refused connections and resets, as with a restarting server); `up()` listens on
 * the same port again.
 */
export class OutageProxy {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  constructor(targetUrl: string) {
    this.#target = new URL(targetUrl);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.#target.port || 8123), this.#target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
