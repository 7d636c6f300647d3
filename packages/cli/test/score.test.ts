import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_REFERENCE_DIR } from '@gtwatch/numbering';
import { AlertSchema, DeadLetterSchema, TrafficAggregateSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { captureIo } from './helpers.js';

const HOUR = 3_600_000;
const base = Date.now() - 2 * HOUR;

function record(i: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: 1,
    id: `r-${i}`,
    time: new Date(base + i * 1000).toISOString(),
    reporter: '234-91',
    protocol: 'MAP',
    direction: 'in',
    operation: 71,
    result: 'ok',
    callingGt: '2250755512',
    calledGt: '447700900001',
    subscriber: `hs256.k1.imsi.${i.toString(16).padStart(32, '0')}`,
    subscriberPlmn: '234-91',
    ...overrides,
  });
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'gtwatch-score-'));
}

function readNdjson(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('gtwatch score', () => {
  it('writes alerts, dead-letters bad lines with reasons and line numbers, and keeps going', async () => {
    const dir = workspace();
    const input = join(dir, 'in.ndjson');
    writeFileSync(
      input,
      [
        record(1),
        '{"broken": ',
        record(2, { subscriber: '234150123456789' }),
        record(3, { time: '2999-01-01T00:00:00Z' }),
        '',
        record(4, { direction: 'out' }),
        record(5),
      ].join('\r\n'),
    );
    const io = captureIo();
    const code = await runCli(
      ['score', '--input', input, '--output', join(dir, 'alerts.ndjson'), '--dlq', join(dir, 'dlq.ndjson'), '--reference', EXAMPLE_REFERENCE_DIR],
      io,
    );
    expect(code).toBe(0);
    const alerts = readNdjson(join(dir, 'alerts.ndjson')).map((a) => AlertSchema.parse(a));
    expect(alerts.map((a) => [a.data.pattern, a.data.status])).toEqual([['category-1', 'open'], ['category-1', 'update']]);
    expect(alerts[1]?.data.count).toBe(2);
    const dead = readNdjson(join(dir, 'dlq.ndjson')).map((d) => DeadLetterSchema.parse(d));
    expect(dead.map((d) => [d.reason.code, d.source.kind === 'file' ? d.source.line : -1])).toEqual([
      ['invalid-json', 2],
      ['subscriber-not-pseudonymous', 3],
      ['time-out-of-range', 4],
    ]);
    expect(dead[1]?.original).toContain('"23415**********"');
    expect(io.err()).toContain('records     6 (3 accepted, 0 late)');
    expect(io.err()).toContain('rejected    invalid-json 1, subscriber-not-pseudonymous 1, time-out-of-range 1');
    expect(io.err()).toContain('alerts      category-1 1');
  });

  it('writes per-minute traffic aggregates when asked', async () => {
    const dir = workspace();
    const io = captureIo(`${[record(1), record(2), record(90)].join('\n')}\n`);
    const aggregates = join(dir, 'aggregates.ndjson');
    const args = ['score', '--input', '-', '--output', join(dir, 'a'), '--dlq', join(dir, 'd'), '--reference', EXAMPLE_REFERENCE_DIR];
    expect(await runCli([...args, '--aggregates', aggregates], io)).toBe(0);
    const rows = readNdjson(aggregates).map((row) => TrafficAggregateSchema.parse(row));
    expect(rows.reduce((sum, row) => sum + row.transactions, 0)).toBe(3);
    expect(rows.every((row) => row.entity === '2250755512' && row.operation === 71)).toBe(true);
    expect(await runCli([...args.slice(0, 3), '-', '--dlq', '-', '--reference', EXAMPLE_REFERENCE_DIR], captureIo())).toBe(2);
  });

  it('reads standard input and writes alerts to standard output', async () => {
    const dir = workspace();
    const io = captureIo(`${record(1)}\n`);
    const code = await runCli(['score', '--input', '-', '--output', '-', '--dlq', join(dir, 'dlq'), '--reference', EXAMPLE_REFERENCE_DIR], io);
    expect(code).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(AlertSchema.parse(JSON.parse(lines[0] ?? '')).data.pattern).toBe('category-1');
  });

  it('refuses unusable arguments with exit 2', async () => {
    const io = captureIo();
    expect(await runCli(['score', '--input', 'x'], io)).toBe(2);
    expect(io.err()).toContain('--output is required');
    const unknown = captureIo();
    expect(await runCli(['score', '--bogus'], unknown)).toBe(2);
  });

  it('stops with exit 1 naming file, line and field when reference data is malformed', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'gt-ranges.csv'), 'prefix,plmn,operator,country,leased\n4477,234-15,A,,false\n4478,2341,B,,false\n');
    const io = captureIo(`${record(1)}\n`);
    const code = await runCli(['score', '--input', '-', '--output', '-', '--dlq', join(dir, 'dlq'), '--reference', dir], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/gt-ranges\.csv line 3, field "plmn"/);
    expect(io.out()).toBe('');
  });

  it('applies a configuration file and names file, line and field when it is wrong', async () => {
    const dir = workspace();
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ alerts: { defaultTlp: 'red' } }));
    const io = captureIo(`${record(1)}\n`);
    expect(await runCli(['score', '--input', '-', '--output', '-', '--dlq', join(dir, 'd'), '--reference', EXAMPLE_REFERENCE_DIR, '--config', good], io)).toBe(0);
    expect(JSON.parse(io.out()).tlp).toBe('red');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "scanning": {\n    "minTransactions": -5\n  }\n}\n');
    const failing = captureIo('');
    expect(await runCli(['score', '--input', '-', '--output', '-', '--dlq', join(dir, 'd'), '--reference', EXAMPLE_REFERENCE_DIR, '--config', bad], failing)).toBe(1);
    expect(failing.err()).toContain(`${bad} line 3, field "scanning.minTransactions"`);

    const typo = join(dir, 'typo.json');
    writeFileSync(typo, '{\n  "scaning": {}\n}\n');
    const typoIo = captureIo('');
    expect(await runCli(['score', '--input', '-', '--output', '-', '--dlq', join(dir, 'd'), '--reference', EXAMPLE_REFERENCE_DIR, '--config', typo], typoIo)).toBe(1);
    expect(typoIo.err()).toContain('scaning');
  });
});
