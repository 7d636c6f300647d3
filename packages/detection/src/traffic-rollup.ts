import type { TrafficAggregate } from '@gtwatch/schema';
import type { Observation } from './observation.js';
import { operationKey } from './operations.js';
import { isoTime, MINUTE_MS } from './time.js';

interface Accumulator {
  readonly observation: Observation;
  transactions: number;
  errors: number;
  scanningErrors: number;
  late: number;
  readonly subscribers: Set<number>;
}

/** One open minute: its rows in arrival order, and an index to find a row again. */
interface OpenMinute {
  readonly rows: Accumulator[];
  /**
   * Source entity → reporter → protocol and operation → row. Nested maps rather than one joined string key: the
   * entity keys and reporters are the same string objects record after record (interned by the parser and the
   * enricher), whose hashes V8 keeps, so a lookup allocates nothing and hashes nothing new.
   */
  readonly index: Map<string, Map<string, Map<number, Accumulator>>>;
}

/**
 * Per minute × reporter × source × operation counts of inbound traffic, emitted when the minute closes. Only open
 * minutes are held (the allowed lateness plus the current one), so memory is bounded by one minute's variety.
 */
export class TrafficRollup {
  readonly #minutes = new Map<number, OpenMinute>();

  add(observation: Observation, minute: number, late: boolean, subscriberHash: number | null): void {
    let open = this.#minutes.get(minute);
    if (open === undefined) {
      open = { rows: [], index: new Map() };
      this.#minutes.set(minute, open);
    }
    let byReporter = open.index.get(observation.entityKey);
    if (byReporter === undefined) {
      byReporter = new Map();
      open.index.set(observation.entityKey, byReporter);
    }
    let byOperation = byReporter.get(observation.reporter);
    if (byOperation === undefined) {
      byOperation = new Map();
      byReporter.set(observation.reporter, byOperation);
    }
    const key = operationKey(observation.protocol, observation.operation);
    let row = byOperation.get(key);
    if (row === undefined) {
      row = { observation, transactions: 0, errors: 0, scanningErrors: 0, late: 0, subscribers: new Set() };
      byOperation.set(key, row);
      open.rows.push(row);
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
      // One timestamp string per minute, not one per row.
      const iso = isoTime(minute * MINUTE_MS);
      for (const row of this.#minutes.get(minute)?.rows ?? []) out.push(toAggregate(iso, row));
      this.#minutes.delete(minute);
    }
  }
}

function toAggregate(minute: string, row: Accumulator): TrafficAggregate {
  const { observation } = row;
  return {
    schemaVersion: 1,
    minute,
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
