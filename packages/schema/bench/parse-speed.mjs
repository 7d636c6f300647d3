// Parse throughput on one core: JSON.parse alone against parseSummary, on typical valid records.
// Run with `npm run bench` (it builds first; this script reads dist/). Numbers vary with machine load, so each
// case reports the best of several rounds.
import { Buffer } from 'node:buffer';
import { parseSummary, SignallingSummarySchema } from '../dist/index.js';

const RECORDS = 200_000;
const ROUNDS = 9;
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);

// The contract's example record (MAP anyTimeInterrogation, 16 fields, ~390 bytes).
const mapRecord = {
  schemaVersion: 1,
  id: 'r1-000042',
  time: '2026-11-30T10:15:02.120Z',
  reporter: '234-15',
  protocol: 'MAP',
  direction: 'in',
  operation: 71,
  result: 'ok',
  callingGt: '2250760000123',
  calledGt: '447700900001',
  callingSsn: 147,
  calledSsn: 6,
  ingress: 'ipx-carrier-a',
  subscriber: 'hs256.k1.imsi.8c1f0a6b9e2d4c3b',
  subscriberPlmn: '234-15',
  locationReturned: true,
};

// A Diameter S6a ULR with epoch-millisecond time (15 fields, ~450 bytes).
const diameterRecord = {
  schemaVersion: 1,
  id: 'r1-d-000007',
  time: 1_796_033_702_120,
  reporter: '262-01',
  protocol: 'DIAMETER',
  direction: 'in',
  operation: 316,
  result: 'ok',
  application: 16_777_251,
  originRealm: 'epc.mnc015.mcc234.3gppnetwork.org',
  originHost: 'mme01.epc.mnc015.mcc234.3gppnetwork.org',
  destinationRealm: 'epc.mnc001.mcc262.3gppnetwork.org',
  visitedPlmn: '234-15',
  subscriber: 'hs256.k1.imsi.0f1e2d3c4b5a6978',
  subscriberPlmn: '262-01',
};

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
