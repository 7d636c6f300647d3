import { describe, expect, it } from 'vitest';
import { PATTERNS } from '../src/index.js';
import { DEFAULT_VARIANT, detect, type OracleVariant } from './oracle.js';
import { cachedRun } from './support.js';

/**
 * The labels are checked against a reference reading of detection-v1.md (oracle.ts): each campaign raises exactly
 * the patterns it lists, every pattern is covered, and benign sources (near misses included) raise nothing.
 */
describe.each([
  { seed: 21, records: 40_000 },
  { seed: 'demo', records: 150_000, durationMinutes: 180 },
])('labels agree with detection-v1 ($seed, $records records)', (options) => {
  const { run, parsed } = cachedRun(options);
  const raised = detect(run.world, parsed.good);

  it('each campaign raises exactly its labelled patterns', () => {
    for (const campaign of run.labels.campaigns) {
      expect([...(raised.get(campaign.entity) ?? [])].sort(), campaign.id).toEqual([...campaign.patterns].sort());
    }
  });

  it('covers every pattern', () => {
    const covered = new Set(run.labels.campaigns.flatMap((c) => c.patterns));
    expect([...covered].sort()).toEqual([...PATTERNS].sort());
  });

  it('benign sources, near misses included, raise nothing', () => {
    const noisy = run.labels.benignEntities
      .filter((entity) => raised.has(entity))
      .map((entity) => `${entity}: ${[...(raised.get(entity) ?? [])].join(',')}`);
    expect(noisy).toEqual([]);
    const labelled = new Set([...run.labels.benignEntities, ...run.labels.campaigns.map((c) => c.entity)]);
    expect([...raised.keys()].filter((entity) => !labelled.has(entity))).toEqual([]);
  });

  it.each<[string, OracleVariant]>([
    ['windows per reporter', { ...DEFAULT_VARIANT, perReporter: true }],
    ['ingress history counted over the last 30 minutes', { ...DEFAULT_VARIANT, ingress: 'recent' }],
    [
      'a fast volume baseline that skips empty minutes',
      { ...DEFAULT_VARIANT, volumeAlpha: 0.3, volumeSkipEmpty: true },
    ],
  ])('gives the same verdicts under another reading of the contract: %s', (_, variant) => {
    const other = detect(run.world, parsed.good, variant);
    for (const campaign of run.labels.campaigns) {
      expect([...(other.get(campaign.entity) ?? [])].sort(), campaign.id).toEqual([...campaign.patterns].sort());
    }
    expect(run.labels.benignEntities.filter((entity) => other.has(entity))).toEqual([]);
  });

  it('labels a near miss per pattern where one is meaningful', () => {
    expect(new Set(run.labels.nearMisses.map((n) => n.pattern))).toEqual(new Set(PATTERNS));
    for (const near of run.labels.nearMisses) expect(run.labels.benignEntities, near.pattern).toContain(near.entity);
  });
});
