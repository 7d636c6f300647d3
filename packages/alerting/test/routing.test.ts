import { topicNames } from '@gtwatch/config';
import { createMetricsRegistry } from '@gtwatch/observability';
import { AlertSchema } from '@gtwatch/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRefusalCounter, reportRefusals, routeAlerts, routingPolicy } from '../src/index.js';
import { alertEvent } from './fixtures.js';

const topics = topicNames('gtwatch');

function topicsOf(result: ReturnType<typeof routeAlerts>): Record<string, string[]> {
  return Object.fromEntries(result.batches.map(({ topic, records }) => [topic, records.map((r) => JSON.parse(String(r.value)).id)]));
}

describe('routeAlerts', () => {
  it('writes each event to the shared topic, its configured jurisdictions and alert-state, keyed by alertId', () => {
    const gbUs = alertEvent({ id: 'e1', alertId: 'A', jurisdictions: ['gb', 'us', 'fr'] });
    const au = alertEvent({ id: 'e2', alertId: 'B', jurisdictions: ['au'] });
    const none = alertEvent({ id: 'e3', alertId: 'C', jurisdictions: [] });
    const result = routeAlerts([gbUs, au, none], routingPolicy(), topics);
    expect(result.refusals).toEqual([]);
    expect(topicsOf(result)).toEqual({
      'gtwatch.alerts.v1': ['e1', 'e2', 'e3'],
      'gtwatch.alerts.v1.gb': ['e1'],
      'gtwatch.alerts.v1.us': ['e1'],
      'gtwatch.alerts.v1.au': ['e2'],
      'gtwatch.alert-state.v1': ['e1', 'e2', 'e3'],
    });
    const record = result.batches[0]!.records[0]!;
    expect(record.key).toBe('A');
    expect(record.headers).toMatchObject({
      ce_id: 'e1',
      ce_type: 'org.gtwatch.alert.opened.v1',
      ce_subject: '2250760000123',
      ce_tlp: 'amber',
      'content-type': 'application/cloudevents+json',
    });
    expect(AlertSchema.parse(JSON.parse(String(record.value)))).toEqual(gbUs);
  });

  it('only routes to jurisdictions that are configured', () => {
    const result = routeAlerts([alertEvent({ jurisdictions: ['gb', 'us'] })], routingPolicy({ jurisdictions: ['us', 'ie'] }), topics);
    expect(Object.keys(topicsOf(result))).toEqual(['gtwatch.alerts.v1', 'gtwatch.alerts.v1.us', 'gtwatch.alert-state.v1']);
  });

  it('refuses TLP:RED on every topic, alert-state included, and writes nothing for it', () => {
    const result = routeAlerts([alertEvent({ id: 'red-1', alertId: 'R', tlp: 'red', jurisdictions: ['gb'] })], routingPolicy(), topics);
    expect(result.batches).toEqual([]);
    expect(result.refusals.map((r) => [r.topic, r.reason])).toEqual([
      ['gtwatch.alerts.v1', 'red'],
      ['gtwatch.alerts.v1.gb', 'red'],
      ['gtwatch.alert-state.v1', 'red'],
    ]);
    expect(result.refusals[0]).toMatchObject({ alertId: 'R', eventId: 'red-1', tlp: 'red' });
  });

  it('refuses an event below a topic floor on that topic only, without relabelling it', () => {
    const policy = routingPolicy({ minimumTlp: { byJurisdiction: { us: 'amber' } } });
    const green = alertEvent({ id: 'g', tlp: 'green', subscribers: 0, jurisdictions: ['gb', 'us'] });
    const result = routeAlerts([green], policy, topics);
    expect(topicsOf(result)).toEqual({ 'gtwatch.alerts.v1': ['g'], 'gtwatch.alerts.v1.gb': ['g'], 'gtwatch.alert-state.v1': ['g'] });
    expect(result.refusals).toEqual([
      expect.objectContaining({ topic: 'gtwatch.alerts.v1.us', reason: 'below-minimum', tlp: 'green', detail: expect.stringMatching(/below the topic's minimum TLP:AMBER/) }),
    ]);
    for (const batch of result.batches) expect(JSON.parse(String(batch.records[0]!.value)).tlp).toBe('green');
    expect(batchHeader(result, 'gtwatch.alerts.v1')).toBe('green');
  });

  it('passes events at or above a floor', () => {
    const policy = routingPolicy({ minimumTlp: { shared: 'amber', state: 'amber', jurisdiction: 'amber' } });
    const strict = alertEvent({ tlp: 'amber+strict' });
    expect(routeAlerts([strict, alertEvent({ id: 'x', tlp: 'amber' })], policy, topics).refusals).toEqual([]);
  });

  it('refuses an event that breaks the alert contract everywhere (a small subscriber count under TLP:CLEAR)', () => {
    const leaky = alertEvent({ id: 'leak', tlp: 'clear', subscribers: 3 });
    const result = routeAlerts([leaky], routingPolicy(), topics);
    expect(result.batches).toEqual([]);
    expect(result.refusals).toHaveLength(3);
    expect(result.refusals.every((r) => r.reason === 'invalid' && r.detail.includes('data.victims.subscribers'))).toBe(true);
  });

  it('counts and logs refusals with ids only', () => {
    const registry = createMetricsRegistry({ service: 'routing-test' });
    const counter = createRefusalCounter(registry);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const { refusals } = routeAlerts([alertEvent({ tlp: 'red' })], routingPolicy(), topics);
    reportRefusals(refusals, { counter, logger });
    return registry.getSingleMetricAsString('gtwatch_alert_refusals_total').then((text) => {
      expect(text).toContain('gtwatch_alert_refusals_total{topic="gtwatch.alerts.v1",reason="red",service="routing-test"} 1');
      expect(text).toContain('gtwatch_alert_refusals_total{topic="gtwatch.alert-state.v1",reason="red",service="routing-test"} 1');
      expect(lines).toHaveLength(3);
      const logged = JSON.parse(lines[0]!);
      expect(logged).toMatchObject({ alertId: 'a1b2c3d4e5f60718', eventId: 'evt-0001', reason: 'red' });
      expect(lines.join('')).not.toContain('anyTimeInterrogation');
    });
  });
});

function batchHeader(result: ReturnType<typeof routeAlerts>, topic: string): string | undefined {
  return result.batches.find((b) => b.topic === topic)?.records[0]?.headers?.ce_tlp;
}
