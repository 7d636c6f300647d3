/**
 * The Kafka key an operator's producer gives a summary line: its source entity (the calling GT, or the origin realm
 * for Diameter), so that all of one source's records land on one signalling partition, which the scorer's per-source
 * state relies on. Null for a line that is not JSON (the simulator's bad records), which then goes round robin.
 */
export function partitionKey(line: string): string | null {
  try {
    const value = JSON.parse(line) as { protocol?: unknown; callingGt?: unknown; originRealm?: unknown };
    const key = value.protocol === 'DIAMETER' ? value.originRealm : value.callingGt;
    return typeof key === 'string' ? key : null;
  } catch {
    return null;
  }
}
