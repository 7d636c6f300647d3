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
import { BENIGN, type FirewallVerdict, type Rec, recFrom } from './record.js';
import {
  Builder,
  type Counter,
  diameterIn,
  firewallFor,
  inboundRoamer,
  locationQuery,
  locationUpdate,
  MINUTE,
  mapIn,
  mtForwardSm,
  nth,
  OK,
  type Outcome,
  outcome,
  ownSubscriber,
  pick,
  type Sender,
  smsFrom,
  sriForSm,
  victims,
} from './script-records.js';
import {
  type Partner,
  partnerByKey,
  type Reporter,
  reporterByKey,
  type ScriptedSource,
  type ScriptedSourceKey,
  type World,
} from './world.js';

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

/** Near-miss speed for the velocity pattern: plausible for a jet, just under the 1000 km/h threshold. */
export const NEAR_MISS_SPEED_KMH = 850;

interface Env {
  readonly world: World;
  readonly pop: Population;
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly seq: Counter;
  /** Campaigns may add benign records too (the genuine location update before a hijack). */
  readonly benign: Rec[];
}

/** What a script writes with: its builder, and the reporting operator whose records it writes. */
interface Scene {
  readonly env: Env;
  readonly pop: Population;
  readonly b: Builder;
  readonly rc: ReporterCtx;
  readonly r: Reporter;
}

interface CampaignScript {
  readonly id: string;
  readonly source: ScriptedSourceKey;
  /** Key of the reporting operator that sees the campaign. */
  readonly reporter: string;
  readonly patterns: readonly Pattern[];
  readonly build: (scene: Scene, src: ScriptedSource) => void;
}

interface NearMissScript {
  readonly id: string;
  readonly reporter: string;
  /** Writes the benign records; returns what the detector must not flag. */
  readonly build: (scene: Scene) => NearMiss;
}

// ---- campaigns ------------------------------------------------------------------------------------------------

const CAMPAIGNS: readonly CampaignScript[] = [
  {
    id: 'cat1-map-tracking',
    source: 'cat1Map',
    reporter: 'gb',
    patterns: ['category-1'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.25, 26 * MINUTE);
      const targets = victims(b.rng, pop, rc, 12);
      const fw = firewallFor(r, 'monitor');
      b.everyTwoMinutes(t0, targets, (index, t, i) => {
        const common = { ...mapIn(src, ownSubscriber(pop, rc, index)), calledGt: nth(r.hlrs, index), firewall: fw };
        b.add(t, { ...common, operation: M.sendImsi, result: 'ok', callingSsn: SSN.vlr, calledSsn: SSN.hlr });
        const ati = locationQuery(b.rng, 0.8, [ME.atiNotAllowed]);
        b.add(t + 20_000 + b.rng.int(40_000), {
          ...common,
          operation: M.anyTimeInterrogation,
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.hlr,
          ...ati,
        });
        if (i % 2 === 0) {
          b.add(t + 70_000 + b.rng.int(20_000), {
            ...common,
            operation: M.sendRoutingInfo,
            result: 'ok',
            callingSsn: SSN.msc,
            calledSsn: SSN.hlr,
          });
        }
      });
    },
  },
  {
    id: 'cat1-diameter-tracking',
    source: 'cat1Diameter',
    reporter: 'us',
    patterns: ['category-1'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.3, 21 * MINUTE);
      b.everyTwoMinutes(t0, victims(b.rng, pop, rc, 10), (index, t, i) => {
        const common = diameterIn(src, 'as01', r, ownSubscriber(pop, rc, index));
        b.add(t, { ...common, operation: D.userData, application: APP.sh, result: 'ok', locationReturned: true });
        if (i < 8) {
          const plr = locationQuery(b.rng, 0.75, [DR.userUnknown]);
          b.add(t + 30_000 + b.rng.int(30_000), {
            ...common,
            originHost: `gmlc01.${src.entity}`,
            operation: D.provideLocation,
            application: APP.slg,
            ...plr,
          });
        }
      });
    },
  },
  {
    id: 'cat2-own-subscribers',
    source: 'cat2Own',
    reporter: 'ca',
    patterns: ['category-2'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.35, 21 * MINUTE);
      b.everyTwoMinutes(t0, victims(b.rng, pop, rc, 10), (index, t, i) => {
        const common = {
          ...mapIn(src, ownSubscriber(pop, rc, index)),
          calledGt: nth(r.vlrs, index),
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
        };
        const psi = locationQuery(b.rng, 0.85, [ME.absentSubscriber]);
        b.add(t, { ...common, operation: M.provideSubscriberInfo, ...psi });
        if (i < 6) b.add(t + 15_000, { ...common, operation: M.insertSubscriberData, result: 'ok' });
        if (i >= 4) {
          b.add(t + 40_000, {
            ...common,
            callingSsn: SSN.gmlc,
            calledSsn: SSN.msc,
            operation: M.provideSubscriberLocation,
            result: 'ok',
            locationReturned: true,
          });
        }
        if (i % 3 === 0) b.add(t + 60_000, { ...common, operation: M.deleteSubscriberData, result: 'ok' });
      });
    },
  },
  {
    id: 'cat2-foreign-roamers',
    source: 'cat2Roamer',
    reporter: 'au',
    patterns: ['category-2'],
    build: ({ pop, b, rc, r, env }, src) => {
      const home = partnerByKey(env.world, 'de');
      const t0 = b.place(0.4, 21 * MINUTE);
      for (let i = 0; i < 10; i++) {
        const index = b.rng.int(r.inboundRoamersPerPartner);
        const t = t0 + i * 2 * MINUTE + b.rng.int(MINUTE);
        const common = {
          ...mapIn(src, inboundRoamer(pop, rc, home, index)),
          calledGt: nth(r.vlrs, index),
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
        };
        const psi = locationQuery(b.rng, 0.9, [ME.absentSubscriber]);
        b.add(t, { ...common, operation: M.provideSubscriberInfo, ...psi });
        b.add(t + 20_000, {
          ...common,
          operation: i % 2 === 0 ? M.insertSubscriberData : M.cancelLocation,
          result: 'ok',
        });
      }
    },
  },
  {
    id: 'velocity-hijack',
    source: 'velocity',
    reporter: 'gb',
    patterns: ['velocity'],
    build: ({ pop, b, rc, r, env }, src) => {
      const visited = partnerByKey(env.world, 'de');
      const fakeVlr = '639170000202';
      const t0 = b.place(0.45, 36 * MINUTE);
      for (let i = 0; i < 5; i++) {
        const index = r.outboundRoamers + i;
        const subscriber = ownSubscriber(pop, rc, index);
        const hlr = nth(r.hlrs, index);
        const vlr = nth(visited.vlrs, index);
        const genuine = t0 + i * 6 * MINUTE + b.rng.int(MINUTE);
        // The roamer's genuine location update in Germany: benign traffic of the German VLR.
        env.benign.push(
          recFrom(genuine, env.seq.next++, BENIGN, r, {
            ...mapIn({ entity: vlr, ingress: visited.ingress }, subscriber),
            operation: M.updateLocation,
            result: 'ok',
            calledGt: hlr,
            callingSsn: SSN.vlr,
            calledSsn: SSN.hlr,
            vlrGt: vlr,
          }),
        );
        const attack = genuine + 3 * MINUTE + b.rng.int(3 * MINUTE);
        const common = {
          ...mapIn(src, subscriber),
          calledGt: hlr,
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
          firewall: firewallFor(r, 'monitor'),
        };
        locationUpdate(b, attack, attack + 20_000 + b.rng.int(20_000), common, fakeVlr);
      }
    },
  },
  {
    id: 'imsi-harvesting-sweep',
    source: 'harvesting',
    reporter: 'us',
    patterns: ['imsi-harvesting'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.55, 13 * MINUTE);
      const targets = victims(b.rng, pop, rc, 200);
      const times = b.times(240, t0, 12 * MINUTE);
      let mt = 0;
      times.forEach((t, i) => {
        const index = i < targets.length ? (targets[i] as number) : pick(b.rng, targets);
        const msc = nth(r.vlrs, index);
        const sri: Outcome = b.rng.chance(0.88)
          ? OK
          : b.rng.chance(0.8)
            ? { result: 'error', errorCode: pick(b.rng, [ME.unknownSubscriber, ME.absentSubscriberSM]) }
            : { result: 'timeout', errorCode: undefined };
        const sms = smsFrom(src, ownSubscriber(pop, rc, index));
        sriForSm(b, t, sms, index, sri, msc);
        // A token MT-ForwardSM now and then (4 %), as a cover.
        if (sri.result === 'ok' && i % 24 === 5 && mt < 10) {
          mt++;
          mtForwardSm(b, t + 2000, sms, msc);
        }
      });
    },
  },
  {
    id: 'scanning-sri-sm',
    source: 'scanningMap',
    reporter: 'nz',
    patterns: ['scanning', 'imsi-harvesting'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.6, 5 * MINUTE);
      const base = b.rng.int(1_000_000);
      b.times(130, t0, 4 * MINUTE).forEach((t, i) => {
        const fails = i % 25 < 18; // 72 % unknown or absent
        const probed = { subscriber: pop.msisdn(rc, base + i * 7), subscriberPlmn: r.plmn };
        const sri: Outcome = fails
          ? { result: 'error', errorCode: i % 5 === 0 ? ME.absentSubscriberSM : ME.unknownSubscriber }
          : OK;
        sriForSm(b, t, smsFrom(src, probed), i, sri, nth(r.vlrs, i));
      });
    },
  },
  {
    id: 'scanning-air',
    source: 'scanningDiameter',
    reporter: 'ca',
    patterns: ['scanning'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.65, 5 * MINUTE);
      const base = r.homeEnd + b.rng.int(1_000_000);
      b.times(120, t0, 4 * MINUTE).forEach((t, i) => {
        const fails = i % 4 !== 3; // 75 %
        // Guessed IMSIs: most do not exist (indices past the subscriber base).
        const index = fails ? base + i * 13 : pop.homeIndex(rc, b.rng.next());
        b.add(t, {
          ...diameterIn(src, 'mme01', r, ownSubscriber(pop, rc, index)),
          operation: D.authenticationInformation,
          application: APP.s6a,
          visitedPlmn: src.plmn ?? undefined,
          result: fails ? 'error' : 'ok',
          errorCode: fails ? (i % 5 === 0 ? DR.unknownEpsSubscription : DR.userUnknown) : undefined,
        });
      });
    },
  },
  {
    id: 'spoofed-vlr-update-location',
    source: 'spoofVlr',
    reporter: 'nz',
    patterns: ['gt-spoofing'],
    build: ({ pop, b, rc, r, env }, src) => {
      const claimed = partnerByKey(env.world, 'de');
      const t0 = b.place(0.7, 16 * MINUTE);
      b.everyTwoMinutes(t0, victims(b.rng, pop, rc, 8), (index, t, i) => {
        const common = {
          ...mapIn(src, ownSubscriber(pop, rc, index)),
          calledGt: nth(r.hlrs, index),
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
        };
        locationUpdate(b, t, t + 15_000, common, nth(claimed.vlrs, i));
      });
    },
  },
  {
    id: 'spoofed-visited-plmn',
    source: 'spoofVisitedPlmn',
    reporter: 'au',
    patterns: ['gt-spoofing'],
    build: ({ pop, b, rc, r, env }, src) => {
      const claimed = partnerByKey(env.world, 'de');
      const t0 = b.place(0.75, 16 * MINUTE);
      b.everyTwoMinutes(t0, victims(b.rng, pop, rc, 8), (index, t) => {
        const common = {
          ...diameterIn(src, 'mme01', r, ownSubscriber(pop, rc, index)),
          application: APP.s6a,
          visitedPlmn: claimed.plmn,
        };
        b.add(t, { ...common, operation: D.authenticationInformation, result: 'ok' });
        b.add(t + 10_000, { ...common, operation: D.updateLocation, result: 'ok' });
      });
    },
  },
  {
    id: 'ingress-switch',
    source: 'spoofIngress',
    reporter: 'gb',
    patterns: ['gt-spoofing'],
    build: (scene, src) => {
      const { b } = scene;
      const t0 = b.place(0.15, 58 * MINUTE);
      // 110 SRI-SM/MT-ForwardSM pairs over 50 min on the usual carrier (220 transactions, about 130 in the last
      // 30 minutes, so either reading of "≥ 100 transactions over ≥ 30 minutes" holds) ...
      b.times(110, t0, 50 * MINUTE).forEach((t) => {
        smsPair(scene, t, src, true);
      });
      // ... then 20 SRI-SM without delivery through an unknown carrier.
      b.times(20, t0 + 51 * MINUTE, 6 * MINUTE).forEach((t) => {
        smsPair(scene, t, { entity: src.entity, ingress: 'ipx-carrier-x' }, false, 'monitor');
      });
    },
  },
  {
    id: 'leased-range-tracking',
    source: 'leasedRange',
    reporter: 'ca',
    patterns: ['category-1', 'gt-leasing'],
    build: ({ pop, b, rc, r }, src) => {
      const t0 = b.place(0.8, 21 * MINUTE);
      b.everyTwoMinutes(t0, victims(b.rng, pop, rc, 10), (index, t, i) => {
        const common = { ...mapIn(src, ownSubscriber(pop, rc, index)), calledGt: nth(r.hlrs, index), calledSsn: SSN.hlr };
        if (i < 4) b.add(t, { ...common, callingSsn: SSN.vlr, operation: M.sendImsi, result: 'ok' });
        const ati = locationQuery(b.rng, 0.8, [ME.atiNotAllowed]);
        b.add(t + 20_000, { ...common, callingSsn: SSN.gsmScf, operation: M.anyTimeInterrogation, ...ati });
        if (i < 8) b.add(t + 50_000, { ...common, callingSsn: SSN.msc, operation: M.sendRoutingInfo, result: 'ok' });
      });
    },
  },
  {
    id: 'multi-country-tracking',
    source: 'leasingCountries',
    reporter: 'gb',
    patterns: ['category-2', 'gt-leasing'],
    build: ({ pop, b, rc, r, env }, src) => {
      const homes = ['de', 'fr', 'es', 'in', 'za', 'br', 'jp', 'mx'].map((key) => partnerByKey(env.world, key));
      const t0 = b.place(0.85, 41 * MINUTE);
      const targets: Array<readonly [Partner, number]> = [];
      for (let round = 0; round < 6; round++)
        for (const p of homes) targets.push([p, b.rng.int(r.inboundRoamersPerPartner)]);
      b.times(targets.length, t0, 40 * MINUTE).forEach((t, i) => {
        const [p, index] = targets[i] as readonly [Partner, number];
        const psi = locationQuery(b.rng, 0.85, [ME.absentSubscriber]);
        b.add(t, {
          ...mapIn(src, inboundRoamer(pop, rc, p, index)),
          operation: M.provideSubscriberInfo,
          calledGt: nth(r.vlrs, index),
          callingSsn: SSN.hlr,
          calledSsn: SSN.vlr,
          ...psi,
          firewall: firewallFor(r, 'monitor'),
        });
      });
    },
  },
  {
    id: 'volume-burst',
    source: 'volume',
    reporter: 'au',
    patterns: ['volume-anomaly'],
    build: (scene, src) => {
      const t0 = scene.b.place(0.05, 77 * MINUTE);
      volumeShape(scene, src, t0, 8, 480, 0.97);
    },
  },
];

/** An SRI-SM (and, if `deliver`, its MT-ForwardSM 1–6 s later) from `from` for a home subscriber. */
function smsPair(
  { pop, b, rc, r }: Scene,
  t: number,
  from: Sender,
  deliver: boolean,
  firewall?: FirewallVerdict,
): void {
  const index = pop.homeIndex(rc, b.rng.next());
  const msc = nth(r.vlrs, index);
  const sms = {
    ...smsFrom(from, ownSubscriber(pop, rc, index)),
    firewall: firewall === undefined ? undefined : firewallFor(r, firewall),
  };
  sriForSm(b, t, sms, index, OK, msc);
  if (deliver) mtForwardSm(b, t + 1000 + b.rng.int(5000), sms, msc);
}

/**
 * MT-ForwardSM from `src`: a Poisson baseline of `perMinute` for 60 min, `burst` messages inside one whole
 * minute (seconds 3–56 of a minute boundary), then 15 min of baseline again.
 */
function volumeShape(
  { pop, b, rc, r }: Scene,
  src: ScriptedSource,
  t0: number,
  perMinute: number,
  burst: number,
  okShare: number,
): void {
  const burstMinute = Math.ceil((t0 + 60 * MINUTE) / MINUTE) * MINUTE;
  const times = [
    ...b.poisson(perMinute, t0, burstMinute - t0),
    ...b.times(burst, burstMinute + 3000, 53_000),
    ...b.poisson(perMinute, burstMinute + MINUTE, 15 * MINUTE),
  ];
  for (const t of times) {
    const index = pop.homeIndex(rc, b.rng.next());
    const mt = outcome(b.rng, okShare, [ME.absentSubscriberSM, ME.smDeliveryFailure]);
    mtForwardSm(b, t, smsFrom(src, ownSubscriber(pop, rc, index)), nth(r.vlrs, index), mt);
  }
}

// ---- near misses and agreements (benign) ------------------------------------------------------------------------

const NEAR_MISSES: readonly NearMissScript[] = [
  {
    id: 'near-harvest-count',
    reporter: 'us',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.nearHarvestCount;
      const t0 = b.place(0.3, 13 * MINUTE);
      const targets = victims(b.rng, pop, rc, 70);
      b.times(80, t0, 12 * MINUTE).forEach((t, i) => {
        const index = i < targets.length ? (targets[i] as number) : pick(b.rng, targets);
        const sri = outcome(b.rng, 0.95, [ME.absentSubscriberSM]);
        sriForSm(b, t, smsFrom(src, ownSubscriber(pop, rc, index)), index, sri, nth(r.vlrs, index));
      });
      return { pattern: 'imsi-harvesting', entity: src.entity };
    },
  },
  {
    id: 'near-harvest-ratio',
    reporter: 'gb',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.nearHarvestRatio;
      const t0 = b.place(0.5, 15 * MINUTE);
      const targets = victims(b.rng, pop, rc, 150);
      b.times(150, t0, 14 * MINUTE).forEach((t, i) => {
        const index = targets[i] as number;
        const delivered = i % 10 === 0 || i % 10 === 3 || i % 10 === 6; // exactly 30 %, evenly spread
        const sri = delivered ? OK : outcome(b.rng, 0.95, [ME.absentSubscriberSM]);
        const msc = nth(r.vlrs, index);
        const sms = smsFrom(src, ownSubscriber(pop, rc, index));
        sriForSm(b, t, sms, index, sri, msc);
        if (delivered) mtForwardSm(b, t + 1500, sms, msc);
      });
      return { pattern: 'imsi-harvesting', entity: src.entity };
    },
  },
  {
    id: 'near-scanning',
    reporter: 'nz',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.nearScanning;
      const t0 = b.place(0.62, 6 * MINUTE);
      const targets = victims(b.rng, pop, rc, 120);
      targets.forEach((index, i) => {
        const fails = i % 5 === 1 || i % 5 === 3; // exactly 40 %, evenly spread
        const mt: Outcome = fails
          ? { result: 'error', errorCode: i % 2 === 0 ? ME.absentSubscriberSM : ME.absentSubscriber }
          : OK;
        mtForwardSm(b, t0 + i * 2500, smsFrom(src, ownSubscriber(pop, rc, index)), nth(r.vlrs, index), mt);
      });
      return { pattern: 'scanning', entity: src.entity };
    },
  },
  {
    id: 'near-ingress-switch',
    reporter: 'us',
    build: (scene) => {
      const { env, b } = scene;
      const src = env.world.sources.nearIngress;
      const t0 = b.place(0.2, 52 * MINUTE);
      // 40 pairs (80 transactions) over 45 min, then a move to another carrier: below the 100-transaction history.
      b.times(40, t0, 45 * MINUTE).forEach((t) => {
        smsPair(scene, t, src, true);
      });
      b.times(5, t0 + 46 * MINUTE, 5 * MINUTE).forEach((t) => {
        smsPair(scene, t, { entity: src.entity, ingress: 'ipx-carrier-h' }, true);
      });
      return { pattern: 'gt-spoofing', entity: src.entity };
    },
  },
  {
    id: 'near-leasing',
    reporter: 'gb',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.nearLeasing;
      const homes = ['de', 'fr', 'es', 'in'].map((key) => partnerByKey(env.world, key));
      const t0 = b.place(0.4, 51 * MINUTE);
      b.times(40, t0, 50 * MINUTE).forEach((t, i) => {
        const p = nth(homes, i);
        const index = b.rng.int(r.inboundRoamersPerPartner);
        const psi = locationQuery(b.rng, 0.9, [ME.absentSubscriber]);
        b.add(t, {
          ...mapIn(src, inboundRoamer(pop, rc, p, index)),
          operation: M.provideSubscriberInfo,
          calledGt: nth(r.vlrs, index),
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.vlr,
          ...psi,
        });
      });
      return { pattern: 'gt-leasing', entity: src.entity };
    },
  },
  {
    id: 'near-volume',
    reporter: 'ca',
    build: (scene) => {
      const src = scene.env.world.sources.nearVolume;
      const t0 = scene.b.place(0.1, 77 * MINUTE);
      volumeShape(scene, src, t0, 12, 190, 0.98);
      return { pattern: 'volume-anomaly', entity: src.entity };
    },
  },
  {
    id: 'near-velocity',
    reporter: 'gb',
    build: ({ env, pop, b, rc, r }) => {
      const index = r.outboundRoamers + 10;
      const from = partnerByKey(env.world, 'fr');
      const to = partnerByKey(env.world, 'es');
      const travelMs = Math.ceil((countryDistanceKm(from.country, to.country) / NEAR_MISS_SPEED_KMH) * 3_600_000);
      const t0 = b.place(0.5, travelMs + 3 * MINUTE);
      const hlr = nth(r.hlrs, index);
      for (const [p, t] of [
        [from, t0],
        [to, t0 + travelMs],
      ] as const) {
        const vlr = nth(p.vlrs, index);
        const common = {
          ...mapIn({ entity: vlr, ingress: p.ingress }, ownSubscriber(pop, rc, index)),
          calledGt: hlr,
          callingSsn: SSN.vlr,
          calledSsn: SSN.hlr,
        };
        locationUpdate(b, t - 5000, t, common, vlr);
      }
      return { pattern: 'velocity', entity: nth(to.vlrs, index) };
    },
  },
  {
    id: 'agreement-ati',
    reporter: 'gb',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.allowedAti;
      b.times(60, env.startMs, env.durationMs).forEach((t) => {
        const index = pop.homeIndex(rc, b.rng.next());
        const ati = outcome(b.rng, 0.97, [ME.absentSubscriber]);
        b.add(t, {
          ...mapIn(src, ownSubscriber(pop, rc, index)),
          operation: M.anyTimeInterrogation,
          calledGt: nth(r.hlrs, index),
          callingSsn: SSN.gsmScf,
          calledSsn: SSN.hlr,
          ...ati,
          locationReturned: ati.result === 'ok' ? b.rng.chance(0.7) : undefined,
        });
      });
      return { pattern: 'category-1', entity: src.entity };
    },
  },
  {
    id: 'agreement-tasman',
    reporter: 'au',
    build: ({ env, pop, b, rc, r }) => {
      const src = env.world.sources.allowedTasman;
      b.times(40, env.startMs, env.durationMs).forEach((t, i) => {
        const index = pop.homeIndex(rc, b.rng.next());
        const psi = i % 2 === 0;
        const o = locationQuery(b.rng, 0.96, [ME.absentSubscriber]);
        b.add(t, {
          ...mapIn(src, ownSubscriber(pop, rc, index)),
          operation: psi ? M.provideSubscriberInfo : M.anyTimeInterrogation,
          calledGt: psi ? nth(r.vlrs, index) : nth(r.hlrs, index),
          callingSsn: SSN.gsmScf,
          calledSsn: psi ? SSN.vlr : SSN.hlr,
          ...o,
        });
      });
      return { pattern: 'category-2', entity: src.entity };
    },
  },
];

/** The builder and reporting operator of one script; `group` is the campaign index, or BENIGN. */
function sceneOf(env: Env, id: string, group: number, reporterKey: string): Scene {
  const rc = env.pop.ctxOf(reporterByKey(env.world, reporterKey));
  const b = new Builder(env.seed, id, group, env.seq, env.startMs, env.durationMs, rc.r);
  return { env, pop: env.pop, b, rc, r: rc.r };
}

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
  const env: Env = { world, pop, seed, startMs, durationMs, seq, benign };
  const campaigns: CampaignPlan[] = CAMPAIGNS.map(({ id, source: sourceKey, reporter, patterns, build }, group) => {
    const scene = sceneOf(env, id, group, reporter);
    const source = world.sources[sourceKey];
    build(scene, source);
    const records = scene.b.records.sort((x, y) => x.time - y.time || x.seq - y.seq);
    return { id, patterns, source, reporter: scene.r, description: source.description, records };
  });
  const nearMisses: NearMiss[] = [];
  for (const { id, reporter, build } of NEAR_MISSES) {
    const scene = sceneOf(env, id, BENIGN, reporter);
    nearMisses.push(build(scene));
    benign.push(...scene.b.records);
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
