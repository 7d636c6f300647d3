/**
 * Subscriber populations and the travel of outbound roamers. All of it is a pure function of (seed, indices), so
 * no per-subscriber state is stored, whatever the volume.
 */
import { countryDistanceKm } from './geo.js';
import { Alias, hashInts } from './prng.js';
import { cachedPseudonym, PseudonymKind, pseudonym } from './record.js';
import type { Partner, Reporter, World } from './world.js';

/** Offsets into a partner's pseudonym space: inbound roamers first, then subscribers at home (SMS and call targets). */
const PARTNER_HOME_OFFSET = 10_000_000;

/** Benign travel: flight time = fixed overhead + distance at this speed, so implied speeds stay well below it. */
export const TRAVEL_SPEED_KMH = 700;
export const TRAVEL_OVERHEAD_MS = 90 * 60_000;
/** Countries between which outbound roamers move during a run (short-haul neighbours). */
const MOVE_COUNTRIES: ReadonlySet<string> = new Set(['DE', 'FR', 'ES']);
const MOVER_PERCENT = 30;

export interface ReporterCtx {
  readonly r: Reporter;
  readonly index: number;
  readonly roamTo: Alias<Partner>;
  readonly roamersFrom: Alias<Partner>;
  readonly sriOut: readonly Partner[];
}

/** Where an outbound roamer is: `partner` until `departMs`, in the air until `arriveMs`, then at `next`. */
export interface Itinerary {
  readonly partner: Partner;
  readonly next: Partner | null;
  readonly departMs: number;
  readonly arriveMs: number;
}

export class Population {
  readonly reporters: readonly ReporterCtx[];
  private readonly partnerIndex: Map<Partner, number>;
  /** For each partner in a move country: the partners a roamer may move to, with the flight time. */
  private readonly moveTargets: Map<Partner, ReadonlyArray<readonly [Partner, number]>>;

  constructor(
    readonly world: World,
    private readonly seed: number,
    private readonly startMs: number,
    private readonly endMs: number,
  ) {
    this.partnerIndex = new Map(world.partners.map((p, i) => [p, i]));
    this.moveTargets = new Map(
      world.partners.map((from) => [
        from,
        world.partners
          .filter((to) => to !== from && MOVE_COUNTRIES.has(to.country))
          .map((to) => [to, flightMs(from.country, to.country)] as const),
      ]),
    );
    const byKey = new Map(world.partners.map((p) => [p.key, p]));
    const alias = (weights: Readonly<Record<string, number>>): Alias<Partner> =>
      new Alias(Object.entries(weights).map(([key, w]) => [byKey.get(key) as Partner, w] as const));
    this.reporters = world.reporters.map((r, index) => ({
      r,
      index,
      roamTo: alias(r.roamingTo),
      roamersFrom: alias(r.roamersFrom),
      sriOut: r.sriOutTo.map((key) => byKey.get(key) as Partner),
    }));
  }

  ctxOf(r: Reporter): ReporterCtx {
    const ctx = this.reporters.find((c) => c.r === r);
    if (ctx === undefined) throw new Error(`unknown reporter ${r.plmn}`);
    return ctx;
  }

  partnerIdx(p: Partner): number {
    return this.partnerIndex.get(p) ?? 0;
  }

  /** Pseudonym of own subscriber `index` of a reporter. */
  own(rc: ReporterCtx, index: number): string {
    if (index < rc.r.homeStart) return cachedPseudonym(PseudonymKind.Own, rc.index, 0, index);
    return pseudonym(PseudonymKind.Own, rc.index, 0, index);
  }

  /** Pseudonym of inbound roamer `index` from `p` at a reporter. */
  inbound(rc: ReporterCtx, p: Partner, index: number): string {
    return pseudonym(PseudonymKind.Inbound, rc.index, this.partnerIdx(p), index);
  }

  /** Pseudonym of a subscriber of `p` at home (the target of an SMS or call from the reporter's network). */
  partnerHome(rc: ReporterCtx, p: Partner, index: number): string {
    return pseudonym(PseudonymKind.Inbound, rc.index, this.partnerIdx(p), PARTNER_HOME_OFFSET + index);
  }

  /** Pseudonym of a probed MSISDN (scanners hit numbers that may not exist). */
  msisdn(rc: ReporterCtx, index: number): string {
    return pseudonym(PseudonymKind.Msisdn, rc.index, 0, index);
  }

  /** Itinerary of outbound roamer `index` (in [0, r.outboundRoamers)); roamers with index % 8 === 0 never move. */
  itinerary(rc: ReporterCtx, index: number): Itinerary {
    const h1 = hashInts(this.seed, rc.index, index, 0x1717);
    const h2 = hashInts(h1, index, 0x2727);
    const partner = rc.roamTo.at(h1 / 4294967296);
    if (index % 8 === 0 || !MOVE_COUNTRIES.has(partner.country) || h2 % 100 >= MOVER_PERCENT) {
      return {
        partner,
        next: null,
        departMs: Number.POSITIVE_INFINITY,
        arriveMs: Number.POSITIVE_INFINITY,
      };
    }
    const h3 = hashInts(h2, 0x3737);
    const h4 = hashInts(h3, 0x4747);
    const candidates = this.moveTargets.get(partner) ?? [];
    const [next, flight] = candidates[h3 % candidates.length] as readonly [Partner, number];
    // Departures spread from 2 h before the run to its end, so some roamers arrive before the run starts.
    const span = this.endMs - this.startMs + 2 * 3_600_000;
    const departMs = this.startMs - 2 * 3_600_000 + Math.floor((h4 / 4294967296) * span);
    return { partner, next, departMs, arriveMs: departMs + flight };
  }

  /** The partner network serving outbound roamer `index` at `t`, or null while in the air. */
  servingPartner(rc: ReporterCtx, index: number, t: number): Partner | null {
    const it = this.itinerary(rc, index);
    if (t < it.departMs) return it.partner;
    if (t < it.arriveMs) return null;
    return it.next;
  }

  /** A home (non-roaming) own subscriber index. */
  homeIndex(rc: ReporterCtx, u: number): number {
    return rc.r.homeStart + Math.floor(u * (rc.r.homeEnd - rc.r.homeStart));
  }
}

/** Door-to-door travel time between two countries for benign roamers. */
export function flightMs(from: string, to: string): number {
  return TRAVEL_OVERHEAD_MS + Math.ceil((countryDistanceKm(from, to) / TRAVEL_SPEED_KMH) * 3_600_000);
}
