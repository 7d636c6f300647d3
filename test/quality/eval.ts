// npm run eval — detection quality on the simulator's labelled scenarios: per-pattern recall and precision, and
// false positives on benign traffic, across several seeds and volumes. Exits 1 when a target is missed.
import { parseArgs } from 'node:util';
import { PATTERN_IDS } from '@gtwatch/schema';
import { formatNumber, printTable, type Row, writeResult } from '../../bench/report.js';
import { scoreSimulation } from './score-simulation.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    volumes: { type: 'string', default: '50000,250000,1000000' },
  },
});
const seeds = String(values.seeds).split(',').map(Number);
const volumes = String(values.volumes).split(',').map(Number);

const totals = new Map<string, { expected: number; found: number; alerts: number; tp: number; fp: number; unlabelled: number }>();
for (const pattern of PATTERN_IDS) totals.set(pattern, { expected: 0, found: 0, alerts: 0, tp: 0, fp: 0, unlabelled: 0 });
const scenarios: Row[] = [];
const problems: string[] = [];

for (const records of volumes) {
  for (const seed of seeds) {
    const result = scoreSimulation({ seed, records, badRate: 0.001 });
    const { quality } = result;
    for (const p of quality.patterns) {
      const t = totals.get(p.pattern);
      if (!t) continue;
      t.expected += p.expected;
      t.found += p.found;
      t.alerts += p.alerts;
      t.tp += p.truePositives;
      t.fp += p.falsePositives;
      t.unlabelled += p.unlabelled;
    }
    const missed = quality.missed.length;
    const fp = quality.falsePositives.length;
    scenarios.push({
      seed,
      records: result.records,
      campaigns: result.labels.campaigns.length,
      missed,
      'false positives': fp,
      unlabelled: quality.unlabelled.length,
      'dead-letter mismatches': quality.deadLetterMismatches.length,
      'records/s': Math.round(result.records / result.seconds),
    });
    for (const m of quality.missed) problems.push(`seed ${seed}, ${records} records: missed ${m.pattern} on ${m.entity} (${m.campaign})`);
    for (const f of quality.falsePositives) problems.push(`seed ${seed}, ${records} records: false positive ${f.pattern} on ${f.entity}`);
    for (const d of quality.deadLetterMismatches) {
      problems.push(`seed ${seed}, ${records} records: dead letters ${d.reason} expected ${d.expected}, got ${d.actual}`);
    }
  }
}

const patternRows: Row[] = PATTERN_IDS.map((pattern) => {
  const t = totals.get(pattern) ?? { expected: 0, found: 0, alerts: 0, tp: 0, fp: 0, unlabelled: 0 };
  return {
    pattern,
    campaigns: t.expected,
    found: t.found,
    recall: t.expected === 0 ? '—' : formatNumber(t.found / t.expected, 3),
    alerts: t.alerts,
    'true pos.': t.tp,
    'false pos. (benign)': t.fp,
    'other pattern on attacker': t.unlabelled,
    precision: t.alerts === 0 ? '—' : formatNumber(t.tp / t.alerts, 3),
  };
});
printTable('per pattern, all scenarios (targets: recall 1.000, zero false positives on benign traffic)', patternRows);
printTable('scenarios', scenarios);
if (problems.length > 0) process.stdout.write(`\n${problems.join('\n')}\n`);
writeResult('eval', { seeds, volumes, patterns: patternRows, scenarios, problems });
process.exitCode = problems.length === 0 ? 0 : 1;
