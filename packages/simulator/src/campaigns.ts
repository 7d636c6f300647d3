/**
 * Scripted traffic: one attack campaign per pattern (some patterns twice, e.g. MAP and Diameter), each from its
 * own source entity and labelled with every pattern it is expected to raise; and benign "near misses" that sit
 * just below a threshold, plus the bilateral-agreement traffic. Their size does not depend on the requested
 * volume; their position scales with the run's duration. Everything is built up front (a few thousand records).
 */
import {
  APPLICATION as APP,
  DIAMETER as D,
  DIAMETER_RESULT as DR,
  MAP as M,
  MAP_ERROR as ME,
  type Pattern,
  SSN,
} from './codes.js';
import { countryDistanceKm } from './geo.js';
import type { Population, ReporterCtx } from './population.js';
import { Rng } from './prng.js';
import { BENIGN, type FirewallVerdict, type Rec, type RecFields, type Result, recFrom } from './record.js';
import { type Partner, partnerByKey, type Reporter, reporterByKey, type ScriptedSource, type World } from './world.js';

export interface CampaignPlan {
  readonly id: string;
  readonly patterns: readonly Pattern[];
  readonly source: ScriptedSource;
  readonly reporter: Reporter;
  readonly description: string;
  readonly records: readonly Rec[];
}

export interface NearMiss {
  readonly pattern: Pattern;
  readonly entity: string;
}

export interface Script {
  readonly campaigns: readonly CampaignPlan[];
  /** Scripted benign records (near misses, agreements, the genuine location updates before a hijack). */
  readonly benign: readonly Rec[];
  readonly nearMisses: readonly NearMiss[];
  /** Source entities of scripted benign traffic. */
  readonly benignEntities: readonly string[];
}

const MINUTE = 60_000;

/** Near-miss speed for the velocity pattern: plausible for a jet, just under the 1000 km/h threshold. */
export const NEAR_MISS_SPEED_KMH = 850;

type Fields = RecFields;

interface Counter {
  next: number;
}

class Builder {
  readonly rng: Rng;
  readonly records: Rec[] = [];

  constructor(
    seed: number,
    readonly id: string,
    private readonly group: number,
    private readonly seq: Counter,
    readonly startMs: number,
    readonly durationMs: number,
  ) {
    this.rng = new Rng(seed, `script:${id}`);
  }

  /** Start of an activity of `lengthMs` placed at fraction `frac` of the run, with up to 4 min of seeded jitter. */
  place(frac: number, lengthMs: number): number {
    const wanted = frac * this.durationMs + this.rng.int(4 * MINUTE);
    const latest = this.durationMs - lengthMs - MINUTE;
    return this.startMs + Math.max(MINUTE, Math.min(wanted, latest));
  }

  /** `n` sorted uniform times in [t0, t0 + spanMs). */
  times(n: number, t0: number, spanMs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(t0 + this.rng.int(spanMs));
    return out.sort((a, b) => a - b);
  }

  /** Poisson arrivals at `perMinute` in [t0, t0 + spanMs). */
  poisson(perMinute: number, t0: number, spanMs: number): number[] {
    const out: number[] = [];
    let t = t0;
    for (;;) {
      t += this.rng.exp(MINUTE / perMinute);
      if (t >= t0 + spanMs) return out;
      out.push(Math.floor(t));
    }
  }

  add(t: number, r: Reporter, fields: Fields): Rec {
    const rec = recFrom(Math.floor(t), this.seq.next++, this.group, r, fields);
    this.records.push(rec);
    return rec;
  }
}

interface Env {
  readonly world: World;
  readonly pop: Population;
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly seq: Counter;
}

/** Campaign builders may add benign records too (the genuine location update before a hijack). */
interface BenignEnv extends Env {
  readonly benign: Rec[];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return rng.pick(items);
}

/** `n` distinct home-subscriber indices of a reporter. */
function victims(rng: Rng, pop: Population, rc: ReporterCtx, n: number): number[] {
  const set = new Set<number>();
  while (set.size < n) set.add(pop.homeIndex(rc, rng.next()));
  return [...set];
}

function firewallFor(r: Reporter, verdict: FirewallVerdict): FirewallVerdict | undefined {
  return r.firewall ? verdict : undefined;
}

function result(
  rng: Rng,
  okShare: number,
  errorCodes: readonly number[],
): { result: Result; errorCode: number | undefined } {
  if (rng.chance(okShare)) return { result: 'ok', errorCode: undefined };
  return { result: 'error', errorCode: pick(rng, errorCodes) };
}

// ---- campaigns ------------------------------------------------------------------------------------------------

type CampaignBuilder = (
  env: BenignEnv,
  b: Builder,
) => {
  reporter: Reporter;
  patterns: Pattern[];
  source: ScriptedSource;
  description: string;
};

const CAMPAIGNS: ReadonlyArray<readonly [string, CampaignBuilder]> = [
  [
    'cat1-map-tracking',
    (env, b) => {
      const src = env.world.sources.cat1Map;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const t0 = b.place(0.25, 26 * MINUTE);
      const targets = victims(b.rng, env.pop, rc, 12);
      const fw = firewallFor(r, 'monitor');
      targets.forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const hlr = r.hlrs[index % r.hlrs.length] as string;
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: hlr,
          ingress: src.ingress,
        };
        const subscriber = {
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          firewall: fw,
        };
        b.add(t, r, {
          ...common,
          ...subscriber,
          operation: M.sendImsi,
          result: 'ok',
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
        });
        const ati = result(b.rng, 0.8, [ME.atiNotAllowed]);
        b.add(t + 20_000 + b.rng.int(40_000), r, {
          ...common,
          ...subscriber,
          operation: M.anyTimeInterrogation,
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.hlr,
          ...ati,
          locationReturned: ati.result === 'ok',
        });
        if (i % 2 === 0) {
          b.add(t + 70_000 + b.rng.int(20_000), r, {
            ...common,
            ...subscriber,
            operation: M.sendRoutingInfo,
            result: 'ok',
            callingSsn: SSN.msc,
            calledSsn: SSN.hlr,
          });
        }
      });
      return {
        reporter: r,
        patterns: ['category-1'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'cat1-diameter-tracking',
    (env, b) => {
      const src = env.world.sources.cat1Diameter;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'us'));
      const r = rc.r;
      const t0 = b.place(0.3, 21 * MINUTE);
      victims(b.rng, env.pop, rc, 10).forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const common = {
          protocol: 'DIAMETER' as const,
          direction: 'in' as const,
          originRealm: src.entity,
          originHost: `as01.${src.entity}`,
          destinationRealm: r.realm,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        b.add(t, r, {
          ...common,
          operation: D.userData,
          application: APP.sh,
          result: 'ok',
          locationReturned: true,
        });
        if (i < 8) {
          const plr = result(b.rng, 0.75, [DR.userUnknown]);
          b.add(t + 30_000 + b.rng.int(30_000), r, {
            ...common,
            originHost: `gmlc01.${src.entity}`,
            operation: D.provideLocation,
            application: APP.slg,
            ...plr,
            locationReturned: plr.result === 'ok',
          });
        }
      });
      return {
        reporter: r,
        patterns: ['category-1'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'cat2-own-subscribers',
    (env, b) => {
      const src = env.world.sources.cat2Own;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'ca'));
      const r = rc.r;
      const t0 = b.place(0.35, 21 * MINUTE);
      victims(b.rng, env.pop, rc, 10).forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const vlr = r.vlrs[index % r.vlrs.length] as string;
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: vlr,
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        const psi = result(b.rng, 0.85, [ME.absentSubscriber]);
        b.add(t, r, {
          ...common,
          operation: M.provideSubscriberInfo,
          ...psi,
          locationReturned: psi.result === 'ok',
        });
        if (i < 6)
          b.add(t + 15_000, r, {
            ...common,
            operation: M.insertSubscriberData,
            result: 'ok',
          });
        if (i >= 4) {
          b.add(t + 40_000, r, {
            ...common,
            callingSsn: SSN.gmlc,
            calledSsn: SSN.msc,
            operation: M.provideSubscriberLocation,
            result: 'ok',
            locationReturned: true,
          });
        }
        if (i % 3 === 0)
          b.add(t + 60_000, r, {
            ...common,
            operation: M.deleteSubscriberData,
            result: 'ok',
          });
      });
      return {
        reporter: r,
        patterns: ['category-2'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'cat2-foreign-roamers',
    (env, b) => {
      const src = env.world.sources.cat2Roamer;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'au'));
      const r = rc.r;
      const home = partnerByKey(env.world, 'de');
      const t0 = b.place(0.4, 21 * MINUTE);
      for (let i = 0; i < 10; i++) {
        const index = b.rng.int(r.inboundRoamersPerPartner);
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: r.vlrs[index % r.vlrs.length] as string,
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
          ingress: src.ingress,
          subscriber: env.pop.inbound(rc, home, index),
          subscriberPlmn: home.plmn,
        };
        const psi = result(b.rng, 0.9, [ME.absentSubscriber]);
        b.add(t, r, {
          ...common,
          operation: M.provideSubscriberInfo,
          ...psi,
          locationReturned: psi.result === 'ok',
        });
        if (i % 2 === 0)
          b.add(t + 20_000, r, {
            ...common,
            operation: M.insertSubscriberData,
            result: 'ok',
          });
        else
          b.add(t + 20_000, r, {
            ...common,
            operation: M.cancelLocation,
            result: 'ok',
          });
      }
      return {
        reporter: r,
        patterns: ['category-2'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'velocity-hijack',
    (env, b) => {
      const src = env.world.sources.velocity;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const visited = partnerByKey(env.world, 'de');
      const fakeVlr = '639170000202';
      const t0 = b.place(0.45, 36 * MINUTE);
      for (let i = 0; i < 5; i++) {
        const index = r.outboundRoamers + i;
        const subscriber = env.pop.own(rc, index);
        const hlr = r.hlrs[index % r.hlrs.length] as string;
        const vlr = visited.vlrs[index % visited.vlrs.length] as string;
        const genuine = t0 + i * 6 * MINUTE + b.rng.int(MINUTE);
        // The roamer's genuine location update in Germany: benign traffic of the German VLR.
        env.benign.push(
          recFrom(genuine, env.seq.next++, BENIGN, r, {
            protocol: 'MAP',
            direction: 'in',
            operation: M.updateLocation,
            result: 'ok',
            callingGt: vlr,
            calledGt: hlr,
            callingSsn: SSN.vlr,
            calledSsn: SSN.hlr,
            ingress: visited.ingress,
            subscriber,
            subscriberPlmn: r.plmn,
            vlrGt: vlr,
          }),
        );
        const attack = genuine + 3 * MINUTE + b.rng.int(3 * MINUTE);
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: hlr,
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber,
          subscriberPlmn: r.plmn,
          firewall: firewallFor(r, 'monitor'),
        };
        b.add(attack, r, {
          ...common,
          operation: M.sendAuthenticationInfo,
          result: 'ok',
        });
        b.add(attack + 20_000 + b.rng.int(20_000), r, {
          ...common,
          operation: M.updateLocation,
          result: 'ok',
          vlrGt: fakeVlr,
        });
      }
      return {
        reporter: r,
        patterns: ['velocity'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'imsi-harvesting-sweep',
    (env, b) => {
      const src = env.world.sources.harvesting;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'us'));
      const r = rc.r;
      const t0 = b.place(0.55, 13 * MINUTE);
      const targets = victims(b.rng, env.pop, rc, 200);
      const times = b.times(240, t0, 12 * MINUTE);
      let mt = 0;
      times.forEach((t, i) => {
        const index = i < targets.length ? (targets[i] as number) : pick(b.rng, targets);
        const msc = r.vlrs[index % r.vlrs.length] as string;
        const sri = b.rng.chance(0.88)
          ? { result: 'ok' as const, errorCode: undefined }
          : b.rng.chance(0.8)
            ? {
                result: 'error' as const,
                errorCode: pick(b.rng, [ME.unknownSubscriber, ME.absentSubscriberSM]),
              }
            : { result: 'timeout' as const, errorCode: undefined };
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          callingSsn: SSN.msc,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          scAddress: src.entity,
        };
        b.add(t, r, {
          ...common,
          operation: M.sendRoutingInfoForSM,
          calledGt: r.hlrs[index % r.hlrs.length] as string,
          calledSsn: SSN.hlr,
          ...sri,
          vlrGt: sri.result === 'ok' ? msc : undefined,
        });
        // A token MT-ForwardSM now and then (4 %), as a cover.
        if (sri.result === 'ok' && i % 24 === 5 && mt < 10) {
          mt++;
          b.add(t + 2000, r, {
            ...common,
            operation: M.mtForwardSM,
            calledGt: msc,
            calledSsn: SSN.msc,
            result: 'ok',
          });
        }
      });
      return {
        reporter: r,
        patterns: ['imsi-harvesting'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'scanning-sri-sm',
    (env, b) => {
      const src = env.world.sources.scanningMap;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'nz'));
      const r = rc.r;
      const t0 = b.place(0.6, 5 * MINUTE);
      const base = b.rng.int(1_000_000);
      b.times(130, t0, 4 * MINUTE).forEach((t, i) => {
        const fails = i % 25 < 18; // 72 % unknown or absent
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.sendRoutingInfoForSM,
          callingGt: src.entity,
          calledGt: r.hlrs[i % r.hlrs.length] as string,
          callingSsn: SSN.msc,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.msisdn(rc, base + i * 7),
          subscriberPlmn: r.plmn,
          scAddress: src.entity,
          result: fails ? 'error' : 'ok',
          errorCode: fails ? (i % 5 === 0 ? ME.absentSubscriberSM : ME.unknownSubscriber) : undefined,
          vlrGt: fails ? undefined : (r.vlrs[i % r.vlrs.length] as string),
        });
      });
      return {
        reporter: r,
        patterns: ['scanning', 'imsi-harvesting'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'scanning-air',
    (env, b) => {
      const src = env.world.sources.scanningDiameter;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'ca'));
      const r = rc.r;
      const t0 = b.place(0.65, 5 * MINUTE);
      const base = r.homeEnd + b.rng.int(1_000_000);
      b.times(120, t0, 4 * MINUTE).forEach((t, i) => {
        const fails = i % 4 !== 3; // 75 %
        b.add(t, r, {
          protocol: 'DIAMETER',
          direction: 'in',
          operation: D.authenticationInformation,
          application: APP.s6a,
          originRealm: src.entity,
          originHost: `mme01.${src.entity}`,
          destinationRealm: r.realm,
          visitedPlmn: src.plmn ?? undefined,
          ingress: src.ingress,
          // Guessed IMSIs: most do not exist (indices past the subscriber base).
          subscriber: env.pop.own(rc, fails ? base + i * 13 : env.pop.homeIndex(rc, b.rng.next())),
          subscriberPlmn: r.plmn,
          result: fails ? 'error' : 'ok',
          errorCode: fails ? (i % 5 === 0 ? DR.unknownEpsSubscription : DR.userUnknown) : undefined,
        });
      });
      return {
        reporter: r,
        patterns: ['scanning'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'spoofed-vlr-update-location',
    (env, b) => {
      const src = env.world.sources.spoofVlr;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'nz'));
      const r = rc.r;
      const claimed = partnerByKey(env.world, 'de');
      const t0 = b.place(0.7, 16 * MINUTE);
      victims(b.rng, env.pop, rc, 8).forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: r.hlrs[index % r.hlrs.length] as string,
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        b.add(t, r, {
          ...common,
          operation: M.sendAuthenticationInfo,
          result: 'ok',
        });
        b.add(t + 15_000, r, {
          ...common,
          operation: M.updateLocation,
          result: 'ok',
          vlrGt: claimed.vlrs[i % claimed.vlrs.length] as string,
        });
      });
      return {
        reporter: r,
        patterns: ['gt-spoofing'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'spoofed-visited-plmn',
    (env, b) => {
      const src = env.world.sources.spoofVisitedPlmn;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'au'));
      const r = rc.r;
      const claimed = partnerByKey(env.world, 'de');
      const t0 = b.place(0.75, 16 * MINUTE);
      victims(b.rng, env.pop, rc, 8).forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const common = {
          protocol: 'DIAMETER' as const,
          direction: 'in' as const,
          application: APP.s6a,
          originRealm: src.entity,
          originHost: `mme01.${src.entity}`,
          destinationRealm: r.realm,
          visitedPlmn: claimed.plmn,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        b.add(t, r, {
          ...common,
          operation: D.authenticationInformation,
          result: 'ok',
        });
        b.add(t + 10_000, r, {
          ...common,
          operation: D.updateLocation,
          result: 'ok',
        });
      });
      return {
        reporter: r,
        patterns: ['gt-spoofing'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'ingress-switch',
    (env, b) => {
      const src = env.world.sources.spoofIngress;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const t0 = b.place(0.15, 58 * MINUTE);
      // 110 SRI-SM/MT-ForwardSM pairs over 50 min on the usual carrier (220 transactions, about 130 in the last
      // 30 minutes, so either reading of "≥ 100 transactions over ≥ 30 minutes" holds) ...
      b.times(110, t0, 50 * MINUTE).forEach((t) => {
        smsPair(env, b, rc, t, src.entity, src.ingress, true);
      });
      // ... then 20 SRI-SM without delivery through an unknown carrier.
      b.times(20, t0 + 51 * MINUTE, 6 * MINUTE).forEach((t) => {
        smsPair(env, b, rc, t, src.entity, 'ipx-carrier-x', false, 'monitor');
      });
      return {
        reporter: r,
        patterns: ['gt-spoofing'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'leased-range-tracking',
    (env, b) => {
      const src = env.world.sources.leasedRange;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'ca'));
      const r = rc.r;
      const t0 = b.place(0.8, 21 * MINUTE);
      victims(b.rng, env.pop, rc, 10).forEach((index, i) => {
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const hlr = r.hlrs[index % r.hlrs.length] as string;
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          calledGt: hlr,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        if (i < 4)
          b.add(t, r, {
            ...common,
            callingSsn: SSN.vlr,
            operation: M.sendImsi,
            result: 'ok',
          });
        const ati = result(b.rng, 0.8, [ME.atiNotAllowed]);
        b.add(t + 20_000, r, {
          ...common,
          callingSsn: SSN.gsmScf,
          operation: M.anyTimeInterrogation,
          ...ati,
          locationReturned: ati.result === 'ok',
        });
        if (i < 8)
          b.add(t + 50_000, r, {
            ...common,
            callingSsn: SSN.msc,
            operation: M.sendRoutingInfo,
            result: 'ok',
          });
      });
      return {
        reporter: r,
        patterns: ['category-1', 'gt-leasing'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'multi-country-tracking',
    (env, b) => {
      const src = env.world.sources.leasingCountries;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const homes = ['de', 'fr', 'es', 'in', 'za', 'br', 'jp', 'mx'].map((key) => partnerByKey(env.world, key));
      const t0 = b.place(0.85, 41 * MINUTE);
      const targets: Array<readonly [Partner, number]> = [];
      for (let round = 0; round < 6; round++)
        for (const p of homes) targets.push([p, b.rng.int(r.inboundRoamersPerPartner)]);
      b.times(targets.length, t0, 40 * MINUTE).forEach((t, i) => {
        const [p, index] = targets[i] as readonly [Partner, number];
        const psi = result(b.rng, 0.85, [ME.absentSubscriber]);
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.provideSubscriberInfo,
          callingGt: src.entity,
          calledGt: r.vlrs[index % r.vlrs.length] as string,
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
          ingress: src.ingress,
          subscriber: env.pop.inbound(rc, p, index),
          subscriberPlmn: p.plmn,
          ...psi,
          locationReturned: psi.result === 'ok',
          firewall: firewallFor(r, 'monitor'),
        });
      });
      return {
        reporter: r,
        patterns: ['category-2', 'gt-leasing'],
        source: src,
        description: src.description,
      };
    },
  ],
  [
    'volume-burst',
    (env, b) => {
      const src = env.world.sources.volume;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'au'));
      const r = rc.r;
      const t0 = b.place(0.05, 77 * MINUTE);
      volumeShape(env, b, rc, src, t0, 8, 480, 0.97);
      return {
        reporter: r,
        patterns: ['volume-anomaly'],
        source: src,
        description: src.description,
      };
    },
  ],
];

/** An SRI-SM (and, if `deliver`, its MT-ForwardSM 1–6 s later) from `source` for a home subscriber. */
function smsPair(
  env: Env,
  b: Builder,
  rc: ReporterCtx,
  t: number,
  source: string,
  ingress: string,
  deliver: boolean,
  firewall?: FirewallVerdict,
): void {
  const r = rc.r;
  const index = env.pop.homeIndex(rc, b.rng.next());
  const msc = r.vlrs[index % r.vlrs.length] as string;
  const common = {
    protocol: 'MAP' as const,
    direction: 'in' as const,
    callingGt: source,
    callingSsn: SSN.msc,
    ingress,
    subscriber: env.pop.own(rc, index),
    subscriberPlmn: r.plmn,
    scAddress: source,
    firewall: firewall === undefined ? undefined : firewallFor(r, firewall),
  };
  b.add(t, r, {
    ...common,
    operation: M.sendRoutingInfoForSM,
    calledGt: r.hlrs[index % r.hlrs.length] as string,
    calledSsn: SSN.hlr,
    result: 'ok',
    vlrGt: msc,
  });
  if (deliver)
    b.add(t + 1000 + b.rng.int(5000), r, {
      ...common,
      operation: M.mtForwardSM,
      calledGt: msc,
      calledSsn: SSN.msc,
      result: 'ok',
    });
}

/**
 * MT-ForwardSM from `src`: a Poisson baseline of `perMinute` for 60 min, `burst` messages inside one whole
 * minute (seconds 3–56 of a minute boundary), then 15 min of baseline again.
 */
function volumeShape(
  env: Env,
  b: Builder,
  rc: ReporterCtx,
  src: ScriptedSource,
  t0: number,
  perMinute: number,
  burst: number,
  okShare: number,
): void {
  const r = rc.r;
  const burstMinute = Math.ceil((t0 + 60 * MINUTE) / MINUTE) * MINUTE;
  const times = [
    ...b.poisson(perMinute, t0, burstMinute - t0),
    ...b.times(burst, burstMinute + 3000, 53_000),
    ...b.poisson(perMinute, burstMinute + MINUTE, 15 * MINUTE),
  ];
  for (const t of times) {
    const index = env.pop.homeIndex(rc, b.rng.next());
    const mt = result(b.rng, okShare, [ME.absentSubscriberSM, ME.smDeliveryFailure]);
    b.add(t, r, {
      protocol: 'MAP',
      direction: 'in',
      operation: M.mtForwardSM,
      callingGt: src.entity,
      calledGt: r.vlrs[index % r.vlrs.length] as string,
      callingSsn: SSN.msc,
      calledSsn: SSN.msc,
      ingress: src.ingress,
      subscriber: env.pop.own(rc, index),
      subscriberPlmn: r.plmn,
      scAddress: src.entity,
      ...mt,
    });
  }
}

// ---- near misses and agreements (benign) ------------------------------------------------------------------------

type NearMissBuilder = (env: BenignEnv, b: Builder) => NearMiss[];

const NEAR_MISSES: ReadonlyArray<readonly [string, NearMissBuilder]> = [
  [
    'near-harvest-count',
    (env, b) => {
      const src = env.world.sources.nearHarvestCount;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'us'));
      const r = rc.r;
      const t0 = b.place(0.3, 13 * MINUTE);
      const targets = victims(b.rng, env.pop, rc, 70);
      b.times(80, t0, 12 * MINUTE).forEach((t, i) => {
        const index = i < targets.length ? (targets[i] as number) : pick(b.rng, targets);
        const sri = result(b.rng, 0.95, [ME.absentSubscriberSM]);
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.sendRoutingInfoForSM,
          callingGt: src.entity,
          calledGt: r.hlrs[index % r.hlrs.length] as string,
          callingSsn: SSN.msc,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          scAddress: src.entity,
          ...sri,
          vlrGt: sri.result === 'ok' ? (r.vlrs[index % r.vlrs.length] as string) : undefined,
        });
      });
      return [{ pattern: 'imsi-harvesting', entity: src.entity }];
    },
  ],
  [
    'near-harvest-ratio',
    (env, b) => {
      const src = env.world.sources.nearHarvestRatio;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const t0 = b.place(0.5, 15 * MINUTE);
      const targets = victims(b.rng, env.pop, rc, 150);
      b.times(150, t0, 14 * MINUTE).forEach((t, i) => {
        const index = targets[i] as number;
        const delivered = i % 10 === 0 || i % 10 === 3 || i % 10 === 6; // exactly 30 %, evenly spread
        const sri = delivered
          ? { result: 'ok' as const, errorCode: undefined }
          : result(b.rng, 0.95, [ME.absentSubscriberSM]);
        const msc = r.vlrs[index % r.vlrs.length] as string;
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: src.entity,
          callingSsn: SSN.msc,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          scAddress: src.entity,
        };
        b.add(t, r, {
          ...common,
          operation: M.sendRoutingInfoForSM,
          calledGt: r.hlrs[index % r.hlrs.length] as string,
          calledSsn: SSN.hlr,
          ...sri,
          vlrGt: sri.result === 'ok' ? msc : undefined,
        });
        if (delivered)
          b.add(t + 1500, r, {
            ...common,
            operation: M.mtForwardSM,
            calledGt: msc,
            calledSsn: SSN.msc,
            result: 'ok',
          });
      });
      return [{ pattern: 'imsi-harvesting', entity: src.entity }];
    },
  ],
  [
    'near-scanning',
    (env, b) => {
      const src = env.world.sources.nearScanning;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'nz'));
      const r = rc.r;
      const t0 = b.place(0.62, 6 * MINUTE);
      const targets = victims(b.rng, env.pop, rc, 120);
      targets.forEach((index, i) => {
        const fails = i % 5 === 1 || i % 5 === 3; // exactly 40 %, evenly spread
        b.add(t0 + i * 2500, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.mtForwardSM,
          callingGt: src.entity,
          calledGt: r.vlrs[index % r.vlrs.length] as string,
          callingSsn: SSN.msc,
          calledSsn: SSN.msc,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          scAddress: src.entity,
          result: fails ? 'error' : 'ok',
          errorCode: fails ? (i % 2 === 0 ? ME.absentSubscriberSM : ME.absentSubscriber) : undefined,
        });
      });
      return [{ pattern: 'scanning', entity: src.entity }];
    },
  ],
  [
    'near-ingress-switch',
    (env, b) => {
      const src = env.world.sources.nearIngress;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'us'));
      const t0 = b.place(0.2, 52 * MINUTE);
      // 40 pairs (80 transactions) over 45 min, then a move to another carrier: below the 100-transaction history.
      b.times(40, t0, 45 * MINUTE).forEach((t) => {
        smsPair(env, b, rc, t, src.entity, src.ingress, true);
      });
      b.times(5, t0 + 46 * MINUTE, 5 * MINUTE).forEach((t) => {
        smsPair(env, b, rc, t, src.entity, 'ipx-carrier-h', true);
      });
      return [{ pattern: 'gt-spoofing', entity: src.entity }];
    },
  ],
  [
    'near-leasing',
    (env, b) => {
      const src = env.world.sources.nearLeasing;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const homes = ['de', 'fr', 'es', 'in'].map((key) => partnerByKey(env.world, key));
      const t0 = b.place(0.4, 51 * MINUTE);
      b.times(40, t0, 50 * MINUTE).forEach((t, i) => {
        const p = homes[i % homes.length] as Partner;
        const index = b.rng.int(r.inboundRoamersPerPartner);
        const psi = result(b.rng, 0.9, [ME.absentSubscriber]);
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.provideSubscriberInfo,
          callingGt: src.entity,
          calledGt: r.vlrs[index % r.vlrs.length] as string,
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.vlr,
          ingress: src.ingress,
          subscriber: env.pop.inbound(rc, p, index),
          subscriberPlmn: p.plmn,
          ...psi,
          locationReturned: psi.result === 'ok',
        });
      });
      return [{ pattern: 'gt-leasing', entity: src.entity }];
    },
  ],
  [
    'near-volume',
    (env, b) => {
      const src = env.world.sources.nearVolume;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'ca'));
      const t0 = b.place(0.1, 77 * MINUTE);
      volumeShape(env, b, rc, src, t0, 12, 190, 0.98);
      return [{ pattern: 'volume-anomaly', entity: src.entity }];
    },
  ],
  [
    'near-velocity',
    (env, b) => {
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      const index = r.outboundRoamers + 10;
      const from = partnerByKey(env.world, 'fr');
      const to = partnerByKey(env.world, 'es');
      const travelMs = Math.ceil((countryDistanceKm(from.country, to.country) / NEAR_MISS_SPEED_KMH) * 3_600_000);
      const t0 = b.place(0.5, travelMs + 3 * MINUTE);
      const hlr = r.hlrs[index % r.hlrs.length] as string;
      for (const [p, t] of [
        [from, t0],
        [to, t0 + travelMs],
      ] as const) {
        const vlr = p.vlrs[index % p.vlrs.length] as string;
        const common = {
          protocol: 'MAP' as const,
          direction: 'in' as const,
          callingGt: vlr,
          calledGt: hlr,
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
          ingress: p.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
        };
        b.add(t - 5000, r, {
          ...common,
          operation: M.sendAuthenticationInfo,
          result: 'ok',
        });
        b.add(t, r, {
          ...common,
          operation: M.updateLocation,
          result: 'ok',
          vlrGt: vlr,
        });
      }
      return [
        {
          pattern: 'velocity',
          entity: to.vlrs[index % to.vlrs.length] as string,
        },
      ];
    },
  ],
  [
    'agreement-ati',
    (env, b) => {
      const src = env.world.sources.allowedAti;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'gb'));
      const r = rc.r;
      b.times(60, env.startMs, env.durationMs).forEach((t) => {
        const index = env.pop.homeIndex(rc, b.rng.next());
        const ati = result(b.rng, 0.97, [ME.absentSubscriber]);
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: M.anyTimeInterrogation,
          callingGt: src.entity,
          calledGt: r.hlrs[index % r.hlrs.length] as string,
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          ...ati,
          locationReturned: ati.result === 'ok' ? b.rng.chance(0.7) : undefined,
        });
      });
      return [{ pattern: 'category-1', entity: src.entity }];
    },
  ],
  [
    'agreement-tasman',
    (env, b) => {
      const src = env.world.sources.allowedTasman;
      const rc = env.pop.ctxOf(reporterByKey(env.world, 'au'));
      const r = rc.r;
      b.times(40, env.startMs, env.durationMs).forEach((t, i) => {
        const index = env.pop.homeIndex(rc, b.rng.next());
        const psi = i % 2 === 0;
        const o = result(b.rng, 0.96, [ME.absentSubscriber]);
        b.add(t, r, {
          protocol: 'MAP',
          direction: 'in',
          operation: psi ? M.provideSubscriberInfo : M.anyTimeInterrogation,
          callingGt: src.entity,
          calledGt: psi ? (r.vlrs[index % r.vlrs.length] as string) : (r.hlrs[index % r.hlrs.length] as string),
          callingSsn: SSN.gsmScf,
          calledSsn: psi ? SSN.vlr : SSN.hlr,
          ingress: src.ingress,
          subscriber: env.pop.own(rc, index),
          subscriberPlmn: r.plmn,
          ...o,
          locationReturned: o.result === 'ok',
        });
      });
      return [{ pattern: 'category-2', entity: src.entity }];
    },
  ],
];

/** Builds every campaign and scripted benign record for a run. `seq` numbers them (and continues for benign). */
export function buildScript(
  world: World,
  pop: Population,
  seed: number,
  startMs: number,
  durationMs: number,
  seq: Counter,
): Script {
  const benign: Rec[] = [];
  const env: BenignEnv = { world, pop, seed, startMs, durationMs, seq, benign };
  const campaigns: CampaignPlan[] = CAMPAIGNS.map(([id, build], group) => {
    const b = new Builder(seed, id, group, seq, startMs, durationMs);
    const { reporter, patterns, source, description } = build(env, b);
    const records = b.records.sort((x, y) => x.time - y.time || x.seq - y.seq);
    return { id, patterns, source, reporter, description, records };
  });
  const nearMisses: NearMiss[] = [];
  for (const [id, build] of NEAR_MISSES) {
    const b = new Builder(seed, id, BENIGN, seq, startMs, durationMs);
    nearMisses.push(...build(env, b));
    benign.push(...b.records);
  }
  const benignEntities = new Set<string>();
  for (const rec of benign) benignEntities.add((rec.protocol === 'DIAMETER' ? rec.originRealm : rec.callingGt) ?? '');
  return {
    campaigns,
    benign,
    nearMisses,
    benignEntities: [...benignEntities].sort(),
  };
}
