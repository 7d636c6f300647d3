/**
 * Deterministic identifiers: the same alert exports to the same STIX and MISP ids every time, so a regulator's
 * platform updates an object instead of piling up copies, and a replayed withdrawal gets the same event id.
 */
import { createHash } from 'node:crypto';

/** STIX 2.1 §2.9: the namespace for deterministic SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`namespace is not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 4122 Appendix C: the URL namespace. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** gtwatch's own namespace for SDO, SRO and MISP ids. Derived, so it needs no registry and never changes. */
export const GTWATCH_NAMESPACE = uuidv5('urn:gtwatch', URL_NAMESPACE);

/**
 * RFC 8785 (JCS) for the JSON this package hashes: objects with sorted keys, strings and finite numbers as
 * ECMAScript serialises them — which is what JCS specifies for both.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('JCS has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot canonicalise a ${typeof value}`);
}

/** A STIX SCO id from its id-contributing properties (STIX 2.1 §2.9). */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}

/** A UUID-shaped id from a SHA-256 of the input, for CloudEvent ids (same shape as the detector's). */
export function hashedEventId(input: string): string {
  const hex = createHash('sha256').update(input).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
