import { Writable } from 'node:stream';
import { ConfigError } from '@gtwatch/config';
import { createLogger } from '@gtwatch/observability';
import { describe, expect, it } from 'vitest';
import { rollupIntervalFrom, runSink } from '../src/index.js';

describe('runSink', () => {
  it('logs a fatal line naming every bad variable (never a secret) and exits 1 on a bad environment', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const exits: number[] = [];
    let printed = '';
    const stderr = { write: (text: string) => (printed += text) };
    const logger = createLogger({ service: 'gtwatch-sink', destination });
    await expect(
      runSink({ KAFKA_BROKERS: 'no-port', PORT: '99999', CLICKHOUSE_PASSWORD: 'hunter2' }, { logger, stderr, exit: (code) => void exits.push(code) }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(exits).toEqual([1]);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.level).toBe('fatal');
    expect(line.msg).toMatch(/gtwatch sink cannot start/);
    expect(line.issues.map((issue: { variable: string }) => issue.variable).sort()).toEqual(['KAFKA_BROKERS', 'PORT']);
    expect(lines[0]).not.toContain('hunter2');
    expect(printed).toMatch(/^gtwatch sink: Invalid configuration:\n {2}- KAFKA_BROKERS: .*\n {2}- PORT: /);
    expect(printed).not.toContain('hunter2');
  });

  it('reads GTWATCH_ROLLUP_INTERVAL_MS, and stops naming it when it is not whole milliseconds', async () => {
    expect(rollupIntervalFrom({})).toBeUndefined();
    expect(rollupIntervalFrom({ GTWATCH_ROLLUP_INTERVAL_MS: '5000' })).toBe(5_000);
    for (const bad of ['30s', '-1', '1.5', '99', '3600001']) {
      expect(() => rollupIntervalFrom({ GTWATCH_ROLLUP_INTERVAL_MS: bad })).toThrow(/GTWATCH_ROLLUP_INTERVAL_MS/);
    }
    const exits: number[] = [];
    let printed = '';
    const logger = createLogger({ service: 'gtwatch-sink', level: 'silent' });
    await expect(
      runSink(
        { KAFKA_BROKERS: '127.0.0.1:9092', GTWATCH_ROLLUP_INTERVAL_MS: '30s' },
        { logger, stderr: { write: (text: string) => (printed += text) }, exit: (code) => void exits.push(code) },
      ),
    ).rejects.toThrow(/GTWATCH_ROLLUP_INTERVAL_MS/);
    expect(exits).toEqual([1]);
    expect(printed).toMatch(/GTWATCH_ROLLUP_INTERVAL_MS must be whole milliseconds/);
  });
});
