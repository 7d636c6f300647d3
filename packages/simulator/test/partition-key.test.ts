import { describe, expect, it } from 'vitest';
import { partitionKey, simulate } from '../src/index.js';

describe('partitionKey', () => {
  it('keys MAP and CAP lines by calling GT and Diameter lines by origin realm', () => {
    expect(partitionKey('{"protocol":"MAP","callingGt":"22507600001","originRealm":"x"}')).toBe('22507600001');
    expect(partitionKey('{"protocol":"DIAMETER","originRealm":"epc.mnc020.mcc621.3gppnetwork.org"}')).toBe(
      'epc.mnc020.mcc621.3gppnetwork.org',
    );
  });

  it('gives null, not an exception, for lines that are not JSON or carry no usable source', () => {
    expect(partitionKey('{not json')).toBeNull();
    expect(partitionKey('null')).toBeNull();
    expect(partitionKey('{"protocol":"MAP","callingGt":7}')).toBeNull();
  });

  it('keys every valid simulated line', () => {
    const lines = [...simulate({ seed: 3, records: 5_000, badRate: 0 }).lines];
    expect(lines.every((line) => partitionKey(line) !== null)).toBe(true);
  });
});
