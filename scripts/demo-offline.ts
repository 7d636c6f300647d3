// npm run demo:offline: simulate a labelled day of signalling from five
// reporting operators with attack campaigns, score it with `gtwatch score`, and show what was found.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '@gtwatch/cli';
import { type Alert, AlertSchema } from '@gtwatch/schema';
import type { Labels } from '@gtwatch/simulator';
import { evaluate } from '../test/quality/evaluate.js';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, '.local', 'demo');
const RECORDS = Number(process.env.DEMO_RECORDS ?? 500_000);
mkdirSync(DIR, { recursive: true });

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: ROOT };
const file = (name: string) => join(DIR, name);

async function gtwatch(args: string[]): Promise<void> {
  process.stderr.write(`\n$ gtwatch ${args.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}\n`);
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`gtwatch ${args[0]} exited with ${code}`);
}

await gtwatch([
  'simulate', '--records', String(RECORDS), '--seed', '2025', '--bad-rate', '0.001',
  '--output', file('signalling.ndjson'), '--labels', file('labels.json'), '--reference-out', file('reference'),
]);
await gtwatch([
  'score', '--input', file('signalling.ndjson'), '--output', file('alerts.ndjson'),
  '--dlq', file('dead-letters.ndjson'), '--reference', file('reference'),
]);

const alerts: Alert[] = readFileSync(file('alerts.ndjson'), 'utf8').split('\n').filter(Boolean).map((line) => AlertSchema.parse(JSON.parse(line)));
const labels = JSON.parse(readFileSync(file('labels.json'), 'utf8')) as Labels;
const deadLetters: Record<string, number> = {};
for (const line of readFileSync(file('dead-letters.ndjson'), 'utf8').split('\n').filter(Boolean)) {
  const code = (JSON.parse(line) as { reason: { code: string } }).reason.code;
  deadLetters[code] = (deadLetters[code] ?? 0) + 1;
}

process.stdout.write('\nOne alert per pattern, as a regulator would read it:\n');
const seen = new Set<string>();
for (const alert of alerts) {
  if (alert.data.status !== 'open' || seen.has(alert.data.pattern)) continue;
  seen.add(alert.data.pattern);
  const { pattern, severity, score, jurisdictions } = alert.data;
  process.stdout.write(`\n  [${severity.toUpperCase()} ${score}] ${pattern} → ${jurisdictions.join(', ') || 'no configured jurisdiction'}\n  ${alert.data.explanation}\n`);
}

const quality = evaluate(alerts, labels, deadLetters);
process.stdout.write('\nAgainst the simulator’s ground truth:\n\n  pattern            campaigns  found  false positives\n');
for (const p of quality.patterns) {
  process.stdout.write(`  ${p.pattern.padEnd(18)} ${String(p.expected).padStart(9)}  ${String(p.found).padStart(5)}  ${String(p.falsePositives).padStart(15)}\n`);
}
process.stdout.write(
  `\n  ${labels.benignEntities.length} benign sources, ${labels.nearMisses.length} near misses just below thresholds: ` +
    `${quality.falsePositives.length} false positives. Dead letters by reason match the injected bad records: ` +
    `${quality.deadLetterMismatches.length === 0 ? 'yes' : 'NO'}.\n`,
);
process.stdout.write(`\nFiles: ${DIR.replace(`${ROOT}/`, '')}/ (signalling.ndjson, alerts.ndjson, dead-letters.ndjson, labels.json, reference/)\n`);
process.exitCode = quality.missed.length === 0 && quality.falsePositives.length === 0 ? 0 : 1;
