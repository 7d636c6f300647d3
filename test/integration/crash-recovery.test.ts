/**
 * Results survive failure, exactly once, with the work spread over two scorer instances: the scorers and the sink run
 * as real processes (`gtwatch run`) and are killed with SIGKILL at random points mid-stream, then restarted. In the
 * end ClickHouse holds exactly the traffic totals the offline scorer rolls up from the same lines, the alerts table
 * holds the offline alerts, and the alert topic carries each alert's `opened` event exactly once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineScenario, random, sharedServers, sleep } from '../support/pipeline-scenario.js';
import type { ServiceProcess } from '../support/service-process.js';

const SOURCE_PARTITIONS = 3;
const RECORDS = 20_000;

describe('crash recovery and scale-out: two scorers and a sink, SIGKILLed mid-stream', () => {
  let scenario: PipelineScenario | undefined;
  let passed = false;

  afterAll(async () => {
    await scenario?.cleanup({ keepLogs: !passed });
  });

  it('ends with the offline totals and alerts, and one opened event per alert', { timeout: 300_000 }, async () => {
    const run = new PipelineScenario({ label: 'crash', servers: sharedServers(), records: RECORDS, seed: 11, signallingPartitions: SOURCE_PARTITIONS });
    scenario = run;
    await run.prepare();
    // About 1,000 records/s, so every kill lands mid-stream with windows open.
    const feed = run.feed({ chunk: 250, intervalMs: 250 });

    const seed = Date.now() % 100_000;
    const next = random(seed);
    process.stderr.write(`[crash-recovery] kill schedule seed ${seed}, logs in ${run.logDir}\n`);

    /** Kills the service once its group has committed `step` more records (or after 20 s), i.e. mid-stream. */
    const killAfterProgress = async (service: ServiceProcess, groupId: string, topic: string, step: number) => {
      const from = await run.committed(groupId, topic);
      const until = Date.now() + 20_000;
      while (Date.now() < until && service.alive && (await run.committed(groupId, topic)) < from + step) await sleep(100);
      await sleep(next() * 300);
      await service.kill();
    };

    // Two scorer instances share the work (scale-out) and one sink writes. In each of three rounds one scorer
    // (alternately) and the sink are SIGKILLed once they have made a random amount of progress: the surviving
    // scorer takes the dead one's partitions over by replay, and both killed processes are restarted.
    const scorers = { a: run.start('scorer', 'scorer-a'), b: run.start('scorer', 'scorer-b') };
    const sink = run.start('sink', 'sink');
    for (let round = 1; round <= 3; round++) {
      const victim = scorers[round % 2 === 1 ? 'a' : 'b'];
      await Promise.all([
        killAfterProgress(victim, `${run.prefix}-scorer-source`, run.topics.signalling, Math.round(RECORDS * (0.02 + next() * 0.1))),
        killAfterProgress(sink, `${run.prefix}-sink`, run.topics.aggregates, Math.round(200 + next() * 1_000)),
      ]);
      victim.start();
      sink.start();
    }
    await feed;

    await run.assertMatchesOffline(180_000);
    await run.stopServices();
    // Only the test's kills: no process died by itself.
    expect(run.unexpectedExits).toEqual([]);
    expect(scorers.a.restarts + scorers.b.restarts).toBe(3);
    expect(sink.restarts).toBe(3);
    // The kills must have hit state that mattered: some restarted scorer rebuilt a partition by replaying records.
    expect(run.sourceReplays().length).toBeGreaterThan(0);
    passed = true;
  });
});
