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

  it('refuse unusable arguments', async () => {
    expect(await runCli(['topics'], captureIo())).toBe(2);
    expect(await runCli(['topics', 'create', '--partitions', '0'], captureIo())).toBe(2);
    expect(await runCli(['migrate', '--force'], captureIo())).toBe(2);
  });
});
