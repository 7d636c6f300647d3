import { describe, expect, it } from 'vitest';
import { atLeast, formatTailLine, useColour } from '../src/index.js';
import { alertEvent } from './fixtures.js';

describe('tail lines', () => {
  it('say when, what, how bad, which pattern, who, for whom, the label and the explanation on one line', () => {
    const line = formatTailLine(alertEvent({ jurisdictions: ['gb', 'us'] }), { colour: false });
    expect(line).toBe(
      '2026-11-30T10:16:00.000Z  OPENED     HIGH      category-1       GT 2250760000123 (CI)  → gb,us  TLP:AMBER  ' +
        'GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB) over the interconnect; category 1 operations must never arrive from another network.',
    );
    expect(line).not.toContain('\u001b');
  });

  it('colour the severity only when asked, and mark withdrawals with who and why', () => {
    const critical = formatTailLine(alertEvent({ severity: 'critical', status: 'withdrawn' }), { colour: true });
    expect(critical).toContain('\u001b[1;97;41mCRITICAL');
    expect(critical).toContain('\u001b[0m');
    expect(critical).toContain('WITHDRAWN');
    expect(critical).toMatch(/\[withdrawn by noc: roaming partner test traffic\]$/);
    expect(formatTailLine(alertEvent({ severity: 'medium' }), { colour: true })).toContain('\u001b[33mMEDIUM');
  });

  it('keep an event on one line even if its explanation had a newline', () => {
    const event = alertEvent();
    event.data.explanation = 'first\nsecond';
    expect(formatTailLine(event, { colour: false })).toMatch(/first second$/);
  });

  it('colour only on a terminal and never with NO_COLOR set', () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(true, { NO_COLOR: '' })).toBe(true);
  });

  it('filter by minimum severity', () => {
    expect(atLeast(alertEvent({ severity: 'medium' }), 'high')).toBe(false);
    expect(atLeast(alertEvent({ severity: 'critical' }), 'high')).toBe(true);
    expect(atLeast(alertEvent({ severity: 'low' }), undefined)).toBe(true);
  });
});
