/**
 * A scorer that cannot start must not look alive: its health server is closed again, so a supervisor's liveness
 * probe fails and it is restarted, instead of a half-started process answering 200 while scoring nothing.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@gtwatch/config';
import { simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { startScorer } from '../../src/index.js';
import { brokers, testLogger, uniquePrefix } from './support.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function healthAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );
}

describe('scorer startup failures', () => {
  let referenceDir = '';
  beforeAll(async () => {
    referenceDir = mkdtempSync(join(tmpdir(), 'gtwatch-scorer-start-'));
    await writeReferenceFiles(simulate({ seed: 1, records: 5_000 }).world, referenceDir);
  });

  const configFor = (env: Record<string, string>, port: number) =>
    loadConfig({ GTWATCH_REFERENCE_DIR: referenceDir, GTWATCH_INSTANCE: 'startup-test', PORT: String(port), ...env });

  it('names the missing topics and closes its health server', async () => {
    const port = await freePort();
    const config = configFor({ KAFKA_BROKERS: brokers(), GTWATCH_TOPIC_PREFIX: uniquePrefix('no-topics') }, port);
    await expect(startScorer(config, { logger: testLogger('startup'), healthHost: '127.0.0.1' })).rejects.toThrow(
      /topics missing: .*signalling\.v1.*gtwatch topics create/,
    );
    expect(await healthAnswers(port)).toBe(false);
  });

  it('fails when the broker cannot be reached, and closes its health server', async () => {
    const port = await freePort();
    const deadBroker = `127.0.0.1:${await freePort()}`;
    const config = configFor({ KAFKA_BROKERS: deadBroker, GTWATCH_TOPIC_PREFIX: uniquePrefix('no-broker') }, port);
    const starting = startScorer(config, { logger: testLogger('startup'), healthHost: '127.0.0.1' });
    // While it tries, the process is alive but not ready; afterwards nothing answers.
    await expect(starting).rejects.toThrow();
    expect(await healthAnswers(port)).toBe(false);
  }, 60_000);
});
