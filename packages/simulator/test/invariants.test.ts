import type { SignallingSummary } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import {
  buildWorld,
  countryDistanceKm,
  DIAMETER_CATEGORY_2,
  DIAMETER_SCANNING_ERRORS,
  MAP_CATEGORY_1,
  MAP_CATEGORY_2,
  MAP_SCANNING_ERRORS,
  NEAR_MISS_SPEED_KMH,
  rangeOfGt,
  TRAVEL_SPEED_KMH,
} from '../src/index.js';
import { cachedRun, entityOf } from './support.js';

const world = buildWorld();
const realmPlmn = new Map<string, string>([
  ...world.reporters.map((r) => [r.realm, r.plmn] as const),
  ...world.partners.map((p) => [p.realm, p.plmn] as const),
]);

function plmnOfSource(rec: SignallingSummary): string | null {
  if (rec.protocol === 'DIAMETER') return realmPlmn.get(rec.originRealm) ?? null;
  return rangeOfGt(world, rec.callingGt)?.plmn ?? null;
}

function countryOfSource(rec: SignallingSummary): string {
  if (rec.protocol === 'DIAMETER') {
    const plmn = realmPlmn.get(rec.originRealm);
    const network = [...world.reporters, ...world.partners].find((n) => n.plmn === plmn);
    return network?.country ?? '?';
  }
  return rangeOfGt(world, rec.callingGt)?.country ?? '?';
}

describe('benign traffic invariants', () => {
  const { run, parsed } = cachedRun({ seed: 11, records: 30_000 });
  const campaignEntities = new Set(run.labels.campaigns.map((c) => c.entity));
  const benign = parsed.good.filter((rec) => !campaignEntities.has(entityOf(rec)));
  const nearIngress = world.sources.nearIngress.entity;

  it('each benign source uses one ingress label (the near-miss ingress switch aside)', () => {
    const labels = new Map<string, Set<string>>();
    for (const rec of benign) {
      const set = labels.get(entityOf(rec)) ?? new Set();
      set.add(rec.ingress ?? '(none)');
      labels.set(entityOf(rec), set);
    }
    const multi = [...labels].filter(([entity, set]) => set.size > 1 && entity !== nearIngress);
    expect(multi).toEqual([]);
    expect(labels.get(nearIngress)?.size).toBe(2);
  });

  it('SMS hubs follow SRI-SM with MT-ForwardSM within seconds, for most subscribers', () => {
    for (const hub of world.hubs) {
      for (const gt of hub.gts) {
        const records = benign.filter((rec) => rec.protocol === 'MAP' && rec.callingGt === gt);
        const sri = records.filter((rec) => rec.operation === 45);
        const mt = records.filter((rec) => rec.operation === 44);
        expect(sri.length).toBeGreaterThan(30);
        expect(mt.length / sri.length).toBeGreaterThan(0.8);
        expect(mt.length / sri.length).toBeLessThan(1);
        const sriTime = new Map(sri.map((rec) => [`${rec.reporter}|${rec.subscriber}`, rec.time]));
        for (const rec of mt) {
          const before = sriTime.get(`${rec.reporter}|${rec.subscriber}`);
          expect(before).toBeDefined();
          expect(rec.time - (before ?? 0)).toBeLessThanOrEqual(8000);
          expect(rec.time - (before ?? 0)).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('roamers travel at plausible speeds between country centroids', () => {
    const last = new Map<string, { country: string; time: number; entity: string }>();
    let moves = 0;
    let fastest = 0;
    const nearMissVlr = run.labels.nearMisses.find((n) => n.pattern === 'velocity')?.entity;
    for (const rec of benign) {
      const updating =
        rec.protocol === 'DIAMETER' ? rec.operation === 316 : rec.operation === 2 || rec.operation === 23;
      if (!updating || rec.result !== 'ok') continue;
      const key = `${rec.reporter}|${rec.subscriber}`;
      const country = countryOfSource(rec);
      const previous = last.get(key);
      if (previous !== undefined && previous.country !== country) {
        moves++;
        const kmh = countryDistanceKm(previous.country, country) / ((rec.time - previous.time) / 3_600_000);
        if (entityOf(rec) === nearMissVlr) expect(kmh).toBeCloseTo(NEAR_MISS_SPEED_KMH, -1);
        else {
          expect(kmh).toBeLessThan(TRAVEL_SPEED_KMH);
          fastest = Math.max(fastest, kmh);
        }
        expect(kmh).toBeLessThan(1000);
      }
      last.set(key, { country, time: rec.time, entity: entityOf(rec) });
    }
    expect(moves).toBeGreaterThan(0);
    expect(fastest).toBeLessThan(800);
  });

  it('location updates name a VLR of the calling GT’s own network, and Diameter peers their own PLMN', () => {
    let checked = 0;
    for (const rec of benign) {
      if (rec.protocol === 'MAP' && (rec.operation === 2 || rec.operation === 23)) {
        expect(rec.vlrGt).toBeDefined();
        expect(rangeOfGt(world, rec.vlrGt ?? '')?.plmn).toBe(rangeOfGt(world, rec.callingGt)?.plmn);
        checked++;
      }
      if (rec.protocol === 'DIAMETER' && (rec.operation === 316 || rec.operation === 318)) {
        expect(rec.visitedPlmn).toBe(realmPlmn.get(rec.originRealm));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('interconnect category-1 only under an agreement; category-2 only from the subscriber’s home network', () => {
    const allowed = (rec: SignallingSummary): boolean =>
      world.allowlist.some(
        (a) =>
          rec.protocol !== 'DIAMETER' &&
          rec.callingGt.startsWith(a.prefix) &&
          (a.reporter === '*' || a.reporter === rec.reporter) &&
          (a.operations === '*' || a.operations.includes(rec.operation)),
      );
    let category2 = 0;
    for (const rec of benign) {
      const source = plmnOfSource(rec);
      if (rec.direction !== 'in' || source === rec.reporter) continue;
      if (rec.protocol === 'MAP' && MAP_CATEGORY_1.has(rec.operation)) expect(allowed(rec)).toBe(true);
      if (rec.protocol === 'DIAMETER') expect(rec.application).toBe(16777251);
      const cat2 =
        rec.protocol === 'DIAMETER'
          ? DIAMETER_CATEGORY_2.has(rec.operation)
          : rec.protocol === 'MAP' && MAP_CATEGORY_2.has(rec.operation);
      if (cat2 && !allowed(rec)) {
        category2++;
        expect(rec.subscriberPlmn).toBe(source);
        expect(rec.subscriberPlmn).not.toBe(rec.reporter);
      }
    }
    expect(category2).toBeGreaterThan(100);
  });

  it('error rates stay normal: no benign source near 50 % scanning errors', () => {
    const bySource = new Map<string, { n: number; scanning: number }>();
    for (const rec of benign) {
      const codes = rec.protocol === 'DIAMETER' ? DIAMETER_SCANNING_ERRORS : MAP_SCANNING_ERRORS;
      const s = bySource.get(entityOf(rec)) ?? { n: 0, scanning: 0 };
      s.n++;
      if (rec.result === 'error' && rec.errorCode !== undefined && codes.has(rec.errorCode)) s.scanning++;
      bySource.set(entityOf(rec), s);
    }
    const nearScanning = world.sources.nearScanning.entity;
    for (const [entity, s] of bySource) {
      if (s.n < 50) continue;
      expect(s.scanning / s.n, entity).toBeLessThan(entity === nearScanning ? 0.45 : 0.15);
    }
  });

  it('Diameter IDR/CLR/DSR come from the subscriber’s home realm (or the reporter’s own, outbound)', () => {
    for (const rec of benign) {
      if (rec.protocol !== 'DIAMETER' || !DIAMETER_CATEGORY_2.has(rec.operation)) continue;
      expect(realmPlmn.get(rec.originRealm)).toBe(rec.subscriberPlmn);
      if (rec.direction === 'out')
        expect(rec.originRealm).toBe(world.reporters.find((r) => r.plmn === rec.reporter)?.realm);
    }
  });

  it('reporter-specific choices are stable: GB records carry a firewall verdict, US records an explicit count', () => {
    for (const line of run.lines.slice(0, 5000)) {
      if (line.includes('"reporter":"310-410"')) expect(line).toMatch(/"count":\d+/);
      if (line.includes('"reporter":"234-15"') && line.includes('"direction":"in"'))
        expect(line).toMatch(/"firewall":"(allow|monitor)"/);
    }
  });
});
