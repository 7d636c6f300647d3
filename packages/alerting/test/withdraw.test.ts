import { AlertSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { WithdrawError, withdrawEvent } from '../src/index.js';
import { alertEvent } from './fixtures.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('withdrawEvent', () => {
  it('turns the latest state into a withdrawn event that keeps the alert, its label and its evidence', () => {
    const latest = alertEvent({ status: 'update', tlp: 'amber+strict' });
    const withdrawn = withdrawEvent(latest, { reason: ' roaming partner test traffic ', by: 'noc-alice', now: NOW, instance: 'cli-1' });
    expect(AlertSchema.parse(withdrawn)).toEqual(withdrawn);
    expect(withdrawn).toMatchObject({
      type: 'org.gtwatch.alert.withdrawn.v1',
      source: 'urn:gtwatch:alerts:cli-1',
      time: '2026-11-30T12:00:00.000Z',
      tlp: 'amber+strict',
      subject: latest.subject,
    });
    expect(withdrawn.data).toEqual({ ...latest.data, status: 'withdrawn', withdrawal: { reason: 'roaming partner test traffic', by: 'noc-alice' } });
    expect(withdrawn.id).not.toBe(latest.id);
  });

  it('gives the same event id for the same state, whoever runs it and when', () => {
    const latest = alertEvent();
    const a = withdrawEvent(latest, { reason: 'x', by: 'a', now: NOW, instance: 'i1' });
    const b = withdrawEvent(latest, { reason: 'y', by: 'b', now: NOW + 60_000, instance: 'i2' });
    expect(a.id).toBe(b.id);
    expect(withdrawEvent(alertEvent({ id: 'other' }), { reason: 'x', by: 'a', now: NOW, instance: 'i1' }).id).not.toBe(a.id);
  });

  it('refuses an alert that is already withdrawn', () => {
    expect(() => withdrawEvent(alertEvent({ status: 'withdrawn' }), { reason: 'again', by: 'b', now: NOW, instance: 'i' })).toThrow(
      /already withdrawn by noc/,
    );
  });

  it('refuses an empty or overlong reason with the field named', () => {
    expect(() => withdrawEvent(alertEvent(), { reason: '   ', by: 'b', now: NOW, instance: 'i' })).toThrow(WithdrawError);
    expect(() => withdrawEvent(alertEvent(), { reason: 'r'.repeat(501), by: 'b', now: NOW, instance: 'i' })).toThrow(/withdrawal\.reason/);
  });
});
