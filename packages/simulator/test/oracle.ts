/**
 * A small reference reading of shared/spec/detection-v1.md, written for the simulator's tests only: it checks that
 * each campaign raises exactly the patterns its label lists and that benign traffic raises none. It reads the
 * world only through the reference files (via @gtwatch/numbering's loader), as the real detection does.
 *
 * Deliberately strict where the contract leaves room, so that benign traffic stays silent under any reasonable
 * implementation: windows are per source entity across all reporters, and gt-leasing, gt-spoofing and velocity
 * look at every direction. Windows slide (evaluated at each record of the entity). Volume baseline: EWMA over
 * 1-minute buckets from the entity's first record. Where the contract can be read two ways (OracleVariant), the
 * tests run both readings.
 */
import { createNumbering, loadReferenceDataFromStrings, type Numbering, samePlmn } from '@gtwatch/numbering';
import type { SignallingSummary } from '@gtwatch/schema';
import {
  APPLICATION,
  DIAMETER_CATEGORY_2,
  DIAMETER_SCANNING_ERRORS,
  MAP_CATEGORY_1,
  MAP_CATEGORY_2,
  MAP_LOCATION_REVEALING,
  MAP_LOCATION_UPDATING,
  MAP_SCANNING_ERRORS,
  type Pattern,
  referenceFiles,
  type World,
} from '../src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const THRESHOLDS = {
  velocityKmh: 1000,
  velocityMinKm: 500,
  velocityLookbackMs: 24 * HOUR,
  harvestWindowMs: 15 * MINUTE,
  harvestSriSm: 100,
  harvestDistinct: 50,
  harvestMtShare: 0.2,
  scanWindowMs: 5 * MINUTE,
  scanTransactions: 50,
  scanDistinct: 50,
  scanErrorShare: 0.5,
  ingressHistory: 100,
  ingressHistoryMs: 30 * MINUTE,
  leasingWindowMs: HOUR,
  leasingCountries: 5,
  volumeBucket: 200,
  volumeFactor: 10,
  volumeBaselineMs: 30 * MINUTE,
} as const;

interface Source {
  entity: string;
  plmn: string | null;
  country: string | null;
  leased: boolean;
}

/** Sliding window of timed items. */
class Window<T> {
  private readonly items: Array<{ t: number; v: T }> = [];
  private head = 0;
  constructor(private readonly spanMs: number) {}
  add(t: number, v: T, evict: (v: T) => void): void {
    this.items.push({ t, v });
    while (this.head < this.items.length && (this.items[this.head] as { t: number }).t <= t - this.spanMs) {
      evict((this.items[this.head] as { v: T }).v);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}

class Counter {
  private readonly map = new Map<string, number>();
  get size(): number {
    return this.map.size;
  }
  add(key: string): void {
    this.map.set(key, (this.map.get(key) ?? 0) + 1);
  }
  remove(key: string): void {
    const n = (this.map.get(key) ?? 0) - 1;
    if (n <= 0) this.map.delete(key);
    else this.map.set(key, n);
  }
}

/** Readings of the contract where it leaves room; the tests run every combination that matters. */
export interface OracleVariant {
  /** `span`: ≥ 100 transactions on the old ingress, first of them ≥ 30 min ago; `recent`: ≥ 100 in the last 30 min. */
  ingress: 'span' | 'recent';
  /** Keep windows per (reporter, source) instead of per source across reporters. */
  perReporter: boolean;
  volumeAlpha: number;
  /** Update the volume baseline only on minutes with traffic. */
  volumeSkipEmpty: boolean;
}

export const DEFAULT_VARIANT: OracleVariant = {
  ingress: 'span',
  perReporter: false,
  volumeAlpha: 0.1,
  volumeSkipEmpty: false,
};

interface EntityState {
  harvest?: {
    window: Window<{ sri: boolean; sub: string; n: number }>;
    sri: number;
    mt: number;
    subs: Counter;
  };
  scan?: {
    window: Window<{ sub: string | undefined; n: number; err: number }>;
    tx: number;
    err: number;
    subs: Counter;
  };
  leasing?: { window: Window<string>; countries: Counter };
  ingress?: {
    label: string;
    count: number;
    since: number;
    recent: Window<number>;
    recentCount: number;
  };
  volume?: { first: number; minute: number; count: number; baseline: number };
}

export class Oracle {
  readonly numbering: Numbering;
  /** Patterns raised per source entity. */
  readonly raised = new Map<string, Set<Pattern>>();
  private readonly states = new Map<string, EntityState>();
  private readonly lastUpdate = new Map<string, { country: string; time: number }>();

  constructor(
    world: World,
    private readonly variant: OracleVariant = DEFAULT_VARIANT,
  ) {
    this.numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(world)));
  }

  private raise(entity: string, pattern: Pattern): void {
    let set = this.raised.get(entity);
    if (set === undefined) {
      set = new Set();
      this.raised.set(entity, set);
    }
    set.add(pattern);
  }

  private source(rec: SignallingSummary): Source {
    if (rec.protocol === 'DIAMETER') {
      const r = this.numbering.resolveRealm(rec.originRealm);
      return {
        entity: rec.originRealm,
        plmn: r.plmn,
        country: r.country,
        leased: false,
      };
    }
    const g = this.numbering.resolveGt(rec.callingGt);
    return {
      entity: rec.callingGt,
      plmn: g.plmn,
      country: g.country,
      leased: g.leased,
    };
  }

  private state(entity: string, reporter: string): EntityState {
    const key = this.variant.perReporter ? `${reporter}|${entity}` : entity;
    let s = this.states.get(key);
    if (s === undefined) {
      s = {};
      this.states.set(key, s);
    }
    return s;
  }

  /** Feeds one record; records must come in event-time order. */
  observe(rec: SignallingSummary): void {
    const src = this.source(rec);
    const own = src.plmn !== null && samePlmn(src.plmn, rec.reporter);
    const interconnect = rec.direction === 'in' && !own;
    const op = rec.operation;
    const isMap = rec.protocol !== 'DIAMETER';
    const app = rec.protocol === 'DIAMETER' ? rec.application : -1;
    const allowlisted = isMap && this.numbering.isAllowlisted(rec.callingGt, rec.reporter, op);

    const cat1 = isMap
      ? rec.protocol === 'MAP' && MAP_CATEGORY_1.has(op)
      : (app !== 0 && app !== APPLICATION.s6a && app !== APPLICATION.s13) || op === 8388620 || op === 8388622;
    const cat2 = isMap
      ? rec.protocol === 'MAP' && MAP_CATEGORY_2.has(op)
      : app === APPLICATION.s6a && DIAMETER_CATEGORY_2.has(op);
    const locationRevealing = isMap
      ? rec.protocol === 'MAP' && MAP_LOCATION_REVEALING.has(op)
      : (op === 319 && ((rec.idrFlags ?? 0) & 24) !== 0) || op === 306 || op === 8388620 || op === 8388622;
    const locationUpdating = isMap ? rec.protocol === 'MAP' && MAP_LOCATION_UPDATING.has(op) : op === 316;

    if (interconnect && cat1 && !allowlisted) this.raise(src.entity, 'category-1');
    if (interconnect && cat2 && !allowlisted && rec.subscriberPlmn !== undefined) {
      const ownSubscriber = samePlmn(rec.subscriberPlmn, rec.reporter);
      const foreign =
        src.plmn !== null
          ? !samePlmn(src.plmn, rec.subscriberPlmn)
          : src.country !== this.numbering.countryOfPlmn(rec.subscriberPlmn);
      if (ownSubscriber || foreign) this.raise(src.entity, 'category-2');
    }
    if (locationUpdating && rec.subscriber !== undefined) this.velocity(rec, src);
    this.spoofing(rec, src, locationUpdating);
    if (locationRevealing || cat1 || cat2) this.leasing(rec, src);
    this.harvesting(rec, src);
    this.scanning(rec, src);
    this.volume(rec, src);
  }

  private velocity(rec: SignallingSummary, src: Source): void {
    const key = `${rec.reporter}|${rec.subscriber}`;
    const previous = this.lastUpdate.get(key);
    if (previous !== undefined && src.country !== null && previous.country !== src.country) {
      const elapsed = rec.time - previous.time;
      const km = this.numbering.distanceKm(previous.country, src.country) ?? 0;
      if (elapsed <= THRESHOLDS.velocityLookbackMs && km > THRESHOLDS.velocityMinKm) {
        const kmh = elapsed <= 0 ? Number.POSITIVE_INFINITY : km / (elapsed / HOUR);
        if (kmh > THRESHOLDS.velocityKmh) this.raise(src.entity, 'velocity');
      }
    }
    if (rec.result === 'ok' && src.country !== null) this.lastUpdate.set(key, { country: src.country, time: rec.time });
  }

  private spoofing(rec: SignallingSummary, src: Source, locationUpdating: boolean): void {
    if (rec.protocol !== 'DIAMETER' && locationUpdating && rec.vlrGt !== undefined) {
      const vlr = this.numbering.resolveGt(rec.vlrGt);
      const otherNetwork = src.plmn !== null && vlr.plmn !== null && !samePlmn(src.plmn, vlr.plmn);
      if (otherNetwork || vlr.country !== src.country) this.raise(src.entity, 'gt-spoofing');
    }
    if (
      rec.protocol === 'DIAMETER' &&
      (rec.operation === 316 || rec.operation === 318) &&
      rec.visitedPlmn !== undefined
    ) {
      if (src.plmn !== null && !samePlmn(src.plmn, rec.visitedPlmn)) this.raise(src.entity, 'gt-spoofing');
    }
    if (rec.ingress !== undefined) {
      const s = this.state(src.entity, rec.reporter);
      if (s.ingress === undefined || s.ingress.label !== rec.ingress) {
        const old = s.ingress;
        if (old !== undefined && rec.time - old.since >= THRESHOLDS.ingressHistoryMs) {
          const history = this.variant.ingress === 'span' ? old.count : old.recentCount;
          if (history >= THRESHOLDS.ingressHistory) this.raise(src.entity, 'gt-spoofing');
        }
        s.ingress = {
          label: rec.ingress,
          count: 0,
          since: rec.time,
          recent: new Window(THRESHOLDS.ingressHistoryMs),
          recentCount: 0,
        };
      }
      const ingress = s.ingress;
      ingress.count += rec.count;
      ingress.recentCount += rec.count;
      ingress.recent.add(rec.time, rec.count, (n) => {
        ingress.recentCount -= n;
      });
    }
  }

  private leasing(rec: SignallingSummary, src: Source): void {
    if (src.leased) this.raise(src.entity, 'gt-leasing');
    if (rec.subscriberPlmn === undefined) return;
    const country = this.numbering.countryOfPlmn(rec.subscriberPlmn) ?? '?';
    const s = this.state(src.entity, rec.reporter);
    s.leasing ??= {
      window: new Window(THRESHOLDS.leasingWindowMs),
      countries: new Counter(),
    };
    const l = s.leasing;
    l.countries.add(country);
    l.window.add(rec.time, country, (c) => l.countries.remove(c));
    if (l.countries.size >= THRESHOLDS.leasingCountries) this.raise(src.entity, 'gt-leasing');
  }

  private harvesting(rec: SignallingSummary, src: Source): void {
    if (rec.protocol !== 'MAP' || (rec.operation !== 45 && rec.operation !== 44)) return;
    const s = this.state(src.entity, rec.reporter);
    s.harvest ??= {
      window: new Window(THRESHOLDS.harvestWindowMs),
      sri: 0,
      mt: 0,
      subs: new Counter(),
    };
    const h = s.harvest;
    const sri = rec.operation === 45;
    const sub = rec.subscriber ?? '';
    if (sri) {
      h.sri += rec.count;
      h.subs.add(sub);
    } else h.mt += rec.count;
    h.window.add(rec.time, { sri, sub, n: rec.count }, (old) => {
      if (old.sri) {
        h.sri -= old.n;
        h.subs.remove(old.sub);
      } else h.mt -= old.n;
    });
    if (
      h.sri >= THRESHOLDS.harvestSriSm &&
      h.subs.size >= THRESHOLDS.harvestDistinct &&
      h.mt <= THRESHOLDS.harvestMtShare * h.sri
    ) {
      this.raise(src.entity, 'imsi-harvesting');
    }
  }

  private scanning(rec: SignallingSummary, src: Source): void {
    const s = this.state(src.entity, rec.reporter);
    s.scan ??= {
      window: new Window(THRESHOLDS.scanWindowMs),
      tx: 0,
      err: 0,
      subs: new Counter(),
    };
    const sc = s.scan;
    const codes = rec.protocol === 'DIAMETER' ? DIAMETER_SCANNING_ERRORS : MAP_SCANNING_ERRORS;
    const err = rec.result === 'error' && rec.errorCode !== undefined && codes.has(rec.errorCode) ? rec.count : 0;
    sc.tx += rec.count;
    sc.err += err;
    if (rec.subscriber !== undefined) sc.subs.add(rec.subscriber);
    sc.window.add(rec.time, { sub: rec.subscriber, n: rec.count, err }, (old) => {
      sc.tx -= old.n;
      sc.err -= old.err;
      if (old.sub !== undefined) sc.subs.remove(old.sub);
    });
    if (
      sc.tx >= THRESHOLDS.scanTransactions &&
      sc.subs.size >= THRESHOLDS.scanDistinct &&
      sc.err >= THRESHOLDS.scanErrorShare * sc.tx
    ) {
      this.raise(src.entity, 'scanning');
    }
  }

  private volume(rec: SignallingSummary, src: Source): void {
    const s = this.state(src.entity, rec.reporter);
    const minute = Math.floor(rec.time / MINUTE);
    s.volume ??= { first: rec.time, minute, count: 0, baseline: 0 };
    const v = s.volume;
    if (minute !== v.minute) {
      this.closeBucket(src.entity, v);
      // Empty minutes in between pull the baseline down (unless the variant skips them).
      if (!this.variant.volumeSkipEmpty)
        for (let m = v.minute + 1; m < minute; m++) v.baseline *= 1 - this.variant.volumeAlpha;
      v.minute = minute;
      v.count = 0;
    }
    v.count += rec.count;
  }

  private closeBucket(entity: string, v: { first: number; minute: number; count: number; baseline: number }): void {
    const warm = v.minute * MINUTE - v.first >= THRESHOLDS.volumeBaselineMs;
    if (warm && v.count >= THRESHOLDS.volumeBucket && v.count >= THRESHOLDS.volumeFactor * v.baseline)
      this.raise(entity, 'volume-anomaly');
    v.baseline =
      v.minute * MINUTE - v.first < MINUTE ? v.count : v.baseline + this.variant.volumeAlpha * (v.count - v.baseline);
  }

  /** Closes the open buckets at the end of the input. */
  finish(): void {
    for (const [entity, s] of this.states) if (s.volume !== undefined) this.closeBucket(entity, s.volume);
  }
}

/** Runs the oracle over records in time order and returns the patterns raised per source entity. */
export function detect(
  world: World,
  records: readonly SignallingSummary[],
  variant = DEFAULT_VARIANT,
): Map<string, Set<Pattern>> {
  const oracle = new Oracle(world, variant);
  const sorted = [...records].sort((a, b) => a.time - b.time);
  for (const rec of sorted) oracle.observe(rec);
  oracle.finish();
  return oracle.raised;
}
