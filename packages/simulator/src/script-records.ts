/**
 * The building blocks of scripted traffic (campaigns.ts): a seeded record builder per script and the record shapes
 * that scripts share. Helpers never draw from the generator unless they say so, so a script's draws stay in the order
 * it writes them (the simulator's output must not change for the same seed).
 */
import { MAP as M, SSN } from './codes.js';
import type { Population, ReporterCtx } from './population.js';
import { Rng } from './prng.js';
import { type FirewallVerdict, type Rec, type RecFields, type Result, recFrom } from './record.js';
import type { Partner, Reporter, ScriptedSource } from './world.js';

export const MINUTE = 60_000;

export interface Counter {
  next: number;
}

/** The records of one script (a campaign or a benign near miss) at one reporting operator. */
export class Builder {
  readonly rng: Rng;
  readonly records: Rec[] = [];

  constructor(
    seed: number,
    readonly id: string,
    private readonly group: number,
    private readonly seq: Counter,
    readonly startMs: number,
    readonly durationMs: number,
    readonly reporter: Reporter,
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

  /** One `step` per item, two minutes apart from `t0`, each with up to a minute of jitter (drawn before the step). */
  everyTwoMinutes<T>(t0: number, items: readonly T[], step: (item: T, t: number, i: number) => void): void {
    items.forEach((item, i) => {
      step(item, t0 + i * 2 * MINUTE + this.rng.int(MINUTE), i);
    });
  }

  add(t: number, fields: RecFields): Rec {
    const rec = recFrom(Math.floor(t), this.seq.next++, this.group, this.reporter, fields);
    this.records.push(rec);
    return rec;
  }
}

/** Item `i` of a list, wrapping around: the HLR, VLR or MSC that serves subscriber `i`. */
export function nth<T>(items: readonly T[], i: number): T {
  return items[i % items.length] as T;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return rng.pick(items);
}

/** `n` distinct home-subscriber indices of a reporter (draws). */
export function victims(rng: Rng, pop: Population, rc: ReporterCtx, n: number): number[] {
  const set = new Set<number>();
  while (set.size < n) set.add(pop.homeIndex(rc, rng.next()));
  return [...set];
}

export function firewallFor(r: Reporter, verdict: FirewallVerdict): FirewallVerdict | undefined {
  return r.firewall ? verdict : undefined;
}

export interface Outcome {
  readonly result: Result;
  readonly errorCode: number | undefined;
}

export const OK: Outcome = { result: 'ok', errorCode: undefined };

/** Success with probability `okShare`, else one of `errorCodes` (draws). */
export function outcome(rng: Rng, okShare: number, errorCodes: readonly number[]): Outcome {
  if (rng.chance(okShare)) return OK;
  return { result: 'error', errorCode: pick(rng, errorCodes) };
}

/** The outcome of a location query: the location comes back exactly when the query succeeds (draws). */
export function locationQuery(
  rng: Rng,
  okShare: number,
  errorCodes: readonly number[],
): Outcome & { readonly locationReturned: boolean } {
  const o = outcome(rng, okShare, errorCodes);
  return { ...o, locationReturned: o.result === 'ok' };
}

// ---- who talks to whom about whom -------------------------------------------------------------------------------

/** The sending side of a record: a scripted source, or a partner's node (entity = its GT or realm). */
export type Sender = Pick<ScriptedSource, 'entity' | 'ingress'>;

/** The subscriber a record is about. */
export interface About {
  readonly subscriber: string;
  readonly subscriberPlmn: string;
}

export function ownSubscriber(pop: Population, rc: ReporterCtx, index: number): About {
  return { subscriber: pop.own(rc, index), subscriberPlmn: rc.r.plmn };
}

export function inboundRoamer(pop: Population, rc: ReporterCtx, home: Partner, index: number): About {
  return { subscriber: pop.inbound(rc, home, index), subscriberPlmn: home.plmn };
}

/** An inbound MAP dialogue from `from` about `about`. */
export function mapIn(from: Sender, about: About) {
  return {
    protocol: 'MAP' as const,
    direction: 'in' as const,
    callingGt: from.entity,
    ingress: from.ingress,
    ...about,
  };
}

/** An inbound Diameter request from host `host` of realm `from` to the reporter's realm. */
export function diameterIn(from: Sender, host: string, r: Reporter, about: About) {
  return {
    protocol: 'DIAMETER' as const,
    direction: 'in' as const,
    originRealm: from.entity,
    originHost: `${host}.${from.entity}`,
    destinationRealm: r.realm,
    ingress: from.ingress,
    ...about,
  };
}

/** MAP from an SMS centre: calls from an MSC SSN and names itself as the SC address. */
export function smsFrom(from: Sender, about: About) {
  return { ...mapIn(from, about), callingSsn: SSN.msc, scAddress: from.entity };
}

type SmsFields = ReturnType<typeof smsFrom> & { readonly firewall?: FirewallVerdict | undefined };
type MapFields = ReturnType<typeof mapIn> & Partial<RecFields>;

/** SRI-SM to the HLR of subscriber `index`; the answer names the serving MSC (`vlrGt`) only when it succeeds. */
export function sriForSm(b: Builder, t: number, sms: SmsFields, index: number, result: Outcome, msc: string): void {
  b.add(t, {
    ...sms,
    operation: M.sendRoutingInfoForSM,
    calledGt: nth(b.reporter.hlrs, index),
    calledSsn: SSN.hlr,
    ...result,
    vlrGt: result.result === 'ok' ? msc : undefined,
  });
}

/** MT-ForwardSM to the serving MSC. */
export function mtForwardSm(b: Builder, t: number, sms: SmsFields, msc: string, result: Outcome = OK): void {
  b.add(t, { ...sms, operation: M.mtForwardSM, calledGt: msc, calledSsn: SSN.msc, ...result });
}

/** A VLR's location update: SendAuthenticationInfo, then UpdateLocation naming `vlrGt` as the new VLR. */
export function locationUpdate(b: Builder, authAt: number, updateAt: number, fields: MapFields, vlrGt: string): void {
  b.add(authAt, { ...fields, operation: M.sendAuthenticationInfo, result: 'ok' });
  b.add(updateAt, { ...fields, operation: M.updateLocation, result: 'ok', vlrGt });
}

