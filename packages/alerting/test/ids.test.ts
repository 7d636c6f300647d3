import { describe, expect, it } from 'vitest';
import { canonicalJson, scoId, uuidv5 } from '../src/index.js';

describe('deterministic ids', () => {
  it('reproduce the STIX 2.1 specification example for ipv4-addr 198.51.100.3', () => {
    expect(scoId('ipv4-addr', { value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
  });

  it('reproduce the RFC 4122 / Python uuid5(NAMESPACE_DNS, "python.org") value', () => {
    expect(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('canonicalise key order away, so the same properties give the same id', () => {
    expect(canonicalJson({ numbering_plan: 'e164', value: '44' })).toBe('{"numbering_plan":"e164","value":"44"}');
    expect(scoId('x', { a: '1', b: '2' })).toBe(scoId('x', { b: '2', a: '1' }));
    expect(canonicalJson([1, 'a\u2028', null, true])).toBe('[1,"a\u2028",null,true]');
  });
});
