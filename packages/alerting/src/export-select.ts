/**
 * What an export contains: the latest state of each alert (later events of an alert supersede earlier ones),
 * optionally only alerts updated since a time and concerning one jurisdiction. Exports are for sharing, so red
 * events are never exported — they are counted and reported instead — and jurisdiction exports carry only
 * alerts routed to that jurisdiction.
 */
import type { Alert } from '@gtwatch/schema';

export interface ExportFilter {
  /** Keep alerts whose latest event is at or after this instant (epoch ms). */
  sinceMs?: number;
  jurisdiction?: string;
}

export interface ExportSelection {
  alerts: Alert[];
  /** Alerts left out because their latest event is TLP:RED. */
  redWithheld: number;
}

export function latestByAlert(events: Iterable<Alert>): Map<string, Alert> {
  const latest = new Map<string, Alert>();
  for (const event of events) {
    const known = latest.get(event.data.alertId);
    // Ties keep the later one in input order: `gtwatch score` writes an alert's events in order.
    if (!known || Date.parse(event.time) >= Date.parse(known.time)) latest.set(event.data.alertId, event);
  }
  return latest;
}

export function selectForExport(events: Iterable<Alert>, filter: ExportFilter = {}): ExportSelection {
  const alerts: Alert[] = [];
  let redWithheld = 0;
  for (const event of latestByAlert(events).values()) {
    if (filter.sinceMs !== undefined && Date.parse(event.time) < filter.sinceMs) continue;
    if (filter.jurisdiction !== undefined && !event.data.jurisdictions.includes(filter.jurisdiction)) continue;
    if (event.tlp === 'red') {
      redWithheld++;
      continue;
    }
    alerts.push(event);
  }
  alerts.sort((a, b) => a.data.alertId.localeCompare(b.data.alertId));
  return { alerts, redWithheld };
}
