import { REJECT_REASONS } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { BAD_REASONS } from '../src/index.js';
import { cachedRun } from './support.js';

describe('records follow signalling-summary-v1', () => {
  it('every good line passes parseSummary', () => {
    const { run, parsed } = cachedRun({ seed: 11, records: 30_000 });
    expect(run.lines).toHaveLength(30_000);
    expect(run.labels.badRecords).toBe(0);
    expect(parsed.rejected.size).toBe(0);
    expect(parsed.good).toHaveLength(30_000);
  });

  it('bad lines are rejected with exactly the labelled reasons and counts', () => {
    const { run, parsed } = cachedRun({
      seed: 12,
      records: 20_000,
      badRate: 0.02,
    });
    expect(run.lines).toHaveLength(20_000);
    expect(run.labels.badRecords).toBe(400);
    const labelled = Object.entries(run.labels.bad).sort();
    expect(labelled.reduce((sum, [, n]) => sum + n, 0)).toBe(400);
    expect([...parsed.rejected.entries()].sort()).toEqual(labelled);
    expect(parsed.good).toHaveLength(19_600);
    // Every reason a line can carry except invalid-utf8 (not representable in a text line) and reporter-mismatch
    // (which depends on the operator topic a record arrives on, not on the line).
    expect(new Set(Object.keys(run.labels.bad))).toEqual(new Set(BAD_REASONS));
    expect(REJECT_REASONS.filter((reason) => !(BAD_REASONS as readonly string[]).includes(reason))).toEqual([
      'invalid-utf8',
      'reporter-mismatch',
    ]);
  });

  it('emits printable ASCII only (the CLI encodes lines as latin1)', () => {
    const { run } = cachedRun({ seed: 12, records: 20_000, badRate: 0.02 });
    for (const line of run.lines) expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
  });

  it('includes a line over 16 KiB, a nested imsi and times in 2999 and before 2000', () => {
    const { run } = cachedRun({ seed: 12, records: 20_000, badRate: 0.02 });
    expect(run.lines.some((line) => Buffer.byteLength(line) > 16_384)).toBe(true);
    expect(run.lines.some((line) => /"extensions":\{"sim":\{"IMSI":"\d{15}"/.test(line))).toBe(true);
    expect(run.lines.some((line) => line.includes('"time":"2999-'))).toBe(true);
    expect(run.lines.some((line) => line.includes('"time":"1999-'))).toBe(true);
  });

  it('uses optional fields and both time encodings realistically', () => {
    const { run, parsed } = cachedRun({ seed: 11, records: 30_000 });
    const share = (predicate: (line: string) => boolean): number =>
      run.lines.filter(predicate).length / run.lines.length;
    expect(share((l) => /"time":\d+/.test(l))).toBeGreaterThan(0.2);
    expect(share((l) => /"time":"[^"]+Z"/.test(l))).toBeGreaterThan(0.1);
    expect(share((l) => /"time":"[^"]+[+-]\d\d:\d\d"/.test(l))).toBeGreaterThan(0.1);
    const good = parsed.good;
    const count = (p: (r: (typeof good)[number]) => boolean): number => good.filter(p).length;
    expect(count((r) => r.subscriber !== undefined)).toBe(good.length);
    expect(count((r) => r.subscriber?.startsWith('hs256.k1.') === true)).toBe(good.length);
    expect(count((r) => r.count > 1) / good.length).toBeLessThan(0.01);
    expect(count((r) => r.count > 1)).toBeGreaterThan(0);
    expect(count((r) => r.result === 'error' && r.errorCode === undefined)).toBe(0);
    expect(count((r) => r.result !== 'error' && r.errorCode !== undefined)).toBe(0);
    expect(count((r) => r.protocol === 'CAP')).toBeGreaterThan(0);
    expect(count((r) => r.direction === 'out') / good.length).toBeGreaterThan(0.2);
    expect(count((r) => r.locationReturned === true)).toBeGreaterThan(0);
    expect(count((r) => r.vlrGt !== undefined)).toBeGreaterThan(0);
    expect(count((r) => r.scAddress !== undefined)).toBeGreaterThan(0);
    expect(count((r) => r.firewall !== undefined)).toBeGreaterThan(0);
    expect(count((r) => r.protocol !== 'DIAMETER' && (r.callingSsn === undefined || r.calledSsn === undefined))).toBe(
      0,
    );
    const errors = count((r) => r.result === 'error') / good.length;
    expect(errors).toBeGreaterThan(0.01);
    expect(errors).toBeLessThan(0.06);
  });
});
