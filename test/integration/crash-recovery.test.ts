/**
 * Results survive failure, exactly once, with the work spread over two scorer instances: the scorers and the sink run
 * as real processes (`gtwatch run`) and are killed with SIGKILL at random points mid-stream, then restarted. In the
 * end ClickHouse holds exactly the traffic totals the offline scorer rolls up from the same lines, the alerts table
 * holds the offline alerts, and the alert topic carries each alert's `opened` event exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouseClient, createDatabase, dropDatabase, migrate, queryRows, sql } from '@gtwatch/clickhouse';
import { topicNames } from '@gtwatch/config';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import { BatchConsumer, defaultTopicSpecs, deleteTopics, ensureTopics, type OutgoingRecord, Producer } from '@gtwatch/kafka';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import { type Alert, AlertSchema } from '@gtwatch/schema';
import { referenceFiles, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { clickHouseOptions, testKafka, testLogger, uniqueName } from '../support/services.js';

const SOURCE_PARTITIONS = 3;
const RECORDS = 20_000;
const CLI = join(process.cwd(), 'packages/cli/bin/gtwatch.js');

/** A small deterministic generator, so a failing kill schedule can be rerun from the seed in the log. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function offline(lines: readonly string[], world: Parameters<typeof referenceFiles>[0]) {
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

function sourceKey(line: string): string | null {
  try {
    const value = JSON.parse(line) as { protocol?: string; callingGt?: string; originRealm?: string };
    return (value.protocol === 'DIAMETER' ? value.originRealm : value.callingGt) ?? null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crash recovery and scale-out: two scorers and a sink, SIGKILLed mid-stream', () => {
  const prefix = uniqueName('crash').replace(/_/g, '-');
  const database = uniqueName('crash');
  const topics = topicNames(prefix);
  const logger = testLogger('crash-test');
  const kafka = testKafka('crash');
  const logDir = mkdtempSync(join(tmpdir(), 'gtwatch-crash-'));
  const running = new Set<ChildProcess>();
  const admin = createClickHouseClient(clickHouseOptions());

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await deleteTopics(kafka, defaultTopicSpecs(topics, { signallingPartitions: SOURCE_PARTITIONS, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }).map((s) => s.topic));
    await dropDatabase(admin, database);
    await admin.close();
  });

  function start(service: 'scorer' | 'sink', env: Record<string, string>, generation: number, instance: string = service): ChildProcess {
    const child = spawn(process.execPath, [CLI, 'run', service], {
      env: { ...process.env, ...env, GTWATCH_INSTANCE: `crash-${instance}`, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(logDir, `${instance}-${generation}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    running.add(child);
    child.on('exit', () => running.delete(child));
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  it('ends with the offline totals and alerts, and one opened event per alert', { timeout: 300_000 }, async () => {
    const run = simulate({ seed: 11, records: RECORDS, badRate: 0.002, durationMinutes: 120 });
    const lines = [...run.lines];
    const expected = offline(lines, run.world);
    const sourceKeyed = expected.alerts.filter((a) => a.data.pattern !== 'velocity');
    const expectedOpened = new Set(sourceKeyed.filter((a) => a.data.status === 'open').map((a) => a.id));
    expect(expectedOpened.size).toBeGreaterThan(5);

    const referenceDir = mkdtempSync(join(tmpdir(), 'gtwatch-crash-ref-'));
    await writeReferenceFiles(run.world, referenceDir);
    await ensureTopics(kafka, defaultTopicSpecs(topics, { signallingPartitions: SOURCE_PARTITIONS, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }));
    await createDatabase(admin, database);
    const client = createClickHouseClient(clickHouseOptions(database));
    await migrate(client, database);

    // Live traffic: the lines arrive at about 1,000 records/s while the services are killed and restarted, so every
    // kill lands mid-stream with windows open; a record far ahead on every partition then closes every window.
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    const endMs = Date.parse(run.labels().end) + 3 * 3_600_000;
    const feed = (async () => {
      for (let from = 0; from < lines.length; from += 250) {
        const chunk = lines.slice(from, from + 250).map((line): OutgoingRecord => ({ key: sourceKey(line), value: line }));
        await producer.send(topics.signalling, chunk);
        await sleep(250);
      }
      const tick = (partition: number) => ({
        partition,
        value: JSON.stringify({
          schemaVersion: 1, id: `tick-${partition}`, time: endMs, reporter: '234-15', protocol: 'MAP', direction: 'out',
          operation: 56, result: 'ok', callingGt: '447700900001', calledGt: '447700900002',
        }),
      });
      await producer.send(topics.signalling, Array.from({ length: SOURCE_PARTITIONS }, (_, partition) => tick(partition)));
      // The velocity stage's clock moves with its own input only: the same tick there judges the last updates.
      await sleep(5_000);
      await producer.send(topics.bySubscriber, Array.from({ length: 12 }, (_, partition) => tick(partition)));
      await producer.disconnect();
    })();

    const env = {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      CLICKHOUSE_URL: inject('clickhouseUrl'),
      CLICKHOUSE_USER: inject('clickhouseUser'),
      CLICKHOUSE_PASSWORD: inject('clickhousePassword'),
      CLICKHOUSE_DATABASE: database,
      GTWATCH_TOPIC_PREFIX: prefix,
      GTWATCH_REFERENCE_DIR: referenceDir,
    };
    const seed = Date.now() % 100_000;
    const next = random(seed);
    process.stderr.write(`[crash-recovery] kill schedule seed ${seed}, logs in ${logDir}\n`);

    /** Sum of a group's committed offsets on a topic: how far a service has durably got. */
    const committed = async (groupId: string, topic: string): Promise<number> => {
      const kafkaAdmin = kafka.admin();
      try {
        await kafkaAdmin.connect();
        const [offsets] = await kafkaAdmin.fetchOffsets({ groupId, topics: [topic] });
        return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      } catch {
        // Only a progress probe: a broker hiccup (e.g. metadata of the new topics still spreading) means "no news".
        return 0;
      } finally {
        await kafkaAdmin.disconnect();
      }
    };
    /** Kills the service once its group has committed `step` more records (or after 20 s), i.e. mid-stream. */
    const killAfterProgress = async (child: ChildProcess, groupId: string, topic: string, step: number) => {
      const from = await committed(groupId, topic);
      const until = Date.now() + 20_000;
      while (Date.now() < until && child.exitCode === null && (await committed(groupId, topic)) < from + step) await sleep(100);
      await sleep(next() * 300);
      await kill(child);
    };

    // Two scorer instances share the work (scale-out) and one sink writes. In each of three rounds one scorer
    // (alternately) and the sink are SIGKILLed once they have made a random amount of progress: the surviving
    // scorer takes the dead one's partitions over by replay, and both killed processes are restarted.
    const scorers = { a: start('scorer', env, 0, 'scorer-a'), b: start('scorer', env, 0, 'scorer-b') };
    let sink = start('sink', env, 0);
    for (let round = 1; round <= 3; round++) {
      const victim = round % 2 === 1 ? 'a' : 'b';
      await Promise.all([
        killAfterProgress(scorers[victim], `${prefix}-scorer-source`, topics.signalling, Math.round(RECORDS * (0.02 + next() * 0.1))),
        killAfterProgress(sink, `${prefix}-sink`, topics.aggregates, Math.round(200 + next() * 1_000)),
      ]);
      scorers[victim] = start('scorer', env, round, `scorer-${victim}`);
      sink = start('sink', env, round);
    }
    await feed;

    const total = async () => {
      const [row] = await queryRows(client, sql`SELECT toString(sum(transactions)) AS total FROM traffic_minute FINAL`, z.object({ total: z.string() }));
      return Number(row?.total ?? 0);
    };
    const openedInClickHouse = async () => {
      const query = sql`SELECT DISTINCT event_id FROM alerts WHERE status = 'open' AND pattern != 'velocity'`;
      const rows = await queryRows(client, query, z.object({ event_id: z.string() }));
      return new Set(rows.map((r) => r.event_id));
    };
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const opened = await openedInClickHouse();
      if ((await total()) >= expected.transactions && [...expectedOpened].every((id) => opened.has(id))) break;
      await sleep(1_000);
    }
    // Let anything still in flight land, so a late duplicate would be seen.
    await sleep(3_000);
    expect(await total()).toBe(expected.transactions);
    expect(await openedInClickHouse()).toEqual(expectedOpened);

    // The alert topic, read as a regulator reads it (committed transactions only): one opened per alert.
    const events: Alert[] = [];
    const reader = new BatchConsumer(kafka, { groupId: `${prefix}-audit`, topics: topics.alerts, fromBeginning: true, logger, maxWaitTimeInMs: 500 });
    await reader.start({
      eachBatch: async (batch) => {
        for (const record of batch.records) events.push(AlertSchema.parse(JSON.parse(record.value?.toString() ?? 'null')));
      },
    });
    const published = () => new Set(events.filter((e) => e.data.status === 'open').map((e) => e.id));
    const velocitySources = new Set(expected.alerts.filter((a) => a.data.pattern === 'velocity').map((a) => a.data.alertId));
    const velocityPublished = () => new Set(events.filter((e) => e.data.pattern === 'velocity').map((e) => e.data.alertId));
    const readDeadline = Date.now() + 60_000;
    while (
      Date.now() < readDeadline &&
      !([...expectedOpened].every((id) => published().has(id)) && [...velocitySources].every((id) => velocityPublished().has(id)))
    ) {
      await sleep(250);
    }
    await sleep(1_000);
    await reader.disconnect();
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

    await Promise.all([kill(scorers.a), kill(scorers.b), kill(sink)]);
    await client.close();
    // The kills must have hit state that mattered: some restarted scorer rebuilt a partition by replaying records.
    const replays = readdirSync(logDir)
      .filter((file) => file.startsWith('scorer-'))
      .flatMap((file) => readFileSync(join(logDir, file), 'utf8').split('\n'))
      .filter((line) => line.includes('partition state rebuilt'))
      .map((line) => JSON.parse(line) as { stage: string; replayed: number })
      .filter((line) => line.stage === 'source' && line.replayed > 0);
    expect(replays.length).toBeGreaterThan(0);
  });
});
