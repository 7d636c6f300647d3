/**
 * ClickHouse goes away for 30 s mid-stream while traffic keeps flowing. The test runs its own ClickHouse (the shared
 * one serves the other test files at the same time) and SIGKILLs it: a dead server, not a polite shutdown, is what a
 * crash or an OOM kill looks like to the sink, inserts in flight included (one may even have been stored without its
 * acknowledgement, which the ReplacingMergeTree tables must absorb). The sink must report itself not ready and pause
 * consumption while the server is down, neither exit nor drop anything, and resume once the server is back; in the
 * end ClickHouse holds exactly the offline totals and alerts, with one `opened` per alert on the alert topic.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cannotStart, DedicatedServer, freePort } from '../support/dedicated-servers.js';
import { PipelineScenario, sleep } from '../support/pipeline-scenario.js';

const OUTAGE_MS = 30_000;
const unavailable = cannotStart('clickhouse');
if (unavailable) process.stderr.write(`[clickhouse-outage] skipped: ${unavailable}\n`);

interface SinkHealth {
  ready: boolean;
  /** Topics whose consumption the sink reports paused (gtwatch_sink_paused = 1). */
  paused: string[];
}

async function sinkHealth(port: number): Promise<SinkHealth | undefined> {
  try {
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await readyz.arrayBuffer();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    const paused = [...metrics.matchAll(/^gtwatch_sink_paused\{[^}]*topic="([^"]+)"[^}]*\} 1$/gm)].map((m) => m[1] ?? '');
    return { ready: readyz.status === 200, paused };
  } catch {
    return undefined; // not listening yet: the process is starting
  }
}

describe.skipIf(unavailable !== undefined)('ClickHouse outage: the server is killed for 30 s mid-stream', () => {
  let server: DedicatedServer | undefined;
  let scenario: PipelineScenario | undefined;
  let passed = false;

  afterAll(async () => {
    await scenario?.cleanup({ keepLogs: !passed });
    await server?.destroy();
  });

  it('pauses the sink, which resumes by itself and ends with the offline totals and alerts', { timeout: 240_000 }, async () => {
    server = await DedicatedServer.clickhouse();
    await server.start();
    const run = new PipelineScenario({
      label: 'chdown',
      servers: { kafkaBrokers: inject('kafkaBrokers'), clickhouseUrl: server.address, clickhouseUser: 'default', clickhousePassword: '' },
      records: 20_000,
      seed: 23,
      signallingPartitions: 3,
    });
    scenario = run;
    await run.prepare();
    process.stderr.write(`[clickhouse-outage] ClickHouse ${server.address} (${server.dir}), logs in ${run.logDir}\n`);

    const sinkPort = await freePort();
    run.start('scorer', 'scorer');
    const sink = run.start('sink', 'sink', { PORT: String(sinkPort) });
    // 500 records/s for about 40 s: the outage falls well inside the traffic.
    const feed = run.feed({ chunk: 250, intervalMs: 500 });

    // Down only once the sink is demonstrably writing, so the outage interrupts a working pipeline.
    await run.until('the sink to be ready and commit its first rows', async () => {
      const health = await sinkHealth(sinkPort);
      return health?.ready === true && (await run.committed(`${run.prefix}-sink`, run.topics.aggregates)) > 0;
    }, 60_000);
    const sinkPid = sink.pid;
    await server.kill();
    const downAt = Date.now();
    const fedAtKill = run.fed;

    const seen: SinkHealth[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      const health = await sinkHealth(sinkPort);
      if (health) seen.push(health);
      await sleep(500);
    }
    const fedDuringOutage = run.fed - fedAtKill;
    await server.start();
    process.stderr.write(`[clickhouse-outage] ClickHouse down for ${Date.now() - downAt} ms; ${fedDuringOutage} records fed meanwhile\n`);

    // Traffic kept flowing, and the sink said it could not write: not ready, and the aggregates (which arrive every
    // minute of event time, unlike alerts) paused.
    expect(fedDuringOutage).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.some((health) => !health.ready)).toBe(true);
    expect(seen.some((health) => health.paused.includes(run.topics.aggregates))).toBe(true);

    await run.until('the sink to be ready again with nothing paused', async () => {
      const health = await sinkHealth(sinkPort);
      return health?.ready === true && health.paused.length === 0;
    }, 90_000);
    await feed;
    await run.assertMatchesOffline(120_000);

    // The same process rode it out: no exit, no restart.
    expect(sink.pid).toBe(sinkPid);
    expect(run.unexpectedExits).toEqual([]);
    const sinkLog = sink.logLines();
    expect(sinkLog.some((line) => line.includes('consumption paused') && line.includes('clickhouse-failing'))).toBe(true);
    expect(sinkLog.some((line) => line.includes('consumption resumed'))).toBe(true);
    passed = true;
  });
});
