import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runClosers, shutdownOnSignals } from '../src/shutdown.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function harness(closers: Parameters<typeof shutdownOnSignals>[0], timeoutMs = 1_000) {
  const source = new EventEmitter();
  const exits: number[] = [];
  const handle = shutdownOnSignals(closers, logger, { source, timeoutMs, exit: (code) => exits.push(code) });
  return { source, exits, handle };
}

describe('shutdownOnSignals', () => {
  it('runs the closers once, in order, each after the previous one finished, then exits 0', async () => {
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
    };
    const { source, exits } = harness([step('drain', 20), { name: 'commit', close: step('commit', 1) }, step('disconnect', 5)]);
    source.emit('SIGTERM');
    await sleep(60);
    expect(log).toEqual(['drain start', 'drain end', 'commit start', 'commit end', 'disconnect start', 'disconnect end']);
    expect(exits).toEqual([0]);
    expect(source.listenerCount('SIGTERM')).toBe(0);
    expect(source.listenerCount('SIGINT')).toBe(0);
  });

  it('keeps going after a failing closer and exits 1', async () => {
    const log: string[] = [];
    const { handle, exits } = harness([
      () => {
        throw new Error('flush failed');
      },
      () => void log.push('second ran'),
    ]);
    const result = await handle.shutdown('test');
    expect(result).toEqual({ failed: ['closer #1'], timedOut: false });
    expect(log).toEqual(['second ran']);
    expect(exits).toEqual([1]);
  });

  it('exits 1 at the hard deadline when a closer hangs', async () => {
    const { source, exits } = harness([() => new Promise<void>(() => {})], 50);
    const started = Date.now();
    source.emit('SIGINT');
    await sleep(120);
    expect(exits).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ignores repeated shutdown calls, and a second signal exits at once', async () => {
    let runs = 0;
    const { source, handle, exits } = harness([
      async () => {
        runs += 1;
        await sleep(50);
      },
    ]);
    const first = handle.shutdown('fatal consumer crash', 1);
    const again = handle.shutdown('again');
    expect(again).toBe(first);
    source.emit('SIGTERM');
    expect(exits).toEqual([1]);
    await first;
    expect(runs).toBe(1);
    expect(exits).toEqual([1, 1]);
  });

  it('dispose removes the listeners without shutting down', () => {
    const { source, handle, exits } = harness([]);
    handle.dispose();
    source.emit('SIGTERM');
    expect(exits).toEqual([]);
  });

  it('runClosers reports names of failed closers', async () => {
    const result = await runClosers([{ name: 'clickhouse', close: async () => Promise.reject(new Error('down')) }, async function producer() {}], logger, 100);
    expect(result).toEqual({ failed: ['clickhouse'], timedOut: false });
  });
});
