// npm run bench:e2e — the streaming pipeline on the real servers, end to end.
//
// 1. Throughput: N simulated records are preloaded into the signalling topic; then, in the same run, a bare kafkajs
//    consumer reads them all (the ceiling: fetch and decode only), and the scorer and the sink (real processes,
//    `gtwatch run`) score them and write the aggregates and alerts to ClickHouse. Records/s = N / the time from the
//    services' start until the scorer has published everything and the sink has written everything it published.
// 2. Latency: live traffic at a fixed offered rate, with a category-1 probe (which opens an alert on its first
//    transaction) every 250 ms; event-to-alert = the time from sending the probe to reading its alert on the alerts
//    topic, as a regulator's consumer does (read_committed).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClickHouseClient, createDatabase, dropDatabase, migrate } from '@gtwatch/clickhouse';
import { topicNames } from '@gtwatch/config';
import { BatchConsumer, createKafkaClient, defaultTopicSpecs, deleteTopics, ensureTopics, type OutgoingRecord, Producer } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import { partitionKey, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { startLocalServices } from '../test/setup/local-services.js';
import { formatNumber, printTable, writeResult } from './report.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000000' },
    partitions: { type: 'string', default: '6' },
    // Scorer instances in the throughput run (one consumer group; more instances is how the scorer scales out).
    scorers: { type: 'string', default: '1' },
    // Event-time span of the preloaded records. Aggregate rows are per source, operation and minute, so the span sets
    // how many records share a row: a live stream at 50,000 records/s is far denser than any span here.
    minutes: { type: 'string', default: '120' },
    rate: { type: 'string', default: '10000' },
    'latency-seconds': { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
    // Writes a V8 CPU profile of each service process into this directory (open it in Chrome DevTools).
    profile: { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const PARTITIONS = Number(values.partitions);
const SCORERS = Number(values.scorers);
const RATE = Number(values.rate);
const MINUTES = Number(values.minutes);
const LATENCY_SECONDS = Number(values['latency-seconds']);
const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/cli/bin/gtwatch.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string) => process.stderr.write(`[bench:e2e] ${text}\n`);

const given = { kafka: Boolean(process.env.KAFKA_BROKERS), clickhouse: Boolean(process.env.CLICKHOUSE_URL) };
const services = given.kafka && given.clickhouse ? { env: {}, stop: async () => {} } : await startLocalServices(given);
const baseEnv = { ...(process.env as Record<string, string>), ...services.env };
const brokers = (baseEnv.KAFKA_BROKERS ?? '').split(',');
const clickhouseOptions = { url: baseEnv.CLICKHOUSE_URL ?? '', user: baseEnv.CLICKHOUSE_USER ?? 'default', password: baseEnv.CLICKHOUSE_PASSWORD ?? '' };
const logger = createLogger({ service: 'bench-e2e', level: 'warn' });
const kafka = createKafkaClient({ brokers, clientId: 'gtwatch-bench', logger });
const admin = createClickHouseClient(clickhouseOptions);
const workDir = mkdtempSync(join(tmpdir(), 'gtwatch-bench-e2e-'));
const children: ChildProcess[] = [];

function start(service: 'scorer' | 'sink', env: Record<string, string>, port: number, instance = `bench-${service}`): ChildProcess {
  const profiling = values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, `--cpu-prof-name=${service}-${port}.cpuprofile`];
  const child = spawn(process.execPath, [...profiling, CLI, 'run', service], {
    env: { ...env, PORT: String(port), GTWATCH_INSTANCE: instance, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(join(workDir, `${instance}-${env.GTWATCH_TOPIC_PREFIX}.log`));
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.push(child);
  return child;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. Throughput on two shared
 * cores depends on everything else running, CPU per record much less: it is the figure to compare changes by.
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // After "(comm) ", utime and stime are the 12th and 13th fields, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores: user, nice, system, irq, softirq, steal), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return Number.NaN;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A fresh set of topics and a fresh database; returns the environment the services run with. */
async function environment(label: string) {
  const prefix = `bench-${label}-${Date.now().toString(36)}`;
  const database = prefix.replace(/-/g, '_');
  const topics = topicNames(prefix);
  const specs = defaultTopicSpecs(topics, { signallingPartitions: PARTITIONS, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] });
  await ensureTopics(kafka, specs);
  await createDatabase(admin, database);
  const client = createClickHouseClient({ ...clickhouseOptions, database });
  await migrate(client, database);
  const env = { ...baseEnv, GTWATCH_TOPIC_PREFIX: prefix, CLICKHOUSE_DATABASE: database, GTWATCH_REFERENCE_DIR: join(workDir, 'reference') };
  const cleanup = async () => {
    await client.close();
    if (values.keep) return;
    await deleteTopics(kafka, specs.map((s) => s.topic));
    await dropDatabase(admin, database);
  };
  return { prefix, database, topics, env, client, cleanup };
}

/** One admin connection for all the polling below: connecting anew four times a second costs the broker CPU too. */
const kafkaAdmin = kafka.admin();
let adminConnection: Promise<void> | null = null;
async function connectedAdmin() {
  adminConnection ??= kafkaAdmin.connect();
  await adminConnection;
  return kafkaAdmin;
}

/** Sum over partitions of a group's committed progress: the emitted-until offset the scorer stores, else the offset. */
async function progress(groupId: string, topic: string): Promise<number> {
  try {
    const [offsets] = await (await connectedAdmin()).fetchOffsets({ groupId, topics: [topic] });
    let sum = 0;
    for (const p of offsets?.partitions ?? []) {
      const emitted = /"emittedUntil":"(\d+)"/.exec(p.metadata ?? '')?.[1];
      sum += Math.max(0, Number(emitted ?? p.offset));
    }
    return sum;
  } catch {
    return 0;
  }
}

async function endOffsets(topic: string): Promise<number> {
  return (await (await connectedAdmin()).fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

async function throughput() {
  log(`simulating ${formatNumber(RECORDS)} records …`);
  const run = simulate({ seed: 42, records: RECORDS, badRate: 0.001, durationMinutes: MINUTES });
  await writeReferenceFiles(run.world, join(workDir, 'reference'));
  const env = await environment('throughput');
  const producer = new Producer(kafka, { logger, maxRequestBytes: 900_000 });
  await producer.connect();
  log('preloading the signalling topic …');
  const preloadStart = performance.now();
  let chunk: OutgoingRecord[] = [];
  let bytes = 0;
  for (const line of run.lines) {
    chunk.push({ key: partitionKey(line), value: line });
    bytes += line.length;
    if (chunk.length === 20_000) {
      await producer.send(env.topics.signalling, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await producer.send(env.topics.signalling, chunk);
  await producer.disconnect();
  const preloadSeconds = (performance.now() - preloadStart) / 1000;
  const total = await endOffsets(env.topics.signalling);
  log(`preloaded ${formatNumber(total)} records (${formatNumber(bytes / 2 ** 20)} MiB) in ${formatNumber(preloadSeconds, 1)} s`);

  // The ceiling: a bare consumer that only fetches and counts.
  let seen = 0;
  const bareStart = performance.now();
  const bareCpuStart = process.cpuUsage();
  const bare = new BatchConsumer(kafka, { groupId: `${env.prefix}-bare`, topics: env.topics.signalling, fromBeginning: true, logger });
  await bare.start({
    eachBatch: async (batch) => {
      seen += batch.records.length;
    },
  });
  while (seen < total) await sleep(50);
  const bareSeconds = (performance.now() - bareStart) / 1000;
  const bareCpu = process.cpuUsage(bareCpuStart);
  const bareCpuSeconds = (bareCpu.user + bareCpu.system) / 1e6;
  await bare.disconnect();
  log(`bare consumer: ${formatNumber(total / bareSeconds)} records/s`);

  // The pipeline: scorer and sink as real processes.
  const pipelineStart = performance.now();
  const machineBusyStart = machineBusySeconds();
  const scorers = Array.from({ length: SCORERS }, (_, i) => start('scorer', env.env, 9480 + i, `bench-scorer-${i + 1}`));
  const sink = start('sink', env.env, 9475);
  let scored = 0;
  while (scored < total) {
    await sleep(250);
    scored = await progress(`${env.prefix}-scorer-source`, env.topics.signalling);
  }
  const scorerSeconds = (performance.now() - pipelineStart) / 1000;
  const published = async () => (await endOffsets(env.topics.aggregates)) + (await endOffsets(env.topics.alerts));
  // Transaction markers take an offset each, so "written" is the sink's committed position reaching the ends.
  let written = 0;
  let target = await published();
  while (written < target) {
    await sleep(250);
    written = (await progress(`${env.prefix}-sink`, env.topics.aggregates)) + (await progress(`${env.prefix}-sink`, env.topics.alerts));
    target = await published();
  }
  const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
  const scorerCpuSeconds = scorers.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);
  const sinkCpuSeconds = cpuSeconds(sink.pid);
  const machineCpuSeconds = machineBusySeconds() - machineBusyStart;
  await Promise.all([...scorers.map(stop), stop(sink)]);
  await env.cleanup();
  return {
    records: total,
    scorers: SCORERS,
    megabytes: bytes / 2 ** 20,
    preloadSeconds,
    bareConsumerPerSecond: total / bareSeconds,
    scorerPerSecond: total / scorerSeconds,
    pipelinePerSecond: total / pipelineSeconds,
    shareOfBare: bareSeconds / pipelineSeconds,
    pipelineSeconds,
    // Per record, whole process lifetimes (start-up included, which is well under a second of CPU).
    cpuMicrosPerRecord: {
      bareConsumer: (bareCpuSeconds * 1e6) / total,
      scorers: (scorerCpuSeconds * 1e6) / total,
      sink: (sinkCpuSeconds * 1e6) / total,
      // Everything busy while the pipeline ran: services, broker, ClickHouse, this script, and anything else running.
      machine: (machineCpuSeconds * 1e6) / total,
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

async function latency() {
  const env = await environment('latency');
  const scorer = start('scorer', env.env, 9476);
  const sink = start('sink', env.env, 9477);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = new BatchConsumer(kafka, { groupId: `${env.prefix}-regulator`, topics: env.topics.alerts, fromBeginning: true, logger, maxWaitTimeInMs: 50 });
  await reader.start({
    eachBatch: async (batch) => {
      const now = performance.now();
      for (const record of batch.records) {
        const event = JSON.parse(record.value?.toString() ?? '{}') as { subject?: string; data?: { status?: string; pattern?: string } };
        const sent = event.subject === undefined ? undefined : sentAt.get(event.subject);
        if (sent !== undefined && event.data?.status === 'open' && event.data.pattern === 'category-1') {
          latencies.push(now - sent);
          sentAt.delete(event.subject ?? '');
        }
      }
    },
  });
  // Background traffic: the simulator's records, re-stamped to the present as they are sent.
  const background = simulate({ seed: 42, records: Math.max(10_000, RATE * (LATENCY_SECONDS + 30)), badRate: 0 }).lines[Symbol.iterator]();
  const producer = new Producer(kafka, { logger });
  await producer.connect();
  // Wait until the scorer is up: its health endpoint answers ready.
  for (let ready = false; !ready; ) {
    await sleep(200);
    ready = await fetch('http://127.0.0.1:9476/readyz').then((r) => r.ok, () => false);
  }
  await sleep(3_000);
  log(`offering ${formatNumber(RATE)} records/s for ${LATENCY_SECONDS} s with a category-1 probe every 250 ms …`);
  const tickMs = 50;
  const perTick = Math.round((RATE * tickMs) / 1000);
  const startedAt = Date.now();
  let next = performance.now();
  let tick = 0;
  while (Date.now() - startedAt < LATENCY_SECONDS * 1000) {
    const records: OutgoingRecord[] = [];
    for (let i = 0; i < perTick; i++) {
      const line = background.next().value;
      if (typeof line !== 'string') break;
      const record = JSON.parse(line) as Record<string, unknown>;
      record.time = Date.now();
      const text = JSON.stringify(record);
      records.push({ key: partitionKey(text), value: text });
    }
    if (tick % 5 === 0) {
      // A foreign GT sending anyTimeInterrogation to one of the reporter's subscribers: an alert on the spot.
      const gt = `22507${String(6_000_000 + tick).padStart(7, '0')}`;
      const probe = {
        schemaVersion: 1, id: `probe-${tick}`, time: Date.now(), reporter: '234-15', protocol: 'MAP', direction: 'in',
        operation: 71, result: 'ok', callingGt: gt, calledGt: '447700900002', subscriber: 'probe-subscriber-0001', subscriberPlmn: '234-15',
      };
      sentAt.set(gt, performance.now());
      records.push({ key: gt, value: JSON.stringify(probe) });
    }
    await producer.send(env.topics.signalling, records);
    tick++;
    next += tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await sleep(5_000);
  await producer.disconnect();
  await reader.disconnect();
  await Promise.all([stop(scorer), stop(sink)]);
  await env.cleanup();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { offeredPerSecond: RATE, probes: Math.ceil(tick / 5), alertsSeen: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const loadBefore = loadavg()[0] ?? Number.NaN;

try {
  const t = await throughput();
  // --latency-seconds 0 measures throughput only (e.g. when profiling).
  const l = LATENCY_SECONDS > 0 ? await latency() : { offeredPerSecond: RATE, probes: 0, alertsSeen: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN };
  printTable(`Pipeline throughput (${formatNumber(t.records)} records preloaded, ${PARTITIONS} partitions, broker and ClickHouse on this machine)`, [
    { contender: 'bare kafkajs consumer (fetch + count)', 'records/s': Math.round(t.bareConsumerPerSecond), 'CPU µs/record': round1(t.cpuMicrosPerRecord.bareConsumer) },
    { contender: `scorer ×${SCORERS}: everything scored and published`, 'records/s': Math.round(t.scorerPerSecond), 'CPU µs/record': round1(t.cpuMicrosPerRecord.scorers) },
    {
      contender: `scorer ×${SCORERS} + sink: everything in ClickHouse`,
      'records/s': Math.round(t.pipelinePerSecond),
      'of bare': `${formatNumber(t.shareOfBare * 100)} %`,
      'CPU µs/record': round1(t.cpuMicrosPerRecord.scorers + t.cpuMicrosPerRecord.sink),
    },
  ]);
  printTable('CPU per record while the pipeline ran (µs; 2 cores give 2,000,000 µs per second)', [
    {
      scorers: round1(t.cpuMicrosPerRecord.scorers),
      sink: round1(t.cpuMicrosPerRecord.sink),
      'whole machine': round1(t.cpuMicrosPerRecord.machine),
      'load avg before': round1(loadBefore),
    },
  ]);
  printTable(`Event-to-alert latency at ${formatNumber(l.offeredPerSecond)} records/s offered`, [
    { probes: l.probes, 'alerts seen': l.alertsSeen, 'p50 ms': Math.round(l.p50Ms), 'p99 ms': Math.round(l.p99Ms), 'max ms': Math.round(l.maxMs) },
  ]);
  writeResult('e2e', {
    targets: { pipelinePerSecond: 50_000, shareOfBare: 0.5, p99Ms: 2_000 },
    conditions: { eventMinutes: MINUTES, partitions: PARTITIONS, scorers: SCORERS, loadAverageBefore: loadBefore, cores: availableParallelism() },
    throughput: t,
    latency: l,
    met: { pipelinePerSecond: t.pipelinePerSecond >= 50_000, shareOfBare: t.shareOfBare >= 0.5, p99: l.p99Ms <= 2_000 },
  });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (adminConnection !== null) await kafkaAdmin.disconnect();
  await admin.close();
  await services.stop();
}
