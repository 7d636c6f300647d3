import type { TrafficAggregate } from '@gtwatch/schema';
import type { Observation } from './observation.js';
import { isoTime, MINUTE_MS } from './time.js';

interface Accumulator {
  readonly observation: Observation;
  transactions: number;
  errors: number;
  scanningErrors: number;
  late: number;
  readonly subscribers: Set<number>;
}

/**
 * Per minute × reporter × source × operation counts of inbound traffic, emitted when the minute closes. Only open
 * minutes are held (the allowed lateness plus the current one), so memory is bounded by one minute's variety.
 */
export class TrafficRollup {
  readonly #minutes = new Map<number, Map<string, Accumulator>>();

  add(observation: Observation, minute: number, late: boolean, subscriberHash: number | null): void {
    let rows = this.#minutes.get(minute);
    if (rows === undefined) {
      rows = new Map();
      this.#minutes.set(minute, rows);
    }
    const key = `${observation.reporter}|${observation.entityKey}|${observation.protocol}|${observation.operation}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { observation, transactions: 0, errors: 0, scanningErrors: 0, late: 0, subscribers: new Set() };
      rows.set(key, row);
    }
    const amount = observation.count;
    row.transactions += amount;
    if (observation.result !== 'ok') row.errors += amount;
    if (observation.scanningError) row.scanningErrors += amount;
    if (late) row.late += amount;
    if (subscriberHash !== null) row.subscribers.add(subscriberHash);
  }

  /** Rows of every minute up to and including `lastMinute`, oldest minute first, in arrival order within it. */
  close(lastMinute: number, out: TrafficAggregate[]): void {
    const minutes = [...this.#minutes.keys()].filter((minute) => minute <= lastMinute).sort((a, b) => a - b);
    for (const minute of minutes) {
      for (const row of this.#minutes.get(minute)?.values() ?? []) out.push(toAggregate(minute, row));
      this.#minutes.delete(minute);
    }
  }
}

function toAggregate(minute: number, row: Accumulator): TrafficAggregate {
  const { observation } = row;
  return {
    schemaVersion: 1,
    minute: isoTime(minute * MINUTE_MS),
    reporter: observation.reporter,
    entityType: observation.entityType,
    entity: observation.entityId,
    protocol: observation.protocol,
    operation: observation.operation,
    transactions: row.transactions,
    errors: row.errors,
    scanningErrors: row.scanningErrors,
    subscribers: row.subscribers.size,
    late: row.late,
    sourceCountry: observation.sourceCountry,
    sourcePlmn: observation.sourcePlmn,
    sourceOperator: observation.source.operator,
    leased: observation.source.leased,
    category: observation.category,
    own: observation.own,
  };
}
