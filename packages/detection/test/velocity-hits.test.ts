import { type Alert, AlertSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, Detector, type VelocityHit, VelocityHitSchema } from '../src/index.js';
import { exampleNumbering, GT, MIN, mapRecord, REPORTER, subscriber, T0 } from './helpers.js';

const emitter = { service: 'scorer', instance: 'test' };

/** A subscriber-keyed stage as one streaming partition runs it: velocity findings leave as hits. */
function subscriberPartition(): Detector {
  return new Detector({
    config: DEFAULT_DETECTION_CONFIG,
    numbering: exampleNumbering(),
    emitter,
    stages: { source: false, subscriber: true },
    velocityHits: true,
  });
}

/** France, then Australia an hour later: impossible travel, found by whichever partition owns the subscriber. */
function impossibleTravel(detector: Detector, id: number): { alerts: readonly Alert[]; hits: VelocityHit[] } {
  const roamer = { subscriber: subscriber(id), subscriberPlmn: REPORTER, operation: 2 };
  const alerts = [
    ...detector.process(mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 })),
    ...detector.process(mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 60 * MIN })),
    ...detector.flush(),
  ];
  return { alerts, hits: detector.takeVelocityHits() };
}

describe('velocity hits (the streaming split of the velocity pattern)', () => {
  it('leave the subscriber stage as hits that survive the wire, and raise no alert there', () => {
    const { alerts, hits } = impossibleTravel(subscriberPartition(), 1);
    expect(alerts).toEqual([]);
    expect(hits).toHaveLength(1);
    const wire = VelocityHitSchema.parse(JSON.parse(JSON.stringify(hits[0])));
    expect(wire).toEqual(hits[0]);
    expect(wire.evidence).toMatchObject({ previousCountry: 'FR', newCountry: 'AU' });
  });

  it('open one alert in the source stage, however many subscriber partitions find the same source', () => {
    const first = impossibleTravel(subscriberPartition(), 1).hits;
    const second = impossibleTravel(subscriberPartition(), 2).hits;
    const source = new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering: exampleNumbering(), emitter, stages: { source: true, subscriber: false } });
    const events = [...first, ...second].flatMap((hit) => source.observeVelocityHit(hit));
    const opened = events.filter((e) => e.type === 'org.gtwatch.alert.opened.v1');
    expect(opened.map((e) => `${e.data.pattern}@${e.subject}`)).toEqual([`velocity@${GT.southernCross}`]);
    for (const event of events) AlertSchema.parse(event);
  });
});
