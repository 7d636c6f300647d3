// npm run bench:clients — what a bare consumer costs per record with each Node Kafka client that runs on this
// machine, on one topic of simulated records: kafkajs 2.2.4 (the project's client and bench:e2e's ceiling),
// @platformatic/kafka 1.34.0 (its last release for Node 20, the migration target the reference notes name) and
// node-rdkafka 3.4.1 on Debian's librdkafka 2.0.2 (built only when librdkafka-dev is installed; its CPU includes
// librdkafka's threads). @confluentinc/kafka-javascript does not install here (see the reference notes).
//
// The alternatives are installed into .local/bench-clients, never into the workspace. Each consumer runs alone in
// its own process, timed from its first batch to the last record (group joins excluded), one after another.
// Uses the broker in KAFKA_BROKERS, else starts the local one (deploy/local) and stops it again at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkaClient, deleteTopics, ensureTopics, type OutgoingRecord, Producer } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import { partitionKey, simulate } from '@gtwatch/simulator';
import { z } from 'zod';
import { startLocalServices } from '../test/setup/local-services.js';
import { formatNumber, printTable, type Row, writeResult } from './report.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '2' },
  },
});
const RECORDS = Number(values.records);
const ROUNDS = Number(values.rounds);
const services = process.env.KAFKA_BROKERS ? { env: {}, stop: async () => {} } : await startLocalServices({ kafka: false, clickhouse: true });
const brokers = process.env.KAFKA_BROKERS ?? services.env.KAFKA_BROKERS ?? '';

const ROOT = join(import.meta.dirname, '..');
const CLIENTS_DIR = join(ROOT, '.local', 'bench-clients');
const log = (text: string) => process.stdout.write(`[bench:clients] ${text}\n`);

/** Installs the alternatives once; returns why node-rdkafka is unavailable, or undefined when it was built. */
function installAlternatives(): string | undefined {
  mkdirSync(CLIENTS_DIR, { recursive: true });
  const manifest = join(CLIENTS_DIR, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'bench-clients', private: true }, null, 2)}\n`);
  if (!existsSync(join(CLIENTS_DIR, 'node_modules', '@platformatic', 'kafka'))) {
    log('installing @platformatic/kafka@1.34.0 and node-rdkafka@3.4.1 into .local/bench-clients …');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '@platformatic/kafka@1.34.0', 'node-rdkafka@3.4.1'], {
      cwd: CLIENTS_DIR,
      stdio: 'inherit',
    });
  }
  const addon = join(CLIENTS_DIR, 'node_modules', 'node-rdkafka', 'build', 'Release', 'node-librdkafka.node');
  if (existsSync(addon)) return undefined;
  if (spawnSync('pkg-config', ['--exists', 'rdkafka']).status !== 0) return 'not built: librdkafka-dev is not installed (apt-get install librdkafka-dev)';
  log("building node-rdkafka against the system's librdkafka …");
  const built = spawnSync('npx', ['--yes', 'node-gyp', 'rebuild'], {
    cwd: join(CLIENTS_DIR, 'node_modules', 'node-rdkafka'),
    env: { ...process.env, BUILD_LIBRDKAFKA: '0' },
    stdio: 'inherit',
  });
  return built.status === 0 ? undefined : 'not built: node-gyp rebuild failed (see above)';
}

async function preload(topic: string): Promise<number> {
  const logger = createLogger({ service: 'bench-clients', level: 'warn' });
  const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'bench-clients', logger });
  await ensureTopics(kafka, [{ topic, partitions: 6 }]);
  const producer = new Producer(kafka, { logger, maxRequestBytes: 900_000 });
  await producer.connect();
  let bytes = 0;
  let chunk: OutgoingRecord[] = [];
  for (const line of simulate({ seed: 7, records: RECORDS }).lines) {
    bytes += line.length;
    chunk.push({ key: partitionKey(line), value: line });
    if (chunk.length === 5_000) {
      await producer.send(topic, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await producer.send(topic, chunk);
  await producer.disconnect();
  return bytes;
}

const Measurement = z.object({ records: z.number().int().positive(), seconds: z.number().positive(), cpuMicros: z.number().nonnegative() });
type Measurement = z.infer<typeof Measurement>;

function runConsumer(script: string, topic: string): Measurement {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, 'kafka-clients', script)], {
    env: { ...process.env, BROKERS: brokers, TOPIC: topic, RECORDS: String(RECORDS), CLIENTS_DIR },
    encoding: 'utf8',
    timeout: 600_000,
  });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return Measurement.parse(JSON.parse(line));
  } catch {
    throw new Error(`${script} gave no measurement (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  }
}

const rdkafkaUnavailable = installAlternatives();
const topic = `bench-clients-${Date.now().toString(36)}`;
log(`preloading ${formatNumber(RECORDS)} simulated records into ${topic} (6 partitions) …`);
const bytes = await preload(topic);
const contenders = [
  { name: 'kafkajs 2.2.4', script: 'kafkajs.mjs' },
  { name: '@platformatic/kafka 1.34.0', script: 'platformatic.mjs' },
  { name: 'node-rdkafka 3.4.1 (librdkafka 2.0.2)', script: 'node-rdkafka.cjs', unavailable: rdkafkaUnavailable },
];
const results: Record<string, Measurement[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const contender of contenders) {
    if (contender.unavailable) continue;
    const measured = runConsumer(contender.script, topic);
    results[contender.name] = [...(results[contender.name] ?? []), measured];
    log(`${contender.name}: ${formatNumber(measured.records / measured.seconds)} records/s, ${formatNumber(measured.cpuMicros / measured.records, 2)} µs CPU/record`);
  }
}
const logger = createLogger({ service: 'bench-clients', level: 'warn' });
await deleteTopics(createKafkaClient({ brokers: brokers.split(','), clientId: 'bench-clients', logger }), [topic]);

const rows: Row[] = contenders.map((contender) => {
  const runs = results[contender.name];
  if (!runs) return { client: contender.name, 'records/s': '—', 'CPU µs/record': '—', note: contender.unavailable ?? '' };
  const fastest = Math.max(...runs.map((run) => run.records / run.seconds));
  const cheapest = Math.min(...runs.map((run) => run.cpuMicros / run.records));
  return { client: contender.name, 'records/s': Math.round(fastest), 'CPU µs/record': Math.round(cheapest * 10) / 10, note: `best of ${runs.length}` };
});
printTable(`Bare consumers on one topic (${formatNumber(RECORDS)} records, ${formatNumber(bytes / 2 ** 20)} MiB, 6 partitions)`, rows);
writeResult('kafka-clients', { records: RECORDS, megabytes: Math.round(bytes / 2 ** 20), rounds: ROUNDS, results, rows });
await services.stop();
