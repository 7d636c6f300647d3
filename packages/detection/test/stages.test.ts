import { describe, expect, it } from 'vitest';
import { Detector, resolveDetectionConfig } from '../src/index.js';
import { exampleNumbering, GT, MIN, mapRecord, patternsOf, REPORTER, subscriber, T0 } from './helpers.js';

const roamer = { subscriber: subscriber(42), subscriberPlmn: REPORTER, operation: 2 };
const genuine = mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 });
const fake = mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 30_000 });
const probe = mapRecord({ callingGt: GT.lagune, operation: 71, time: T0 + 40_000 });

function run(records: Parameters<Detector['process']>[0][], stages?: { source: boolean; subscriber: boolean }) {
  const detector = new Detector({
    config: resolveDetectionConfig({}),
    numbering: exampleNumbering(),
    emitter: { service: 'score', instance: 'test' },
    ...(stages ? { stages } : {}),
  });
  return patternsOf([...records.flatMap((r) => detector.process(r)), ...detector.flush()]);
}

describe('stages', () => {
  it('judges location updates in event-time order, whatever order they arrive in within the lateness', () => {
    const inOrder = run([genuine, fake, mapRecord({ callingGt: GT.rhein, operation: 56, time: T0 + 5 * MIN })]);
    const swapped = run([fake, genuine, mapRecord({ callingGt: GT.rhein, operation: 56, time: T0 + 5 * MIN })]);
    expect(inOrder).toEqual([`velocity@${GT.southernCross}`]);
    expect(swapped).toEqual(inOrder);
  });

  it('runs only the stages asked for, so the pipeline can split them across consumers', () => {
    expect(run([genuine, fake, probe], { source: true, subscriber: false })).toEqual([`category-1@${GT.lagune}`]);
    expect(run([genuine, fake, probe], { source: false, subscriber: true })).toEqual([`velocity@${GT.southernCross}`]);
    expect(run([genuine, fake, probe])).toEqual([`category-1@${GT.lagune}`, `velocity@${GT.southernCross}`]);
  });

  it('names the records the subscriber stage needs', () => {
    expect(Detector.concernsSubscriberStage(genuine)).toBe(true);
    expect(Detector.concernsSubscriberStage(probe)).toBe(false);
    expect(Detector.concernsSubscriberStage(mapRecord({ operation: 2 }))).toBe(false);
  });
});
