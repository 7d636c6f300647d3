import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { captureIo } from './helpers.js';

describe('administrative commands', () => {
  it('refuse a bad environment, naming the variable', async () => {
    const io = captureIo('', { CLICKHOUSE_URL: 'ftp://nope', CLICKHOUSE_DATABASE: 'bad-name' });
    expect(await runCli(['migrate'], io)).toBe(1);
    expect(io.err()).toContain('CLICKHOUSE_URL');
    expect(io.err()).toContain('CLICKHOUSE_DATABASE');
  });

  it('stop a service at startup with one line when its reference data is missing', async () => {
    const io = captureIo('', { PORT: '0', LOG_LEVEL: 'silent' });
    const stderr = process.stderr.write;
    let written = '';
    process.stderr.write = ((chunk: string) => {
      written += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await runCli(['run', 'scorer'], io)).toBe(1);
    } finally {
      process.stderr.write = stderr;
      process.exitCode = undefined;
    }
    expect(written).toContain('GTWATCH_REFERENCE_DIR is required');
  });

  it('refuse unusable arguments', async () => {
    expect(await runCli(['run', 'nothing'], captureIo())).toBe(2);
    expect(await runCli(['topics'], captureIo())).toBe(2);
    expect(await runCli(['topics', 'create', '--partitions', '0'], captureIo())).toBe(2);
    expect(await runCli(['migrate', '--force'], captureIo())).toBe(2);
  });
});
