// npm run bench:core — parse + validate + enrich + score in one process, beside the JSON.parse ceiling on the same
// bytes, and the memory held by detection state for 100,000 active sources and 1,000,000 subscribers.
// Run with --expose-gc (the npm script does) so heap figures are measured after a full collection.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import { createNumbering, loadReferenceDataFromStrings, type Numbering } from '@gtwatch/numbering';
import { parseSummary } from '@gtwatch/schema';
import { referenceFiles, simulate } from '@gtwatch/simulator';
import { formatNumber, printTable, type Row, writeResult } from './report.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '7' },
    rounds: { type: 'string', default: '5' },
    sources: { type: 'string', default: '100000' },
    subscribers: { type: 'string', default: '1000000' },
  },
});
const RECORDS = Number(values.records);
const ROUNDS = Number(values.rounds);

const gc = (globalThis as { gc?: () => void }).gc;
function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

interface Dataset {
  bytes: Buffer;
  offsets: Float64Array;
  count: number;
  numbering: Numbering;
  nowMs: number;
}

/** The simulator's NDJSON held as one buffer plus line offsets: compact, and the same bytes for every contender. */
function generate(records: number, seed: number): Dataset {
  const run = simulate({ seed, records, badRate: 0.001 });
  const parts: Buffer[] = [];
  const offsets: number[] = [0];
  let size = 0;
  for (const line of run.lines) {
    const buffer = Buffer.from(line, 'utf8');
    parts.push(buffer);
    size += buffer.length;
    offsets.push(size);
  }
  const labels = run.labels();
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(run.world)));
  return {
    bytes: Buffer.concat(parts, size),
    offsets: Float64Array.from(offsets),
    count: offsets.length - 1,
    numbering,
    nowMs: Date.parse(labels.end) + 3_600_000,
  };
}

function timeJsonParse(data: Dataset): number {
  const started = performance.now();
  let keep = 0;
  for (let i = 0; i < data.count; i++) {
    try {
      const value = JSON.parse(data.bytes.toString('utf8', data.offsets[i], data.offsets[i + 1])) as { id?: string };
      if (value?.id) keep++;
    } catch {
      // bad records are part of the same bytes
    }
  }
  if (keep < 0) throw new Error('unreachable');
  return (performance.now() - started) / 1000;
}

/** Parse + validate alone (the scorer's first step, without enrichment and detection): where the budget goes. */
function timeParseAndValidate(data: Dataset): number {
  const started = performance.now();
  let accepted = 0;
  for (let i = 0; i < data.count; i++) {
    if (parseSummary(data.bytes.subarray(data.offsets[i], data.offsets[i + 1]), { nowMs: data.nowMs }).ok) accepted++;
  }
  if (accepted < 0) throw new Error('unreachable');
  return (performance.now() - started) / 1000;
}

function timePipeline(data: Dataset): { seconds: number; alerts: number; rejected: number } {
  const detector = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering: data.numbering, emitter: { service: 'bench', instance: 'core' } });
  const scorer = new RecordScorer(detector);
  const source = () => ({ kind: 'file' as const, file: 'bench', line: 0 });
  let alerts = 0;
  const started = performance.now();
  for (let i = 0; i < data.count; i++) {
    alerts += scorer.score(data.bytes.subarray(data.offsets[i], data.offsets[i + 1]), source, data.nowMs).events.length;
  }
  alerts += scorer.flush().length;
  const seconds = (performance.now() - started) / 1000;
  const rejected = Object.values(scorer.counters.rejected).reduce((a, b) => a + (b ?? 0), 0);
  return { seconds, alerts, rejected };
}

/**
 * Detection state for many sources and subscribers: location updates from `sources` GTs for `subscribers` pseudonyms,
 * as JSON bytes through the same parse path as live records, so the strings held are the ones production holds.
 */
function measureState(numbering: Numbering, sources: number, subscribers: number): Row {
  const detector = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering, emitter: { service: 'bench', instance: 'state' } });
  const scorer = new RecordScorer(detector);
  const source = () => ({ kind: 'file' as const, file: 'state', line: 0 });
  const before = heapMiB();
  const start = Date.UTC(2026, 10, 1);
  // Spread over 20 minutes so every source is active within the windows and no state is evicted as idle.
  const spanMs = 20 * 60_000;
  const nowMs = start + spanMs + 3_600_000;
  for (let i = 0; i < subscribers; i++) {
    const time = start + Math.floor((i * spanMs) / subscribers);
    const callingGt = `49155${String(i % sources).padStart(7, '0')}`;
    const subscriber = `hs256.k1.imsi.${i.toString(16).padStart(32, '0')}`;
    const line =
      `{"schemaVersion":1,"id":"s${i}","time":${time},"reporter":"234-15","protocol":"MAP","direction":"in",` +
      `"operation":2,"result":"ok","callingGt":"${callingGt}","calledGt":"447700900001",` +
      `"subscriber":"${subscriber}","subscriberPlmn":"234-15"}`;
    if (scorer.score(Buffer.from(line, 'latin1'), source, nowMs).record === null) throw new Error(`state record ${i} was rejected`);
  }
  const after = heapMiB();
  const stats = detector.stats;
  return {
    scenario: 'state',
    'sources sent': sources,
    'sources held': stats.entities,
    'subscribers sent': subscribers,
    'subscribers held': stats.subscribers,
    // Location updates of the last minute wait for the watermark in the velocity stage's reorder window.
    'awaiting reorder': stats.pendingLocationUpdates,
    'heap MiB': Math.round(after - before),
    'target MiB': 1024,
  };
}

const seed = Number(values.seed);
process.stdout.write(`generating ${formatNumber(RECORDS)} records (seed ${seed})…\n`);
const data = generate(RECORDS, seed);
process.stdout.write(`${formatNumber(data.count)} lines, ${formatNumber(data.bytes.length / 2 ** 20, 1)} MiB\n`);

let parseBest = Number.POSITIVE_INFINITY;
let validateBest = Number.POSITIVE_INFINITY;
let pipelineBest = Number.POSITIVE_INFINITY;
let last = { seconds: 0, alerts: 0, rejected: 0 };
for (let round = 0; round < ROUNDS; round++) {
  parseBest = Math.min(parseBest, timeJsonParse(data));
  validateBest = Math.min(validateBest, timeParseAndValidate(data));
  last = timePipeline(data);
  pipelineBest = Math.min(pipelineBest, last.seconds);
}
const parseRate = data.count / parseBest;
const validateRate = data.count / validateBest;
const pipelineRate = data.count / pipelineBest;
const microseconds = (rate: number) => Math.round(1e7 / rate) / 10;
const throughput: Row[] = [
  { contender: 'JSON.parse alone (ceiling)', 'records/s': Math.round(parseRate), 'µs/record': microseconds(parseRate), 'share of ceiling %': 100 },
  {
    contender: 'parse+validate alone (no detection)',
    'records/s': Math.round(validateRate),
    'µs/record': microseconds(validateRate),
    'share of ceiling %': Math.round((validateRate / parseRate) * 100),
  },
  {
    contender: 'parse+validate+enrich+score',
    'records/s': Math.round(pipelineRate),
    'µs/record': microseconds(pipelineRate),
    'share of ceiling %': Math.round((pipelineRate / parseRate) * 100),
  },
];
printTable(`throughput on one core, best of ${ROUNDS} (targets: ≥ 200,000 records/s and ≥ 40 % of the ceiling)`, throughput);
process.stdout.write(`alert events ${formatNumber(last.alerts)}, rejected ${formatNumber(last.rejected)}\n`);
// The machine is shared: the load average says how much the figures above were disturbed.
const load = loadavg().map((value) => Math.round(value * 100) / 100);
process.stdout.write(`load average ${load.join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores\n`);

const state = measureState(data.numbering, Number(values.sources), Number(values.subscribers));
printTable('detection state (target: within 1 GiB)', [state]);

writeResult('core', {
  records: data.count,
  megabytes: Math.round(data.bytes.length / 2 ** 20),
  rounds: ROUNDS,
  jsonParseRecordsPerSecond: Math.round(parseRate),
  parseAndValidateRecordsPerSecond: Math.round(validateRate),
  pipelineRecordsPerSecond: Math.round(pipelineRate),
  shareOfCeilingPercent: Math.round((pipelineRate / parseRate) * 100),
  alertEvents: last.alerts,
  rejected: last.rejected,
  loadAverage: load,
  state,
  gcExposed: gc !== undefined,
});
