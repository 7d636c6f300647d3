// npm run demo: the whole pipeline, live. Starts local Kafka and ClickHouse (or uses KAFKA_BROKERS / CLICKHOUSE_URL),
// creates the topics and tables, runs the scorer and the sink (and the analyst API when it is built) as real
// processes, feeds them simulated signalling with attack campaigns, and prints progress until Ctrl-C, which stops
// everything the demo started.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '@gtwatch/cli';
import { type ClickHouseClient, createClickHouseClient, dropDatabase, queryRows, sql } from '@gtwatch/clickhouse';
import { loadConfig } from '@gtwatch/config';
import { BatchConsumer, createKafkaClient, deleteTopics, type Kafka, matchingTopics, missingTopics, type OutgoingRecord, Producer } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import { partitionKey, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { z } from 'zod';
import { startLocalServices } from '../test/setup/local-services.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.local', 'demo-live');
const RATE = Number(process.env.DEMO_RATE ?? 5_000); // records per second offered to the pipeline
const SEGMENT_RECORDS = 200_000; // one simulated 4-hour segment of traffic
const SEGMENT_MINUTES = 240;
const SEED = 2025;
const PARTITIONS = 6;
// The demo's own namespace, emptied at every start (see resetDemoNamespace); names given in the environment are used
// as they are and never emptied.
const DEMO_PREFIX = 'gtwatch-demo';
const DEMO_DATABASE = 'gtwatch_demo';

const say = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });

const given = { kafka: Boolean(process.env.KAFKA_BROKERS), clickhouse: Boolean(process.env.CLICKHOUSE_URL) };
say(`[demo] ${given.kafka && given.clickhouse ? 'using the servers in the environment' : 'starting local Kafka and ClickHouse (deploy/local) …'}`);
const services = given.kafka && given.clickhouse ? { env: {}, stop: async () => {} } : await startLocalServices(given);
const referenceDir = join(DIR, 'reference');
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ...services.env,
  GTWATCH_TOPIC_PREFIX: process.env.GTWATCH_TOPIC_PREFIX ?? DEMO_PREFIX,
  CLICKHOUSE_DATABASE: process.env.CLICKHOUSE_DATABASE ?? DEMO_DATABASE,
  GTWATCH_REFERENCE_DIR: referenceDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};
const config = loadConfig(env);
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('\n[demo] stopping the services …');
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  await services.stop();
  say('[demo] stopped everything the demo started.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
// Should the demo itself die, its services must not outlive it.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
});
process.on('SIGTERM', () => void stopAll(0));

/**
 * Every run's simulated traffic starts a day ago, so an earlier run's records, offsets and rows would overlap it:
 * ClickHouse would count those minutes twice and the detector would see a second day arriving late. A run therefore
 * starts from empty demo topics and an empty demo database, unless the environment named its own (never deleted).
 */
async function resetDemoNamespace(kafka: Kafka, clickhouse: ClickHouseClient): Promise<void> {
  const ownPrefix = config.topicPrefix === DEMO_PREFIX;
  const ownDatabase = config.clickhouse.database === DEMO_DATABASE;
  if (ownPrefix) {
    const previous = await matchingTopics(kafka, new RegExp(`^${DEMO_PREFIX}\\.`));
    if (previous.length > 0) {
      say(`[demo] deleting the ${previous.length} topics of the previous demo run (${DEMO_PREFIX}.*)`);
      await deleteTopics(kafka, previous);
      // Deletion completes asynchronously; creating a name still listed would be skipped as existing.
      for (let waited = 0; (await missingTopics(kafka, previous)).length < previous.length; waited += 250) {
        if (waited > 30_000) throw new Error(`the previous demo run's topics were still listed 30 s after deleting them`);
        await sleep(250);
      }
    }
  }
  if (ownDatabase) await dropDatabase(clickhouse, DEMO_DATABASE);
  if (!ownPrefix || !ownDatabase) {
    say(`[demo] using topics ${config.topicPrefix}.* and database ${config.clickhouse.database} as they are: data of earlier runs stays in them`);
  }
}

try {
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env, cwd: ROOT };
  const cli = async (args: string[]) => {
    say(`[demo] $ gtwatch ${args.join(' ')}`);
    if ((await runCli(args, io)) !== 0) throw new Error(`gtwatch ${args[0]} failed`);
  };
  const logger = createLogger({ service: 'demo', level: 'warn' });
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'gtwatch-demo', logger });
  const clickhouseAt = (database: string) =>
    createClickHouseClient({ url: config.clickhouse.url, user: config.clickhouse.user, password: config.clickhouse.password, database });
  // The server's own database: the demo database may not exist yet.
  const admin = clickhouseAt('default');
  await resetDemoNamespace(kafka, admin).finally(() => admin.close());
  await cli(['topics', 'create', '--partitions', String(PARTITIONS)]);
  await cli(['migrate']);
  // The simulator's world (operators, GT ranges, leased ranges) is the scorer's reference data.
  await writeReferenceFiles(simulate({ seed: SEED, records: SEGMENT_RECORDS }).world, referenceDir);

  const start = (name: string, args: string[], port: number) => {
    const child = spawn(process.execPath, [join(ROOT, 'packages/cli/bin/gtwatch.js'), ...args], {
      env: { ...env, PORT: String(port), GTWATCH_INSTANCE: `demo-${name}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only the demo, which then stops each service gracefully.
      detached: true,
    });
    const log = createWriteStream(join(DIR, `${name}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        say(`[demo] ${name} exited (${signal ?? code}); see ${join(DIR, `${name}.log`)}`);
        void stopAll(1);
      }
    });
    children.push({ name, child });
    say(`[demo] ${name} running: health and metrics on http://127.0.0.1:${port}/metrics, log ${join(DIR, `${name}.log`).replace(`${ROOT}/`, '')}`);
  };
  start('scorer', ['run', 'scorer'], 9464);
  start('sink', ['run', 'sink'], 9465);
  // The analyst API and dashboard, with one analyst token made for this demo (only its hash is stored).
  const token = randomBytes(18).toString('base64url');
  const tokensFile = join(DIR, 'api-tokens.ndjson');
  const sha256 = createHash('sha256').update(token).digest('hex');
  writeFileSync(tokensFile, `${JSON.stringify({ name: 'demo-analyst', role: 'analyst', clearance: 'amber+strict', sha256 })}\n`);
  const apiPort = Number(process.env.GTWATCH_API_PORT ?? 8080);
  env.GTWATCH_API_TOKENS_FILE = tokensFile;
  env.GTWATCH_API_PORT = String(apiPort);
  start('api', ['run', 'api'], 9466);
  say(`[demo] dashboard: http://127.0.0.1:${apiPort}/   token: ${token}`);

  // Alerts as the regulators' consumers see them.
  const opened = new Map<string, number>();
  let alertEvents = 0;
  const latest: string[] = [];
  const watcher = new BatchConsumer(kafka, { groupId: `demo-watch-${Date.now()}`, topics: config.topics.alerts, fromBeginning: false, logger });
  await watcher.start({
    eachBatch: async (batch) => {
      for (const record of batch.records) {
        const event = JSON.parse(record.value?.toString() ?? '{}') as { data?: { status?: string; pattern?: string; explanation?: string; severity?: string } };
        alertEvents++;
        if (event.data?.status === 'open' && event.data.pattern) {
          opened.set(event.data.pattern, (opened.get(event.data.pattern) ?? 0) + 1);
          latest.push(`[${event.data.severity}] ${event.data.explanation}`);
          if (latest.length > 3) latest.shift();
        }
      }
    },
  });

  // Live traffic: 4-hour segments of simulated signalling starting a day ago, offered at RATE records/s. Event time
  // runs faster than the wall clock (the detector only knows event time) but never ahead of it.
  const producer = new Producer(kafka, { logger });
  await producer.connect();
  let produced = 0;
  const feed = async () => {
    for (let segment = 0; !stopping; segment++) {
      const begin = Date.now() - 24 * 3_600_000 + segment * SEGMENT_MINUTES * 60_000;
      if (begin + SEGMENT_MINUTES * 60_000 > Date.now()) {
        say('[demo] the simulated traffic has caught up with the present; waiting for Ctrl-C');
        return;
      }
      const run = simulate({ seed: SEED, records: SEGMENT_RECORDS, start: new Date(begin).toISOString(), durationMinutes: SEGMENT_MINUTES, badRate: 0.001 });
      let chunk: OutgoingRecord[] = [];
      const tickMs = 200;
      let next = Date.now();
      for (const line of run.lines) {
        if (stopping) return;
        chunk.push({ key: partitionKey(line), value: line });
        if (chunk.length >= (RATE * tickMs) / 1000) {
          await producer.send(config.topics.signalling, chunk);
          produced += chunk.length;
          chunk = [];
          next += tickMs;
          await sleep(Math.max(0, next - Date.now()));
        }
      }
      if (chunk.length > 0) await producer.send(config.topics.signalling, chunk);
      produced += chunk.length;
    }
  };
  const feeding = feed().catch((error: unknown) => {
    say(`[demo] feeding failed: ${String(error)}`);
    void stopAll(1);
  });

  const clickhouse = clickhouseAt(config.clickhouse.database);
  say(`[demo] feeding live traffic; progress every 5 s; dashboard http://127.0.0.1:${apiPort}/ (token above). Ctrl-C stops everything.\n`);
  let lastProduced = 0;
  while (!stopping) {
    await sleep(5_000);
    const [row] = await queryRows(
      clickhouse,
      sql`SELECT toString(sum(transactions)) AS transactions, toString(uniqExact(entity)) AS sources FROM traffic_minute FINAL`,
      z.object({ transactions: z.string(), sources: z.string() }),
    ).catch(() => [undefined]);
    const rate = Math.round((produced - lastProduced) / 5);
    lastProduced = produced;
    const byPattern = [...opened].sort().map(([pattern, n]) => `${pattern} ${n}`).join(', ') || 'none yet';
    say(
      `[demo] in ${produced.toLocaleString('en')} records (${rate.toLocaleString('en')}/s) · in ClickHouse ${Number(row?.transactions ?? 0).toLocaleString('en')} ` +
        `transactions from ${row?.sources ?? 0} sources · ${alertEvents} alert events; opened by pattern: ${byPattern}`,
    );
    for (const line of latest.splice(0)) say(`         ${line}`);
  }
  await feeding;
} catch (error) {
  say(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
