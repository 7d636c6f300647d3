import { parseSummary, type SignallingSummary } from '@gtwatch/schema';
import { type Labels, type SimulateOptions, simulate, type World } from '../src/index.js';

export interface Run {
  lines: string[];
  labels: Labels;
  world: World;
}

/** Runs a simulation to the end and keeps every line (test volumes only). */
export function run(options: SimulateOptions): Run {
  const sim = simulate(options);
  const lines = [...sim.lines];
  return { lines, labels: sim.labels(), world: sim.world };
}

/** A processor clock comfortably after the run, so that no good record is "from the future". */
export function nowAfter(labels: Labels): number {
  return Date.parse(labels.end) + 2 * 3_600_000;
}

export interface Parsed {
  good: SignallingSummary[];
  rejected: Map<string, number>;
}

export function parseAll(r: Run): Parsed {
  const nowMs = nowAfter(r.labels);
  const good: SignallingSummary[] = [];
  const rejected = new Map<string, number>();
  for (const line of r.lines) {
    const result = parseSummary(line, { nowMs });
    if (result.ok) good.push(result.record);
    else rejected.set(result.rejection.reason, (rejected.get(result.rejection.reason) ?? 0) + 1);
  }
  return { good, rejected };
}

export function entityOf(rec: SignallingSummary): string {
  return rec.protocol === 'DIAMETER' ? rec.originRealm : rec.callingGt;
}

/** Memoised runs shared by test files of one worker. */
const cache = new Map<string, { run: Run; parsed: Parsed }>();

export function cachedRun(options: SimulateOptions): {
  run: Run;
  parsed: Parsed;
} {
  const key = JSON.stringify(options);
  let value = cache.get(key);
  if (value === undefined) {
    const r = run(options);
    value = { run: r, parsed: parseAll(r) };
    cache.set(key, value);
  }
  return value;
}
