import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  countryOfGt,
  countryOfPlmn,
  createNumbering,
  loadReferenceDataFromStrings,
  plmnOfRealm,
} from '@gtwatch/numbering';
import { describe, expect, it } from 'vitest';
import { buildWorld, hasCentroid, referenceFiles, writeReferenceFiles } from '../src/index.js';
import { cachedRun, entityOf } from './support.js';

describe('labels', () => {
  const { run, parsed } = cachedRun({
    seed: 12,
    records: 20_000,
    badRate: 0.02,
  });
  const { labels } = run;

  it('counts records and bad records', () => {
    expect(labels.records).toBe(run.lines.length);
    expect(labels.badRecords).toBe(run.lines.length - parsed.good.length);
    expect(labels.seed).toBe(12);
    expect(labels.reporters).toEqual(['234-15', '310-410', '302-720', '505-01', '530-01']);
  });

  it('match the lines: campaign entities, record counts, first and last times', () => {
    for (const campaign of labels.campaigns) {
      const records = parsed.good.filter((rec) => entityOf(rec) === campaign.entity);
      expect(records.length, campaign.id).toBe(campaign.records);
      expect(campaign.records, campaign.id).toBeGreaterThan(0);
      expect(Math.min(...records.map((r) => r.time)), campaign.id).toBe(Date.parse(campaign.start));
      expect(Math.max(...records.map((r) => r.time)), campaign.id).toBe(Date.parse(campaign.end));
      expect(new Set(records.map((r) => r.reporter)), campaign.id).toEqual(new Set([campaign.reporter]));
      for (const rec of records) expect(rec.protocol === 'DIAMETER' ? 'realm' : 'gt').toBe(campaign.entityType);
    }
    expect(new Set(labels.campaigns.map((c) => c.entity)).size).toBe(labels.campaigns.length);
  });

  it('list every benign source that appeared, and nothing else', () => {
    const campaigns = new Set(labels.campaigns.map((c) => c.entity));
    const seen = new Set(parsed.good.map(entityOf).filter((entity) => !campaigns.has(entity)));
    expect([...seen].sort()).toEqual(labels.benignEntities);
    for (const entity of labels.benignEntities) expect(campaigns.has(entity)).toBe(false);
  });

  it('campaign parameters sit over the thresholds but not absurdly', () => {
    const byId = new Map(labels.campaigns.map((c) => [c.id, c]));
    expect(byId.get('imsi-harvesting-sweep')?.records).toBeGreaterThanOrEqual(150);
    expect(byId.get('imsi-harvesting-sweep')?.records).toBeLessThanOrEqual(400);
    expect(byId.get('scanning-sri-sm')?.records).toBeLessThanOrEqual(200);
    const volume = byId.get('volume-burst');
    expect(volume?.records).toBeGreaterThan(900);
    expect(volume?.records).toBeLessThan(1500);
  });
});

describe('reference files', () => {
  const world = buildWorld();
  const files = referenceFiles(world);

  it('have exactly the detection-v1 headers', () => {
    expect(files['gt-ranges.csv'].split('\n')[0]).toBe('prefix,plmn,operator,country,leased');
    expect(files['realms.csv'].split('\n')[0]).toBe('realm,plmn,operator,country');
    expect(files['allowlist.csv'].split('\n')[0]).toBe('prefix,reporter,operations');
    expect(files['allowlist.csv']).toContain('\n336100000402,234-15,71\n');
    expect(files['allowlist.csv']).toContain(',505-01,70;71\n');
    expect(files['gt-ranges.csv']).toMatch(/\n447893699,234-57,.*,GB,true\n/);
  });

  it('load with @gtwatch/numbering and agree with the E.164 and E.212 numbering plans', () => {
    const reference = loadReferenceDataFromStrings(files);
    expect(reference.gtRanges).toHaveLength(world.gtRanges.length);
    expect(reference.realms).toHaveLength(world.realms.length);
    expect(reference.allowlist).toHaveLength(world.allowlist.length);
    for (const range of world.gtRanges) {
      expect(countryOfGt(range.prefix).country, range.prefix).toBe(range.country);
      if (range.plmn !== null) expect(countryOfPlmn(range.plmn), range.plmn).toBe(range.country);
      expect(hasCentroid(range.country)).toBe(true);
    }
    for (const network of [...world.reporters, ...world.partners]) {
      if (!network.realmListed) expect(plmnOfRealm(network.realm)).toBe(network.plmn);
    }
  });

  it('resolve every source of the output the way the world intends', () => {
    const { parsed } = cachedRun({ seed: 11, records: 30_000 });
    const numbering = createNumbering(loadReferenceDataFromStrings(files));
    const unlisted = new Set([world.sources.cat2Roamer.entity, world.sources.scanningMap.entity]);
    const sources = new Map(Object.values(world.sources).map((s) => [s.entity, s]));
    for (const rec of parsed.good) {
      if (rec.protocol === 'DIAMETER') {
        const realm = numbering.resolveRealm(rec.originRealm);
        expect(realm.plmn, rec.originRealm).not.toBeNull();
        continue;
      }
      const gt = numbering.resolveGt(rec.callingGt);
      if (unlisted.has(rec.callingGt)) expect(gt.prefix).toBeNull();
      else expect(gt.prefix, rec.callingGt).not.toBeNull();
      const scripted = sources.get(rec.callingGt);
      if (scripted !== undefined) {
        expect(gt.country).toBe(scripted.country);
        if (scripted.plmn !== null) expect(gt.plmn).toBe(scripted.plmn);
      }
      expect(numbering.resolveGt(rec.calledGt).country).not.toBeNull();
    }
  });

  it('are written to a directory by writeReferenceFiles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gtwatch-ref-'));
    try {
      await writeReferenceFiles(world, join(dir, 'nested'));
      expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['allowlist.csv', 'gt-ranges.csv', 'realms.csv']);
      expect(await readFile(join(dir, 'nested', 'gt-ranges.csv'), 'utf8')).toBe(files['gt-ranges.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
