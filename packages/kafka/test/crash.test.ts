import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { exitOnFatal, isFatalCrash, watchConsumer } from '../src/crash.js';
import { EVENTS, FakeConsumer } from './fake-kafka.js';

const logger = pino({ level: 'silent' });

describe('crash listener', () => {
  it('classifies crashes: restart false or a non-retriable error is fatal', () => {
    expect(isFatalCrash({ error: new Error('x'), restart: false })).toBe(true);
    expect(isFatalCrash({ error: Object.assign(new Error('x'), { retriable: false }), restart: true })).toBe(false);
    expect(isFatalCrash({ error: Object.assign(new Error('x'), { retriable: false }) })).toBe(true);
    expect(isFatalCrash({ error: Object.assign(new Error('x'), { retriable: true }) })).toBe(false);
  });

  it('calls onFatal for a crash kafkajs will not restart, surfaces DISCONNECT/STOP, and unsubscribes', () => {
    const consumer = new FakeConsumer();
    const seen: string[] = [];
    const unwatch = watchConsumer(consumer as never, logger, {
      onFatal: (error) => seen.push(`fatal ${error.message}`),
      onCrash: (info) => seen.push(`crash restart=${info.restart}`),
      onStop: () => seen.push('stop'),
      onDisconnect: () => seen.push('disconnect'),
    });
    consumer.emit(EVENTS.CRASH, { error: new Error('retriable'), groupId: 'g', restart: true });
    consumer.emit(EVENTS.STOP, null);
    consumer.emit(EVENTS.DISCONNECT, null);
    consumer.emit(EVENTS.CRASH, { error: new Error('coordinator not found'), groupId: 'g', restart: false });
    expect(seen).toEqual(['crash restart=true', 'stop', 'disconnect', 'crash restart=false', 'fatal coordinator not found']);
    unwatch();
    consumer.emit(EVENTS.CRASH, { error: new Error('again'), groupId: 'g', restart: false });
    expect(seen).toHaveLength(5);
  });

  it('by default logs and exits non-zero (exit injected here)', () => {
    const codes: number[] = [];
    const lines: string[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    exitOnFatal(capture, (code) => codes.push(code))(new Error('dead'));
    expect(codes).toEqual([1]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 60, err: { message: 'dead' } });
  });
});
