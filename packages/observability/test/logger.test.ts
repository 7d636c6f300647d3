import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('writes JSON lines tagged with the service and never the secrets it is handed', async () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'scorer', instance: 'a', destination });
    logger.info(
      {
        clickhouse: { url: 'http://ch', password: 'hunter2' },
        kafka: { sasl: { password: 'pa55' } },
        headers: { authorization: 'Bearer abc' },
      },
      'started',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ service: 'scorer', instance: 'a', level: 'info', msg: 'started' });
    for (const secret of ['hunter2', 'pa55', 'Bearer abc']) expect(line).not.toContain(secret);
  });

  it('honours the level', async () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', level: 'warn', destination });
    logger.info('hidden');
    logger.warn('shown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });
});
