/**
 * One end-to-end run of the streaming pipeline against real servers, for the failure tests: simulated traffic with
 * attack campaigns (the simulator's ground truth), scored offline with the same detector as `gtwatch score`, then fed
 * live into Kafka while scorer and sink run as real `gtwatch run` processes. The tests break things in between; the
 * end state is then held against the offline result: ClickHouse totals and alerts, and one `opened` event per alert
 * on the alert topic, read as a regulator reads it.
 *
 * Each scenario names its own topic prefix and database (runId-prefixed) and removes them, its processes and its
 * temporary directories in `cleanup()`, which a test calls from `afterAll` so a failing run leaves nothing behind.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type ClickHouseClient,
  createClickHouseClient,
  createDatabase,
  dropDatabase,
  queryRows,
  sql,
} from '@gtwatch/clickhouse';
import { type TopicNames, topicNames } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import {
  BatchConsumer,
  createKafkaClient,
  defaultTopicSpecs,
  deleteTopics,
  ensureTopics,
  type Kafka,
  type OutgoingRecord,
  Producer,
} from '@gtwatch/kafka';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import { type Alert, AlertSchema } from '@gtwatch/schema';
import { partitionKey, referenceFiles, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { expect, inject } from 'vitest';
import { z } from 'zod';
import { CLI, type ServiceName, ServiceProcess, type UnexpectedExit } from './service-process.js';
import { testLogger } from './services.js';

const execFileAsync = promisify(execFile);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A small deterministic generator, so a failing kill schedule can be rerun from the seed in the log. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface OfflineResult {
  alerts: Alert[];
  transactions: number;
}

/** What `gtwatch score` produces from the same lines: the alert events and the rolled-up transaction count. */
function scoreOffline(lines: readonly string[], world: Parameters<typeof referenceFiles>[0]): OfflineResult {
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(world)));
  const detector = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering, emitter: { service: 'score', instance: 'offline' }, aggregates: true });
  const scorer = new RecordScorer(detector);
  const alerts: Alert[] = [];
  for (const [index, line] of lines.entries()) {
    alerts.push(...scorer.score(line, () => ({ kind: 'file', file: 'x', line: index + 1 }), Date.parse('2099-01-01')).events);
  }
  alerts.push(...scorer.flush());
  const transactions = detector.takeAggregates().reduce((sum, row) => sum + row.transactions, 0);
  return { alerts, transactions };
}

export interface ScenarioServers {
  kafkaBrokers: string;
  clickhouseUrl: string;
  clickhouseUser: string;
  clickhousePassword: string;
}

/** The servers the global setup provides (shared by every integration file). */
export function sharedServers(): ScenarioServers {
  return {
    kafkaBrokers: inject('kafkaBrokers'),
    clickhouseUrl: inject('clickhouseUrl'),
    clickhouseUser: inject('clickhouseUser'),
    clickhousePassword: inject('clickhousePassword'),
  };
}

export interface ScenarioOptions {
  /** Short name for topics, database, instance ids and logs, e.g. `crash`. */
  label: string;
  servers: ScenarioServers;
  records: number;
  seed: number;
  signallingPartitions: number;
  /** Event time the simulated traffic spans. Default 120 minutes. */
  durationMinutes?: number;
}

export interface FeedOptions {
  /** Records per send. Default 250. */
  chunk?: number;
  /** Pause between sends: sets the offered rate (chunk / interval). Default 250 ms. */
  intervalMs?: number;
}

const JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'];

export class PipelineScenario {
  readonly label: string;
  readonly prefix: string;
  readonly database: string;
  readonly topics: TopicNames;
  readonly servers: ScenarioServers;
  readonly kafka: Kafka;
  readonly logDir: string;
  readonly lines: readonly string[];
  readonly expected: OfflineResult;
  /** Ids of the offline `opened` events of the source-keyed patterns (velocity is compared by source, see below). */
  readonly expectedOpened: ReadonlySet<string>;
  /** Exits of service processes that the test did not cause; each was answered with a restart. */
  readonly unexpectedExits: UnexpectedExit[] = [];
  /** Records handed to Kafka so far by `feed()`. */
  fed = 0;
  /** Sends `feed()` repeated because the broker could not be reached. */
  feedRetries = 0;

  readonly #options: ScenarioOptions;
  readonly #run: ReturnType<typeof simulate>;
  readonly #referenceDir: string;
  readonly #admin: ClickHouseClient;
  readonly #client: ClickHouseClient;
  readonly #services: ServiceProcess[] = [];
  readonly #logger = testLogger('scenario');
  #created = { topics: false, database: false };
  #stopped = false;

  constructor(options: ScenarioOptions) {
    this.#options = options;
    this.label = options.label;
    this.servers = options.servers;
    const unique = `${inject('runId')}_${options.label}`.replace(/[^A-Za-z0-9_]/g, '_');
    this.prefix = unique.replace(/_/g, '-');
    this.database = unique;
    this.topics = topicNames(this.prefix);
    this.kafka = createKafkaClient({ brokers: options.servers.kafkaBrokers.split(','), clientId: `gtwatch-test-${options.label}`, logger: this.#logger });
    this.logDir = mkdtempSync(join(tmpdir(), `gtwatch-${options.label}-`));
    this.#referenceDir = mkdtempSync(join(tmpdir(), `gtwatch-${options.label}-ref-`));
    this.#run = simulate({ seed: options.seed, records: options.records, badRate: 0.002, durationMinutes: options.durationMinutes ?? 120 });
    this.lines = [...this.#run.lines];
    this.expected = scoreOffline(this.lines, this.#run.world);
    this.expectedOpened = new Set(
      this.expected.alerts.filter((a) => a.data.pattern !== 'velocity' && a.data.status === 'open').map((a) => a.id),
    );
    const clickhouse = { url: options.servers.clickhouseUrl, user: options.servers.clickhouseUser, password: options.servers.clickhousePassword };
    this.#admin = createClickHouseClient(clickhouse);
    this.#client = createClickHouseClient({ ...clickhouse, database: this.database });
  }

  #topicSpecs() {
    return defaultTopicSpecs(this.topics, { signallingPartitions: this.#options.signallingPartitions, jurisdictions: JURISDICTIONS });
  }

  /**
   * Reference data for the services, the topics and the database, migrated with `gtwatch migrate` as an operator
   * does: the same build as the services, whose sink refuses a schema another build applied.
   */
  async prepare(): Promise<void> {
    await writeReferenceFiles(this.#run.world, this.#referenceDir);
    this.#created.topics = true;
    await ensureTopics(this.kafka, this.#topicSpecs());
    this.#created.database = true;
    await createDatabase(this.#admin, this.database);
    try {
      await execFileAsync(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...this.env() }, timeout: 120_000 });
    } catch (error) {
      const detail = error as { stderr?: string; message: string };
      throw new Error(`gtwatch migrate failed: ${detail.message}\n${detail.stderr ?? ''}`);
    }
  }

  /** The environment `gtwatch run` gets, as an operator would set it. */
  env(): Record<string, string> {
    return {
      KAFKA_BROKERS: this.servers.kafkaBrokers,
      CLICKHOUSE_URL: this.servers.clickhouseUrl,
      CLICKHOUSE_USER: this.servers.clickhouseUser,
      CLICKHOUSE_PASSWORD: this.servers.clickhousePassword,
      CLICKHOUSE_DATABASE: this.database,
      GTWATCH_TOPIC_PREFIX: this.prefix,
      GTWATCH_REFERENCE_DIR: this.#referenceDir,
    };
  }

  /** Starts a supervised service process; `extraEnv` e.g. pins its health port. */
  start(service: ServiceName, instance: string, extraEnv: Record<string, string> = {}): ServiceProcess {
    const child = new ServiceProcess({
      service,
      instance,
      env: { ...this.env(), ...extraEnv },
      logDir: this.logDir,
      onUnexpectedExit: (exit) => {
        this.unexpectedExits.push(exit);
        process.stderr.write(
          `[${this.label}] ${exit.instance} (generation ${exit.generation}) exited by itself (code ${exit.code}, signal ${exit.signal}); ` +
            `restarting it as a supervisor would. Last lines:\n${exit.lastLines.join('\n')}\n`,
        );
      },
    });
    this.#services.push(child);
    return child;
  }

  /**
   * Live traffic: the simulated lines at chunk/interval records per second, keyed by source. Then a record far ahead
   * in event time on every signalling partition closes every window, and, once the scorer had time to pass it on, the
   * same on the by-subscriber topic, whose clock moves with its own input only, judges the last location updates.
   * The producer is idempotent and retries without bound, so a broker that goes away and comes back neither loses
   * nor duplicates input.
   */
  feed(options: FeedOptions = {}): Promise<void> {
    const feeding = this.#feed(options);
    // A test that fails before awaiting the feed must not leave an unhandled rejection behind (cleanup stops it).
    feeding.catch(() => {});
    return feeding;
  }

  async #feed(options: FeedOptions): Promise<void> {
    const chunk = options.chunk ?? 250;
    const intervalMs = options.intervalMs ?? 250;
    const producer = new Producer(this.kafka, {
      logger: this.#logger,
      idempotent: true,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    await producer.connect();
    try {
      for (let from = 0; from < this.lines.length; from += chunk) {
        if (this.#stopped) return;
        const records = this.lines.slice(from, from + chunk).map((line): OutgoingRecord => ({ key: partitionKey(line), value: line }));
        await this.#sendPatiently(producer, this.topics.signalling, records);
        this.fed += records.length;
        await sleep(intervalMs);
      }
      const endMs = Date.parse(this.#run.labels().end) + 3 * 3_600_000;
      const tick = (partition: number) => ({
        partition,
        value: JSON.stringify({
          schemaVersion: 1, id: `tick-${partition}`, time: endMs, reporter: '234-15', protocol: 'MAP', direction: 'out',
          operation: 56, result: 'ok', callingGt: '447700900001', calledGt: '447700900002',
        }),
      });
      const partitions = (count: number) => Array.from({ length: count }, (_, partition) => tick(partition));
      await this.#sendPatiently(producer, this.topics.signalling, partitions(this.#options.signallingPartitions));
      await sleep(5_000);
      if (this.#stopped) return;
      const bySubscriber = this.#topicSpecs().find((spec) => spec.topic === this.topics.bySubscriber)?.partitions ?? 12;
      await this.#sendPatiently(producer, this.topics.bySubscriber, partitions(bySubscriber));
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * kafkajs gives up on a broker it cannot reach after a few seconds, whatever the producer's retries. The same send
   * is repeated until the broker is back: the idempotent producer keeps its sequence numbers for a send that failed,
   * so a batch the broker stored before the connection broke is recognised and not stored twice.
   */
  async #sendPatiently(producer: Producer, topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        await producer.send(topic, records);
        return;
      } catch (error) {
        if (this.#stopped || Date.now() > deadline) throw error;
        this.feedRetries += 1;
        await sleep(500);
      }
    }
  }

  /**
   * `waitFor`, but gives up at once when a service is crash-looping (three exits by itself) or hangs after a failed
   * start: waiting longer would only hide the reason, which their last log lines give.
   */
  async until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
    await waitFor(
      what,
      async () => {
        const exits = new Map<string, UnexpectedExit[]>();
        for (const exit of this.unexpectedExits) exits.set(exit.instance, [...(exits.get(exit.instance) ?? []), exit]);
        for (const [instance, list] of exits) {
          if (list.length >= 3) {
            throw new Error(`${instance} is crash-looping (${list.length} exits) while waiting for ${what}; last lines:\n${list.at(-1)?.lastLines.join('\n')}`);
          }
        }
        for (const service of this.#services) {
          const since = service.hungAfterStartupFailureSince;
          if (since !== undefined && Date.now() - since > 10_000) {
            throw new Error(
              `${service.instance} logged "could not start" ${Math.round((Date.now() - since) / 1000)} s ago but has not exited, so nothing restarts it ` +
                `(waiting for ${what}); last lines:\n${service.logLines().slice(-3).join('\n')}`,
            );
          }
        }
        return condition();
      },
      timeoutMs,
      intervalMs,
    );
  }

  /** Sum of a group's committed offsets on a topic: how far a service has durably got (0 when the broker is busy). */
  async committed(groupId: string, topic: string): Promise<number> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } catch {
      // Only a progress probe: a broker hiccup (metadata of new topics still spreading, a restart) means "no news".
      return 0;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  /** Transactions rolled up in ClickHouse (replays collapse under FINAL). */
  async totalTransactions(): Promise<number> {
    const query = sql`SELECT toString(sum(transactions)) AS total FROM traffic_minute FINAL`;
    const [row] = await queryRows(this.#client, query, z.object({ total: z.string() }));
    return Number(row?.total ?? 0);
  }

  async #openedInClickHouse(): Promise<Set<string>> {
    const query = sql`SELECT DISTINCT event_id FROM alerts WHERE status = 'open' AND pattern != 'velocity'`;
    const rows = await queryRows(this.#client, query, z.object({ event_id: z.string() }));
    return new Set(rows.map((r) => r.event_id));
  }

  /**
   * Waits until ClickHouse holds at least the offline totals and alerts, lets anything still in flight land (so a
   * late duplicate would be seen), then asserts equality: ClickHouse, and the alert topic read with read_committed.
   */
  async assertMatchesOffline(timeoutMs = 180_000): Promise<void> {
    const { expected, expectedOpened } = this;
    expect(expectedOpened.size).toBeGreaterThan(5);
    await this.until(
      'ClickHouse to hold the offline totals and alerts',
      async () => {
        const opened = await this.#openedInClickHouse();
        return (await this.totalTransactions()) >= expected.transactions && [...expectedOpened].every((id) => opened.has(id));
      },
      timeoutMs,
      1_000,
    ).catch(async (error: Error) => {
      const opened = await this.#openedInClickHouse().catch(() => new Set<string>());
      const missing = [...expectedOpened].filter((id) => !opened.has(id)).length;
      const total = await this.totalTransactions().catch(() => -1);
      throw new Error(`${error.message}: ${total} of ${expected.transactions} transactions, ${missing} of ${expectedOpened.size} opened alerts missing (logs in ${this.logDir})`);
    });
    await sleep(3_000);
    expect(await this.totalTransactions()).toBe(expected.transactions);
    expect(await this.#openedInClickHouse()).toEqual(expectedOpened);

    const events = await this.#readAlertTopic();
    const openedPerAlert = new Map<string, number>();
    for (const event of events) {
      if (event.data.status !== 'open' || event.data.pattern === 'velocity') continue;
      openedPerAlert.set(event.data.alertId, (openedPerAlert.get(event.data.alertId) ?? 0) + 1);
    }
    expect([...openedPerAlert.values()].filter((count) => count > 1)).toEqual([]);
    // Velocity alerts open in their source's alert book when the finding arrives from the by-subscriber stage, so
    // their event ids differ from offline; the sources must be the same, and no alert may open more often than
    // offline (where several subscriber partitions used to open it once each).
    const velocityOpened = (list: readonly Alert[]) => {
      const counts = new Map<string, number>();
      for (const e of list) if (e.data.status === 'open' && e.data.pattern === 'velocity') counts.set(e.data.alertId, (counts.get(e.data.alertId) ?? 0) + 1);
      return counts;
    };
    const offlineVelocity = velocityOpened(expected.alerts);
    const streamedVelocity = velocityOpened(events);
    expect(offlineVelocity.size).toBeGreaterThan(0);
    expect(new Set(streamedVelocity.keys())).toEqual(new Set(offlineVelocity.keys()));
    for (const [alertId, count] of streamedVelocity) expect(count).toBeLessThanOrEqual(offlineVelocity.get(alertId) ?? 0);
    expect(new Set(events.filter((e) => e.data.status === 'open' && e.data.pattern !== 'velocity').map((e) => e.id))).toEqual(expectedOpened);
    // Every source-keyed event the offline scorer emitted before the end of input, once each.
    const ids = events.filter((e) => e.data.pattern !== 'velocity').map((e) => e.id);
    expect(ids.length).toBe(new Set(ids).size);
  }

  /** The alert topic as a regulator reads it (committed transactions only), once everything expected is there. */
  async #readAlertTopic(): Promise<Alert[]> {
    const events: Alert[] = [];
    const reader = new BatchConsumer(this.kafka, {
      groupId: `${this.prefix}-audit`,
      topics: this.topics.alerts,
      fromBeginning: true,
      logger: this.#logger,
      maxWaitTimeInMs: 500,
    });
    await reader.start({
      eachBatch: async (batch) => {
        for (const record of batch.records) events.push(AlertSchema.parse(JSON.parse(record.value?.toString() ?? 'null')));
      },
    });
    try {
      const velocitySources = new Set(this.expected.alerts.filter((a) => a.data.pattern === 'velocity').map((a) => a.data.alertId));
      const complete = () => {
        const opened = new Set(events.filter((e) => e.data.status === 'open').map((e) => e.id));
        const velocity = new Set(events.filter((e) => e.data.pattern === 'velocity').map((e) => e.data.alertId));
        return [...this.expectedOpened].every((id) => opened.has(id)) && [...velocitySources].every((id) => velocity.has(id));
      };
      // Not fatal here: the assertions after it say what is missing.
      await waitFor('the alert topic to carry every expected alert', complete, 60_000).catch(() => {});
      await sleep(1_000);
    } finally {
      await reader.disconnect();
    }
    return events;
  }

  /** Log lines of every scorer generation saying a partition's state was rebuilt by replaying records. */
  sourceReplays(): { stage: string; replayed: number }[] {
    return this.#services
      .filter((service) => service.instance.startsWith('scorer'))
      .flatMap((service) => service.logLines())
      .filter((line) => line.includes('partition state rebuilt'))
      .map((line) => JSON.parse(line) as { stage: string; replayed: number })
      .filter((line) => line.stage === 'source' && line.replayed > 0);
  }

  /** Stops the service processes (SIGKILL: their state is irrelevant by now). */
  async stopServices(): Promise<void> {
    await Promise.all(this.#services.map((service) => service.close()));
  }

  /** Removes everything the scenario made; safe after a failure at any point. Keeps the logs of a failed run. */
  async cleanup(options: { keepLogs?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    await this.stopServices();
    const problems: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        problems.push(error);
      }
    };
    if (this.#created.topics) await attempt(() => deleteTopics(this.kafka, this.#topicSpecs().map((spec) => spec.topic)));
    await attempt(() => this.#client.close());
    if (this.#created.database) await attempt(() => dropDatabase(this.#admin, this.database));
    await attempt(() => this.#admin.close());
    rmSync(this.#referenceDir, { recursive: true, force: true });
    if (!options.keepLogs) rmSync(this.logDir, { recursive: true, force: true });
    if (problems.length > 0) process.stderr.write(`[${this.label}] cleanup problems: ${problems.map(String).join('; ')}\n`);
  }
}
