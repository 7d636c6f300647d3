// Parse throughput on one core: JSON.parse alone against parseSummary, on typical valid records.
// Run with `npm run bench` (it builds first; this script reads dist/). Numbers vary with machine load, so each
// case reports the best of several rounds.
import { Buffer } from 'node:buffer';
import { tsImport } from 'tsx/esm/api';
import { parseSummary, SignallingSummarySchema } from '../dist/index.js';

const RECORDS = 200_000;
const ROUNDS = 9;
// The records the unit tests use (test/fixtures.ts), loaded through tsx because this script runs under plain node:
// the contract's example (MAP anyTimeInterrogation, 16 fields) and a Diameter S6a ULR with epoch-millisecond time,
// without the fixture's `count` so that it stays a typical 15-field record.
const fixtures = await tsImport('../test/fixtures.ts', import.meta.url);
const mapRecord = fixtures.mapRecord();
const diameterRecord = fixtures.without(fixtures.diameterRecord(), 'count');
const NOW_MS = fixtures.NOW_MS;

function texts(record) {
  return Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ ...record, id: `r1-${i}` }));
}

function timeOnce(inputs, run) {
  const start = process.hrtime.bigint();
  for (const input of inputs) run(input);
  return inputs.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

// Rounds interleave the cases, so that a burst of load from elsewhere on the machine hits all of them alike.
function measureAll(cases) {
  const best = cases.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach(([, inputs, run], i) => {
      best[i] = Math.max(best[i], timeOnce(inputs, run));
    });
  }
  return cases.map(([name], i) => ({ name, recordsPerSecond: Math.round(best[i]) }));
}

function check(result) {
  if (!result.ok) throw new Error(`benchmark record rejected: ${result.rejection.message}`);
}

for (const [shape, record] of [
  ['MAP (contract example)', mapRecord],
  ['DIAMETER ULR', diameterRecord],
]) {
  const strings = texts(record);
  const buffers = strings.map((text) => Buffer.from(text, 'utf8'));
  const results = measureAll([
    ['JSON.parse alone', strings, (text) => JSON.parse(text)],
    ['JSON.parse + zod safeParse', strings, (text) => SignallingSummarySchema.safeParse(JSON.parse(text))],
    ['parseSummary(string)', strings, (text) => check(parseSummary(text, { nowMs: NOW_MS }))],
    ['parseSummary(Buffer)', buffers, (bytes) => check(parseSummary(bytes, { nowMs: NOW_MS }))],
  ]);
  const baseline = results[0].recordsPerSecond;
  console.log(`\n${shape}, ${Buffer.byteLength(strings[0])} bytes, ${RECORDS} records, best of ${ROUNDS}`);
  for (const { name, recordsPerSecond } of results) {
    const share = Math.round((recordsPerSecond / baseline) * 100);
    console.log(`  ${name.padEnd(42)} ${String(recordsPerSecond).padStart(9)} records/s  ${String(share).padStart(3)} %`);
  }
}
