import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generate, MIN_DURATION_MINUTES, simulate } from '../src/index.js';
import { cachedRun, entityOf } from './support.js';

function digest(lines: Iterable<string>): { count: number; sha: string } {
  const hash = createHash('sha256');
  let count = 0;
  for (const line of lines) {
    hash.update(line);
    hash.update('\n');
    count++;
  }
  return { count, sha: hash.digest('hex') };
}

function timeOf(line: string): number {
  const match = /"time":(\d+|"[^"]+")/.exec(line);
  if (match === null) throw new Error(`no time in ${line}`);
  const value = match[1] as string;
  return value.startsWith('"') ? Date.parse(value.slice(1, -1)) : Number(value);
}

describe('generate', () => {
  it('is deterministic: same options, same bytes; another seed, other bytes', () => {
    const options = {
      seed: 5,
      records: 12_000,
      badRate: 0.01,
      disorderMs: 2000,
    };
    const a = digest(generate(options));
    const b = digest(generate(options));
    const c = digest(generate({ ...options, seed: 6 }));
    const d = digest(generate({ ...options, seed: '5' }));
    expect(a.count).toBe(12_000);
    expect(b).toEqual(a);
    expect(c.sha).not.toBe(a.sha);
    expect(d.sha).not.toBe(a.sha);
  });

  it('labels are deterministic too', () => {
    const run = (): unknown => {
      const sim = simulate({ seed: 9, records: 8000, badRate: 0.005 });
      for (const _ of sim.lines);
      return sim.labels();
    };
    expect(run()).toEqual(run());
  });

  it('emits exactly the requested number of lines', () => {
    for (const records of [6000, 6001, 9999]) expect(digest(generate({ seed: 1, records })).count).toBe(records);
  });

  it('emits lines in non-decreasing time order when disorderMs is 0', () => {
    const { run } = cachedRun({ seed: 11, records: 30_000 });
    let previous = Number.NEGATIVE_INFINITY;
    let decreasing = 0;
    for (const line of run.lines) {
      const t = timeOf(line);
      if (t < previous) decreasing++;
      previous = Math.max(previous, t);
    }
    expect(decreasing).toBe(0);
    expect(timeOf(run.lines[0] as string)).toBeGreaterThanOrEqual(Date.parse(run.labels.start));
    expect(timeOf(run.lines.at(-1) as string)).toBeLessThan(Date.parse(run.labels.end) + 10_000);
  });

  it('keeps disorder within disorderMs', () => {
    const disorderMs = 5000;
    let latest = Number.NEGATIVE_INFINITY;
    let late = 0;
    for (const line of generate({ seed: 3, records: 10_000, disorderMs })) {
      const t = timeOf(line);
      expect(latest - t).toBeLessThanOrEqual(disorderMs);
      if (t < latest) late++;
      latest = Math.max(latest, t);
    }
    expect(late).toBeGreaterThan(1000);
  });

  it('spreads benign traffic over the whole run', () => {
    const { run } = cachedRun({ seed: 11, records: 30_000 });
    const start = Date.parse(run.labels.start);
    const perHour = [0, 0, 0, 0];
    for (const line of run.lines) {
      const hour = Math.floor((timeOf(line) - start) / 3_600_000);
      perHour[Math.min(hour, 3)] = (perHour[Math.min(hour, 3)] ?? 0) + 1;
    }
    for (const n of perHour) expect(n).toBeGreaterThan(5000);
  });

  it('honours start and duration', () => {
    const sim = simulate({
      seed: 2,
      records: 8000,
      start: '2027-03-01T12:00:00+02:00',
      durationMinutes: 180,
    });
    const lines = [...sim.lines];
    const labels = sim.labels();
    expect(labels.start).toBe('2027-03-01T10:00:00.000Z');
    expect(labels.end).toBe('2027-03-01T13:00:00.000Z');
    for (const c of labels.campaigns) {
      expect(Date.parse(c.start)).toBeGreaterThanOrEqual(Date.parse(labels.start));
      expect(Date.parse(c.end)).toBeLessThan(Date.parse(labels.end));
    }
    expect(lines).toHaveLength(8000);
  });

  it('keeps campaigns independent of the volume', () => {
    const small = simulate({ seed: 4, records: 8000 });
    const large = simulate({ seed: 4, records: 40_000 });
    const collect = (sim: ReturnType<typeof simulate>): Map<string, string[]> => {
      const entities = new Set(sim.labels().campaigns.map((c) => c.entity));
      const byEntity = new Map<string, string[]>();
      for (const line of sim.lines) {
        const record = JSON.parse(line) as {
          protocol: string;
          callingGt?: string;
          originRealm?: string;
        };
        const entity = (record.protocol === 'DIAMETER' ? record.originRealm : record.callingGt) ?? '';
        if (!entities.has(entity)) continue;
        // Ids depend on the interleaving with benign traffic; everything else must match.
        const list = byEntity.get(entity) ?? [];
        list.push(line.replace(/"id":"[^"]+"/, ''));
        byEntity.set(entity, list);
      }
      return byEntity;
    };
    expect(collect(large)).toEqual(collect(small));
  });

  it('rejects unusable options', () => {
    expect(() => simulate({ records: 0 })).toThrow(RangeError);
    expect(() => simulate({ records: 100 })).toThrow(/records must be at least/);
    expect(() => simulate({ records: 10_000, durationMinutes: MIN_DURATION_MINUTES - 1 })).toThrow(RangeError);
    expect(() => simulate({ records: 10_000, start: 'yesterday' })).toThrow(RangeError);
    expect(() => simulate({ records: 10_000, start: '2026-11-01T00:00:00' })).toThrow(/offset/);
    expect(() => simulate({ records: 10_000, badRate: 1.5 })).toThrow(RangeError);
    expect(() => simulate({ records: 10_000, disorderMs: -1 })).toThrow(RangeError);
    const sim = simulate({ records: 10_000 });
    for (const _ of sim.lines);
    expect(() => [...sim.lines]).toThrow(/only once/);
  });

  it('every source entity has one kind (GT for MAP/CAP, realm for Diameter)', () => {
    const { parsed } = cachedRun({ seed: 11, records: 30_000 });
    for (const rec of parsed.good) {
      if (rec.protocol === 'DIAMETER') expect(entityOf(rec)).toMatch(/^[a-z0-9.-]+$/);
      else expect(entityOf(rec)).toMatch(/^\d{1,15}$/);
    }
  });
});
