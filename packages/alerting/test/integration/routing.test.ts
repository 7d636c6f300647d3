/**
 * The simulator's scenarios, scored by the detector, routed by `routeAlerts` and written in one `sendBatch` to the
 * real broker, then read back topic by topic: each jurisdiction topic must carry exactly the events the contract
 * routes to it, at or above its TLP floor, never red, in each alert's order, with one `opened` per alert; the
 * compacted alert-state topic must hold each alert's latest publishable state.
 */
import { topicNames } from '@gtwatch/config';
import { Detector, RecordScorer, resolveDetectionConfig } from '@gtwatch/detection';
import { defaultTopicSpecs, deleteTopics, ensureTopics, Producer } from '@gtwatch/kafka';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import { type Alert, AlertSchema } from '@gtwatch/schema';
import { referenceFiles, simulate } from '@gtwatch/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBelow, jurisdictionFloor, readAlertState, readToEnd, routeAlerts, routingPolicy } from '../../src/index.js';
import { testKafka, testLogger, uniquePrefix } from './support.js';

const JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'];

function scoreScenarios(): Alert[] {
  const run = simulate({ seed: 12, records: 40_000 });
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(run.world)));
  // Green by default, amber for velocity and IMSI harvesting, red for critical: so floors and the red rule both have work to do.
  const config = resolveDetectionConfig({ alerts: { defaultTlp: 'green', tlpByPattern: { velocity: 'amber', 'imsi-harvesting': 'amber' }, tlpBySeverity: { critical: 'red' } } });
  const scorer = new RecordScorer(new Detector({ config, numbering, emitter: { service: 'scorer', instance: 'routing-it' } }));
  const events: Alert[] = [];
  let line = 0;
  for (const text of run.lines) {
    line++;
    events.push(...scorer.score(text, () => ({ kind: 'file', file: 'simulation', line }), Date.parse('2099-01-01T00:00:00Z')).events);
  }
  events.push(...scorer.flush());
  return events;
}

describe('alert routing of the simulator scenarios through the real broker', () => {
  const logger = testLogger('alert-routing');
  const kafka = testKafka('alert-routing');
  const topics = topicNames(uniquePrefix('routing'));
  const allTopics = [topics.alerts, ...JURISDICTIONS.map((j) => topics.alertsFor(j)), topics.alertState];
  const policy = routingPolicy({ jurisdictions: JURISDICTIONS, minimumTlp: { byJurisdiction: { nz: 'amber' } } });
  const producer = new Producer(kafka, { logger });
  let events: Alert[];
  const read = new Map<string, Alert[]>();

  beforeAll(async () => {
    events = scoreScenarios();
    const specs = defaultTopicSpecs(topics, { jurisdictions: JURISDICTIONS }).filter((spec) => allTopics.includes(spec.topic));
    await ensureTopics(kafka, specs.map((spec) => ({ ...spec, partitions: 3 })));
    await producer.connect();
    const { batches } = routeAlerts(events, policy, topics);
    await producer.sendBatch(batches);
    for (const topic of allTopics) {
      const records: Alert[] = [];
      await readToEnd(kafka, topic, { logger }, (record) => {
        const event = AlertSchema.parse(JSON.parse(String(record.value)));
        expect(record.key?.toString()).toBe(event.data.alertId);
        expect(record.headers.ce_tlp).toBe(event.tlp);
        records.push(event);
      });
      read.set(topic, records);
    }
  });

  afterAll(async () => {
    await producer.disconnect();
    await deleteTopics(kafka, allTopics);
  });

  it('has scenarios that reach every jurisdiction and every rule', () => {
    for (const j of JURISDICTIONS) expect(events.some((e) => e.data.jurisdictions.includes(j)), j).toBe(true);
    expect(events.some((e) => e.tlp === 'red')).toBe(true);
    expect(events.some((e) => e.tlp === 'green' && e.data.jurisdictions.includes('nz'))).toBe(true);
    expect(events.some((e) => e.tlp === 'amber' && e.data.jurisdictions.includes('nz'))).toBe(true);
  });

  it('each jurisdiction topic carries exactly the events routed to it, at or above its floor, never red', () => {
    for (const j of JURISDICTIONS) {
      const floor = jurisdictionFloor(policy, j);
      const expected = events.filter((e) => e.tlp !== 'red' && e.data.jurisdictions.includes(j) && !isBelow(e.tlp, floor));
      const got = read.get(topics.alertsFor(j)) ?? [];
      expect(got.map((e) => e.id).sort(), j).toEqual(expected.map((e) => e.id).sort());
      expect(got.length, j).toBeGreaterThan(0);
    }
    expect(read.get(topics.alertsFor('nz'))?.every((e) => e.tlp === 'amber')).toBe(true);
  });

  it('the shared topic carries every event but red, each alert in order, with one opened per alert', () => {
    const shared = read.get(topics.alerts) ?? [];
    expect(shared.map((e) => e.id).sort()).toEqual(events.filter((e) => e.tlp !== 'red').map((e) => e.id).sort());
    const byAlert = (list: Alert[]) => {
      const map = new Map<string, string[]>();
      for (const e of list) map.set(e.data.alertId, [...(map.get(e.data.alertId) ?? []), e.id]);
      return map;
    };
    const produced = byAlert(events.filter((e) => e.tlp !== 'red'));
    for (const [alertId, ids] of byAlert(shared)) expect(ids, alertId).toEqual(produced.get(alertId));
    const opened = shared.filter((e) => e.type === 'org.gtwatch.alert.opened.v1').map((e) => e.data.alertId);
    expect(new Set(opened).size).toBe(opened.length);
  });

  it('alert-state holds the latest publishable state of each alert', async () => {
    const state = await readAlertState(kafka, topics.alertState, { logger });
    const expected = new Map<string, string>();
    for (const e of events) if (e.tlp !== 'red') expected.set(e.data.alertId, e.id);
    expect(new Map([...state.alerts].map(([id, e]) => [id, e.id]))).toEqual(expected);
    expect(state.skipped).toBe(0);
  });
});
