/// <reference path="../../../../test/setup/provided-context.d.ts" />
/**
 * `gtwatch alerts tail|withdraw|export` against the real broker: alert events routed by @gtwatch/alerting into
 * this run's own topics, then read back the way an operator and a regulator would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readAlertState, routeAlerts, routingPolicy } from '@gtwatch/alerting';
import { topicNames } from '@gtwatch/config';
import { createKafkaClient, defaultTopicSpecs, deleteTopics, ensureTopics, Producer } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import type { Severity } from '@gtwatch/schema';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/index.js';
import { tailAlerts } from '../../src/commands/alerts.js';
import { alertEvent, captureIo } from '../helpers.js';

const logger = createLogger({ service: 'alerts-it', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `count()` reached `expected` and then stayed put for `quietMs`, so extra records would be seen. */
async function settle(what: string, count: () => number, expected: number, quietMs = 1_500): Promise<void> {
  await waitFor(what, () => count() >= expected);
  let last = count();
  let stableSince = Date.now();
  while (Date.now() - stableSince < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (count() !== last) {
      last = count();
      stableSince = Date.now();
    }
  }
}

describe('gtwatch alerts against the real broker', () => {
  const prefix = `${inject('runId')}-alerts`.replace(/[^A-Za-z0-9._-]/g, '_');
  const topics = topicNames(prefix);
  const kafka = createKafkaClient({ brokers: inject('kafkaBrokers').split(','), clientId: 'gtwatch-test-alerts', logger });
  const env = { KAFKA_BROKERS: inject('kafkaBrokers'), GTWATCH_TOPIC_PREFIX: prefix, GTWATCH_INSTANCE: 'it-cli', LOG_LEVEL: 'error' };
  const producer = new Producer(kafka, { logger });
  const published = [
    alertEvent('gb-1', 'A', { jurisdictions: ['gb'] }),
    alertEvent('us-1', 'B', { jurisdictions: ['us'], severity: 'critical' }),
    alertEvent('both-1', 'C', { jurisdictions: ['gb', 'us'], severity: 'critical' }),
    alertEvent('gb-2', 'A', { jurisdictions: ['gb'], status: 'update', severity: 'medium' }),
    alertEvent('red-1', 'D', { jurisdictions: ['gb', 'us'], tlp: 'red' }),
  ];

  beforeAll(async () => {
    const specs = defaultTopicSpecs(topics, { jurisdictions: ['gb', 'us'] })
      .filter((spec) => spec.topic.startsWith(`${prefix}.alert`))
      .map((spec) => ({ ...spec, partitions: 3 }));
    await ensureTopics(kafka, specs);
    await producer.connect();
    const { batches, refusals } = routeAlerts(published, routingPolicy({ jurisdictions: ['gb', 'us'] }), topics);
    expect(refusals.map((r) => `${r.eventId}@${r.topic}`)).toEqual([
      `red-1@${topics.alerts}`,
      `red-1@${topics.alertsFor('gb')}`,
      `red-1@${topics.alertsFor('us')}`,
      `red-1@${topics.alertState}`,
    ]);
    await producer.sendBatch(batches);
  });

  afterAll(async () => {
    await producer.disconnect();
    await deleteTopics(kafka, [topics.alerts, topics.alertsFor('gb'), topics.alertsFor('us'), topics.alertState]);
  });

  async function tailJson(args: string[], expected: number): Promise<{ lines: string[]; code: number }> {
    const out = captureIo('', env);
    const controller = new AbortController();
    const options = { jurisdiction: undefined as string | undefined, minSeverity: undefined as Severity | undefined, json: true, fromBeginning: true };
    for (let i = 0; i < args.length; i += 2) {
      if (args[i] === '--jurisdiction') options.jurisdiction = args[i + 1];
      if (args[i] === '--min-severity') options.minSeverity = args[i + 1] as Severity;
    }
    const running = tailAlerts(options, out, controller.signal);
    const lines = () => out.out().split('\n').filter((line) => line !== '');
    await settle(`${expected} tail lines`, () => lines().length, expected);
    controller.abort();
    return { lines: lines(), code: await running };
  }

  it('tail --jurisdiction gb --json shows exactly the gb events, unchanged, and stops cleanly', async () => {
    const { lines, code } = await tailJson(['--jurisdiction', 'gb'], 3);
    expect(code).toBe(0);
    expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual(['both-1', 'gb-1', 'gb-2']);
    const gb1 = lines.find((line) => JSON.parse(line).id === 'gb-1');
    expect(gb1).toBe(JSON.stringify(published[0]));
  });

  it('tail --jurisdiction us --min-severity critical filters by severity; the shared topic has every non-red event', async () => {
    expect((await tailJson(['--jurisdiction', 'us', '--min-severity', 'critical'], 2)).lines.map((l) => JSON.parse(l).id).sort()).toEqual(['both-1', 'us-1']);
    expect((await tailJson([], 4)).lines.map((l) => JSON.parse(l).id).sort()).toEqual(['both-1', 'gb-1', 'gb-2', 'us-1']);
  });

  it('tail prints one readable line per event without colour when stdout is not a terminal, and exits 0 on Ctrl-C', async () => {
    const cli = fileURLToPath(new URL('../../bin/gtwatch.js', import.meta.url));
    const child: ChildProcess = spawn(process.execPath, [cli, 'alerts', 'tail', '--jurisdiction', 'gb', '--from-beginning'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      err += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('three readable lines', () => out.split('\n').filter(Boolean).length >= 3, 60_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}; stderr: ${err}`);
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(out).not.toContain('\u001b[');
    const line = lines.find((l) => l.includes('Alert C:'));
    expect(line).toMatch(/OPENED\s+CRITICAL\s+category-1\s+GT 2250760000123 \(CI\)\s+→ gb,us\s+TLP:AMBER\s+Alert C: GT 2250760000123/);
  });

  it('withdraw reads the alert-state topic, publishes the withdrawn event to every topic of the alert, and refuses twice', async () => {
    const first = captureIo('', env);
    expect(await runCli(['alerts', 'withdraw', 'C', '--reason', 'operator test traffic', '--by', 'noc-alice'], first)).toBe(0);
    expect(first.out()).toContain('withdrew alert C');
    expect(first.out()).toContain(topics.alertsFor('us'));

    const state = await readAlertState(kafka, topics.alertState, { logger });
    const latest = state.alerts.get('C');
    expect(latest?.data.status).toBe('withdrawn');
    expect(latest?.data.withdrawal).toEqual({ reason: 'operator test traffic', by: 'noc-alice' });
    expect(latest?.tlp).toBe('amber');
    expect(state.alerts.get('A')?.id).toBe('gb-2');
    expect(state.alerts.has('D')).toBe(false);

    const gb = await tailJson(['--jurisdiction', 'gb'], 4);
    expect(gb.lines.map((l) => JSON.parse(l).type)).toContain('org.gtwatch.alert.withdrawn.v1');

    const again = captureIo('', env);
    expect(await runCli(['alerts', 'withdraw', 'C', '--reason', 'again'], again)).toBe(1);
    expect(again.err()).toContain('already withdrawn by noc-alice');
  });

  it('withdraw of an unknown alert fails with exit 1 and says so', async () => {
    const unknown = captureIo('', env);
    expect(await runCli(['alerts', 'withdraw', 'no-such-alert', '--reason', 'x'], unknown)).toBe(1);
    expect(unknown.err()).toContain(`alert no-such-alert is unknown: it is not in ${topics.alertState}`);
  });

  it('export reads the latest states from alert-state by default', async () => {
    const out = captureIo('', env);
    expect(await runCli(['alerts', 'export', '--format', 'ndjson', '--jurisdiction', 'us'], out)).toBe(0);
    const exported = out.out().trim().split('\n').map((line) => JSON.parse(line));
    expect(exported.map((e) => [e.data.alertId, e.data.status]).sort()).toEqual([
      ['B', 'open'],
      ['C', 'withdrawn'],
    ]);
  });
});
