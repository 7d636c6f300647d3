import { AlertSchema, DeadLetterSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { AlertRefusedError, alertRecord, assertPublishable } from '../src/alerts.js';
import { deadLetterRecord } from '../src/dead-letter.js';
import { sampleAlert, sampleDeadLetter } from './fixtures.js';

describe('alert and dead-letter records', () => {
  it('the fixtures satisfy the contracts', () => {
    expect(AlertSchema.safeParse(sampleAlert()).success).toBe(true);
    expect(DeadLetterSchema.safeParse(sampleDeadLetter()).success).toBe(true);
  });

  it('maps an alert to a structured-mode CloudEvent keyed by alertId with ce_ headers', () => {
    const alert = sampleAlert();
    const record = alertRecord(alert);
    expect(record.key).toBe('a1b2c3d4e5f60718');
    expect(JSON.parse(String(record.value))).toEqual(alert);
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt-0001',
      ce_source: 'urn:gtwatch:scorer:scorer-0',
      ce_type: 'org.gtwatch.alert.opened.v1',
      ce_subject: '2250760000123',
      ce_tlp: 'amber',
      'content-type': 'application/cloudevents+json',
    });
  });

  it('never publishes TLP:RED and honours a topic minimum', () => {
    expect(() => assertPublishable(sampleAlert({ tlp: 'red' }))).toThrow(AlertRefusedError);
    expect(() => assertPublishable(sampleAlert({ tlp: 'green' }), { minimumTlp: 'amber' })).toThrow(/below/);
    expect(() => assertPublishable(sampleAlert({ tlp: 'amber+strict' }), { minimumTlp: 'amber' })).not.toThrow();
    expect(() => assertPublishable(sampleAlert({ tlp: 'clear' }))).not.toThrow();
  });

  it('maps a dead letter to JSON keyed by reporter (null when unknown) with the reason header', () => {
    const record = deadLetterRecord(sampleDeadLetter());
    expect(record.key).toBe('234-15');
    expect(record.headers).toEqual({ 'gtwatch-reason': 'subscriber-not-pseudonymous', 'content-type': 'application/json' });
    expect(JSON.parse(String(record.value))).toEqual(sampleDeadLetter());
    expect(deadLetterRecord(sampleDeadLetter(null)).key).toBeNull();
  });
});
