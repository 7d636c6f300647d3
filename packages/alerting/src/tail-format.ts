/**
 * One readable line per alert event for a regulator watching a feed: when, what happened, how bad, which pattern,
 * who sent it, who is concerned, how it may be shared, and the detector's own sentence.
 */
import { type Alert, SEVERITIES, type Severity } from '@gtwatch/schema';

const ESC = '\u001b[';
const RESET = `${ESC}0m`;

/** Severity → SGR codes; critical is reversed so it stands out even on a busy terminal. */
const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  low: `${ESC}36m`,
  medium: `${ESC}33m`,
  high: `${ESC}31m`,
  critical: `${ESC}1;97;41m`,
};

const EVENT_WORD: Readonly<Record<Alert['data']['status'], string>> = {
  open: 'OPENED',
  update: 'UPDATED',
  resolved: 'RESOLVED',
  withdrawn: 'WITHDRAWN',
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(event: Alert, minimum: Severity | undefined): boolean {
  return minimum === undefined || severityRank(event.data.severity) >= severityRank(minimum);
}

function sourceLabel(event: Alert): string {
  const { source } = event.data;
  const kind = source.type === 'gt' ? 'GT' : 'realm';
  return `${kind} ${source.id} (${source.country ?? '??'})`;
}

export function formatTailLine(event: Alert, options: { colour: boolean }): string {
  const { data } = event;
  const severity = data.severity.toUpperCase().padEnd(8);
  const fields = [
    event.time,
    EVENT_WORD[data.status].padEnd(9),
    options.colour ? `${SEVERITY_STYLE[data.severity]}${severity}${RESET}` : severity,
    data.pattern.padEnd(15),
    sourceLabel(event),
    `→ ${data.jurisdictions.length > 0 ? data.jurisdictions.join(',') : '-'}`,
    `TLP:${event.tlp.toUpperCase()}`,
  ];
  const withdrawal = data.withdrawal ? ` [withdrawn by ${data.withdrawal.by}: ${data.withdrawal.reason}]` : '';
  // One event, one line: a newline inside the explanation would break line-oriented consumers (grep, tail -f).
  return `${fields.join('  ')}  ${data.explanation.replace(/\s+/g, ' ')}${withdrawal}`;
}

/** no-color.org: any non-empty NO_COLOR turns colour off; otherwise colour only on a terminal. */
export function useColour(isTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTty && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
