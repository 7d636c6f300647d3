import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jurisdictionFloor, loadRoutingPolicy, PolicyError, routingPolicy } from '../src/index.js';

describe('routing policy', () => {
  it('defaults to the five signatories with clear floors everywhere', () => {
    const policy = routingPolicy();
    expect(policy.jurisdictions).toEqual(['gb', 'us', 'ca', 'au', 'nz']);
    expect(policy.minimumTlp).toEqual({ shared: 'clear', state: 'clear', jurisdiction: 'clear', byJurisdiction: {} });
  });

  it('takes any lower-case ISO alpha-2 jurisdiction and per-jurisdiction floors', () => {
    const policy = routingPolicy({ jurisdictions: ['gb', 'ie'], minimumTlp: { jurisdiction: 'green', byJurisdiction: { ie: 'amber' } } });
    expect(jurisdictionFloor(policy, 'gb')).toBe('green');
    expect(jurisdictionFloor(policy, 'ie')).toBe('amber');
  });

  it('names the field of a bad value', () => {
    expect(() => routingPolicy({ jurisdictions: ['GB'] })).toThrow(/jurisdictions\.0: must be a lower-case ISO/);
    expect(() => routingPolicy({ minimumTlp: { shared: 'white' as never } })).toThrow(/minimumTlp\.shared/);
    expect(() => routingPolicy({ jurisdictions: ['gb', 'gb'] })).toThrow(/twice/);
    expect(() => routingPolicy({ extra: 1 } as never)).toThrow(PolicyError);
  });

  it('refuses a floor for a jurisdiction that has no topic', () => {
    expect(() => routingPolicy({ jurisdictions: ['gb'], minimumTlp: { byJurisdiction: { us: 'amber' } } })).toThrow(
      /minimumTlp\.byJurisdiction\.us: not a configured jurisdiction/,
    );
  });

  it('loads a JSON file and names the file and the field on errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gtwatch-policy-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ jurisdictions: ['au', 'nz'], minimumTlp: { shared: 'green' } }));
    const policy = await loadRoutingPolicy(good);
    expect(policy.jurisdictions).toEqual(['au', 'nz']);
    expect(policy.minimumTlp.shared).toBe('green');

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ minimumTlp: { jurisdiction: 'purple' } }));
    await expect(loadRoutingPolicy(bad)).rejects.toThrow(`${bad}: minimumTlp.jurisdiction`);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"jurisdictions": [');
    await expect(loadRoutingPolicy(broken)).rejects.toThrow(`${broken}: not valid JSON`);
    await expect(loadRoutingPolicy(join(dir, 'missing.json'))).rejects.toThrow('cannot read');
  });
});
