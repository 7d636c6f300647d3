/**
 * Benign traffic: the everyday signalling of the reporters with their roaming partners and SMS hubs. Each "unit"
 * is one transaction, or an SRI-SM followed seconds later by its MT-ForwardSM. The volume of every flow scales
 * with the requested record count; nothing here may raise an alert under detection-v1.md (see README.md for the
 * invariants and the test suite for their checks).
 */
import { APPLICATION as APP, CAP, DIAMETER as D, MAP as M, SSN } from './codes.js';
import { OUTCOMES, type Outcome } from './outcomes.js';
import type { Population, ReporterCtx } from './population.js';
import { Alias, type Rng } from './prng.js';
import { BENIGN, Rec } from './record.js';
import type { Hub, Partner, Reporter, World } from './world.js';

/** Where a flow puts the records it schedules for later (the MT-ForwardSM after an SRI-SM). */
export interface Scheduler {
  nextSeq(): number;
  schedule(rec: Rec): void;
}

type Flow = (t: number, canPair: boolean) => Rec;

/** Delay between an SRI-SM and its MT-ForwardSM: 0.4–8 s. */
function smsDelay(rng: Rng): number {
  return Math.min(8000, 400 + Math.floor(rng.exp(1200)));
}

function mme(realm: string): string {
  return `mme01.${realm}`;
}
function hss(realm: string): string {
  return `hss01.${realm}`;
}

export class BenignTraffic {
  /** Lines produced by the last unit (1 or 2). */
  lastLines = 1;
  /** Estimated lines per unit, for the time spread of the remaining budget. */
  readonly meanLines: number;
  private readonly flows: Alias<Flow>;
  private readonly reporterPick: Alias<ReporterCtx>;
  private readonly hubs: readonly Hub[];
  private readonly partners: readonly Partner[];
  private readonly ulOps: Alias<number>;
  private readonly sgsnOps: Alias<number>;
  private readonly mmeOps: Alias<number>;
  private readonly homeHlrOps: Alias<number>;
  private readonly homeHssOps: Alias<number>;
  private readonly ownVlrOps: Alias<number>;
  private readonly ownHlrOps: Alias<number>;
  private readonly ownHssOps: Alias<number>;

  constructor(
    world: World,
    private readonly pop: Population,
    private readonly rng: Rng,
    private readonly sink: Scheduler,
  ) {
    this.hubs = world.hubs;
    this.partners = world.partners;
    this.reporterPick = new Alias(pop.reporters.map((rc) => [rc, rc.r.weight] as const));
    this.ulOps = new Alias([
      [M.updateLocation, 0.15],
      [M.sendAuthenticationInfo, 0.42],
      [M.purgeMS, 0.04],
      [M.moForwardSM, 0.25],
      [M.processUnstructuredSSRequest, 0.06],
      [M.restoreData, 0.02],
      [M.readyForSM, 0.06],
    ]);
    this.sgsnOps = new Alias([
      [M.updateGprsLocation, 0.45],
      [M.sendAuthenticationInfo, 0.55],
    ]);
    this.mmeOps = new Alias([
      [D.updateLocation, 0.25],
      [D.authenticationInformation, 0.45],
      [D.notify, 0.2],
      [D.purgeUe, 0.1],
    ]);
    this.homeHlrOps = new Alias([
      [M.insertSubscriberData, 0.5],
      [M.provideRoamingNumber, 0.2],
      [M.cancelLocation, 0.15],
      [M.deleteSubscriberData, 0.08],
      [M.provideSubscriberInfo, 0.07],
    ]);
    this.homeHssOps = new Alias([
      [D.insertSubscriberData, 0.6],
      [D.cancelLocation, 0.3],
      [D.deleteSubscriberData, 0.1],
    ]);
    this.ownVlrOps = new Alias([
      [M.updateLocation, 0.35],
      [M.sendAuthenticationInfo, 0.45],
      [M.purgeMS, 0.2],
    ]);
    this.ownHlrOps = new Alias([
      [M.insertSubscriberData, 0.5],
      [M.provideRoamingNumber, 0.3],
      [M.cancelLocation, 0.2],
    ]);
    this.ownHssOps = new Alias([
      [D.insertSubscriberData, 0.6],
      [D.cancelLocation, 0.3],
      [D.deleteSubscriberData, 0.1],
    ]);
    const flows: Array<readonly [Flow, number, number]> = [
      // [flow, weight, lines per unit]
      [(t, pair) => this.hubSms(t, pair), 0.14, 1.9],
      [(t, pair) => this.partnerSms(t, pair), 0.07, 1.9],
      [(t) => this.partnerMtToRoamer(t), 0.04, 1],
      [(t) => this.roamerVlr(t), 0.16, 1],
      [(t) => this.roamerSgsn(t), 0.04, 1],
      [(t) => this.roamerMme(t), 0.08, 1],
      [(t) => this.homeHlr(t), 0.06, 1],
      [(t) => this.homeHss(t), 0.04, 1],
      [(t) => this.ownVlrOut(t), 0.07, 1],
      [(t) => this.ownHlrOut(t), 0.05, 1],
      [(t, pair) => this.ownSmsOut(t, pair), 0.05, 1.9],
      [(t) => this.ownMmeOut(t), 0.04, 1],
      [(t) => this.ownHssOut(t), 0.02, 1],
      [(t) => this.ownInternal(t), 0.03, 1],
      [(t) => this.ownSriOut(t), 0.01, 1],
      [(t) => this.capIn(t), 0.03, 1],
      [(t) => this.capOut(t), 0.03, 1],
    ];
    this.flows = new Alias(flows.map(([flow, w]) => [flow, w] as const));
    const total = flows.reduce((sum, [, w]) => sum + w, 0);
    this.meanLines = flows.reduce((sum, [, w, lines]) => sum + (w * lines) / total, 0);
  }

  /** One benign unit at time `t` (integer ms): returns the first record; a follow-up, if any, is scheduled. */
  unit(t: number, budget: number): Rec {
    this.lastLines = 1;
    return this.flows.draw(this.rng)(t, budget >= 2);
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  /** A MAP (or CAP) record with the fields every flow sets; callers add the optional ones. */
  private map(
    t: number,
    r: Reporter,
    direction: 'in' | 'out',
    operation: number,
    o: Outcome,
    callingGt: string,
    calledGt: string,
    callingSsn: number,
    calledSsn: number,
    ingress: string,
    subscriber: string,
    subscriberPlmn: string,
  ): Rec {
    const rec = new Rec(t, this.sink.nextSeq(), BENIGN, r, 'MAP', direction, operation, o.result);
    rec.callingGt = callingGt;
    rec.calledGt = calledGt;
    rec.callingSsn = callingSsn;
    rec.calledSsn = calledSsn;
    rec.ingress = ingress;
    rec.subscriber = subscriber;
    rec.subscriberPlmn = subscriberPlmn;
    rec.errorCode = o.errorCode;
    return rec;
  }

  /** An S6a record with the fields every flow sets. */
  private s6a(
    t: number,
    r: Reporter,
    direction: 'in' | 'out',
    operation: number,
    o: Outcome,
    originRealm: string,
    originHost: string,
    destinationRealm: string,
    ingress: string,
    subscriber: string,
    subscriberPlmn: string,
  ): Rec {
    const rec = new Rec(t, this.sink.nextSeq(), BENIGN, r, 'DIAMETER', direction, operation, o.result);
    rec.application = APP.s6a;
    rec.originRealm = originRealm;
    rec.originHost = originHost;
    rec.destinationRealm = destinationRealm;
    rec.ingress = ingress;
    rec.subscriber = subscriber;
    rec.subscriberPlmn = subscriberPlmn;
    rec.errorCode = o.errorCode;
    return rec;
  }

  private reporter(): ReporterCtx {
    return this.reporterPick.draw(this.rng);
  }

  private anyPartner(): Partner {
    return this.rng.pick(this.partners);
  }

  private outcome(table: Alias<Outcome>): Outcome {
    return table.draw(this.rng);
  }

  /** A small share of mobility transactions are reported aggregated (count 2–3). */
  private count(): number | undefined {
    return this.rng.chance(0.01) ? this.rng.range(2, 3) : undefined;
  }

  /** An outbound roamer who is on the ground at `t`, with the partner serving them. */
  private roamer(rc: ReporterCtx, t: number): { index: number; partner: Partner } {
    for (let attempt = 0; attempt < 24; attempt++) {
      const index = this.rng.int(rc.r.outboundRoamers);
      const partner = this.pop.servingPartner(rc, index, t);
      if (partner !== null) return { index, partner };
    }
    // Index 0 never moves, so it is always on the ground.
    return { index: 0, partner: this.pop.itinerary(rc, 0).partner };
  }

  private homeSubscriber(rc: ReporterCtx): number {
    return this.pop.homeIndex(rc, this.rng.next());
  }

  private inboundIndex(rc: ReporterCtx): number {
    return this.rng.int(rc.r.inboundRoamersPerPartner);
  }

  /**
   * An SRI-SM from `source` for `subscriber` (served by `msc`); when it succeeds its MT-ForwardSM follows from the
   * same source 0.4–8 s later (the ratio stays near 0.9, far above detection's 20 %).
   */
  private smsPair(
    t: number,
    canPair: boolean,
    r: Reporter,
    direction: 'in' | 'out',
    source: string,
    hlr: string,
    msc: string,
    ingress: string,
    scAddress: string,
    subscriber: string,
    subscriberPlmn: string,
  ): Rec {
    const sri = this.outcome(OUTCOMES.sriSm);
    const first = this.map(
      t,
      r,
      direction,
      M.sendRoutingInfoForSM,
      sri,
      source,
      hlr,
      SSN.msc,
      SSN.hlr,
      ingress,
      subscriber,
      subscriberPlmn,
    );
    first.scAddress = scAddress;
    if (sri.result === 'ok') first.vlrGt = msc;
    if (sri.result === 'ok' && canPair && this.rng.chance(0.985)) {
      const mt = this.outcome(OUTCOMES.mtFsm);
      const second = this.map(
        t + smsDelay(this.rng),
        r,
        direction,
        M.mtForwardSM,
        mt,
        source,
        msc,
        SSN.msc,
        SSN.msc,
        ingress,
        subscriber,
        subscriberPlmn,
      );
      second.scAddress = scAddress;
      this.sink.schedule(second);
      this.lastLines = 2;
    }
    return first;
  }

  /** SMS towards an own home subscriber of a random reporter. */
  private smsToHome(t: number, canPair: boolean, source: string, ingress: string, scAddress: string): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const index = this.homeSubscriber(rc);
    const hlr = r.hlrs[index % r.hlrs.length] as string;
    const msc = r.vlrs[index % r.vlrs.length] as string;
    return this.smsPair(t, canPair, r, 'in', source, hlr, msc, ingress, scAddress, this.pop.own(rc, index), r.plmn);
  }

  // ---- inbound from SMS hubs and partners ---------------------------------------------------------------------

  private hubSms(t: number, canPair: boolean): Rec {
    const hub = this.rng.pick(this.hubs);
    const gt = this.rng.pick(hub.gts);
    return this.smsToHome(t, canPair, gt, hub.ingress, this.anyPartner().smsc);
  }

  private partnerSms(t: number, canPair: boolean): Rec {
    const p = this.anyPartner();
    return this.smsToHome(t, canPair, p.smsc, p.ingress, p.smsc);
  }

  private partnerMtToRoamer(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const mt = this.outcome(OUTCOMES.mtFsm);
    const vlr = r.vlrs[index % r.vlrs.length] as string;
    const rec = this.map(
      t,
      r,
      'in',
      M.mtForwardSM,
      mt,
      p.smsc,
      vlr,
      SSN.msc,
      SSN.msc,
      p.ingress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    rec.scAddress = p.smsc;
    return rec;
  }

  /** A partner VLR serving an outbound roamer: location updates, authentication, SMS, USSD, purge. */
  private roamerVlr(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const vlr = p.vlrs[index % p.vlrs.length] as string;
    const subscriber = this.pop.own(rc, index);
    const op = this.ulOps.draw(this.rng);
    if (op === M.moForwardSM) {
      const rec = this.map(
        t,
        r,
        'in',
        op,
        this.outcome(OUTCOMES.mtFsm),
        vlr,
        r.smsc,
        SSN.msc,
        SSN.msc,
        p.ingress,
        subscriber,
        r.plmn,
      );
      rec.scAddress = r.smsc;
      return rec;
    }
    const hlr = r.hlrs[index % r.hlrs.length] as string;
    const o = this.outcome(op === M.updateLocation ? OUTCOMES.updateLocation : OUTCOMES.mobility);
    const rec = this.map(t, r, 'in', op, o, vlr, hlr, SSN.vlr, SSN.hlr, p.ingress, subscriber, r.plmn);
    if (op === M.updateLocation || op === M.purgeMS) rec.vlrGt = vlr;
    if (op === M.sendAuthenticationInfo) rec.count = this.count();
    return rec;
  }

  private roamerSgsn(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const sgsn = p.sgsns[index % p.sgsns.length] as string;
    const op = this.sgsnOps.draw(this.rng);
    const o = this.outcome(op === M.updateGprsLocation ? OUTCOMES.updateLocation : OUTCOMES.mobility);
    const hlr = r.hlrs[index % r.hlrs.length] as string;
    const rec = this.map(t, r, 'in', op, o, sgsn, hlr, SSN.sgsn, SSN.hlr, p.ingress, this.pop.own(rc, index), r.plmn);
    if (op === M.updateGprsLocation) rec.vlrGt = sgsn;
    else rec.count = this.count();
    return rec;
  }

  /** A partner MME serving an outbound roamer over S6a: ULR, AIR, NOR, PUR with its own Visited-PLMN-Id. */
  private roamerMme(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const op = this.mmeOps.draw(this.rng);
    const o = this.outcome(op === D.authenticationInformation ? OUTCOMES.air : OUTCOMES.s6a);
    const rec = this.s6a(
      t,
      r,
      'in',
      op,
      o,
      p.realm,
      mme(p.realm),
      r.realm,
      p.diameterIngress,
      this.pop.own(rc, index),
      r.plmn,
    );
    if (op === D.updateLocation || op === D.authenticationInformation) rec.visitedPlmn = p.plmn;
    if (op === D.notify) rec.count = this.count();
    return rec;
  }

  /** The home HLR of an inbound roamer: ISD, PRN, CL, DSD and (rarely) PSI, always for its own subscribers. */
  private homeHlr(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const op = this.homeHlrOps.draw(this.rng);
    const table =
      op === M.provideRoamingNumber
        ? OUTCOMES.roamingNumber
        : op === M.provideSubscriberInfo
          ? OUTCOMES.subscriberInfo
          : OUTCOMES.hlrToVlr;
    const o = this.outcome(table);
    const hlr = p.hlrs[index % p.hlrs.length] as string;
    const vlr = r.vlrs[index % r.vlrs.length] as string;
    const rec = this.map(
      t,
      r,
      'in',
      op,
      o,
      hlr,
      vlr,
      SSN.hlr,
      SSN.vlr,
      p.ingress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    if (op === M.provideSubscriberInfo && o.result === 'ok') rec.locationReturned = this.rng.chance(0.85);
    return rec;
  }

  /** The home HSS of an inbound roamer over S6a: IDR (sometimes with a location request), CLR, DSR. */
  private homeHss(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const op = this.homeHssOps.draw(this.rng);
    const o = this.outcome(OUTCOMES.s6a);
    const rec = this.s6a(
      t,
      r,
      'in',
      op,
      o,
      p.realm,
      hss(p.realm),
      r.realm,
      p.diameterIngress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    if (op === D.insertSubscriberData && this.rng.chance(0.08)) {
      rec.idrFlags = 24;
      if (o.result === 'ok') rec.locationReturned = true;
    }
    return rec;
  }

  // ---- outbound (the reporter's own nodes towards partners) ---------------------------------------------------

  /** The reporter's VLR serving an inbound roamer, towards the roamer's home HLR. */
  private ownVlrOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const vlr = r.vlrs[index % r.vlrs.length] as string;
    const op = this.ownVlrOps.draw(this.rng);
    const o = this.outcome(op === M.updateLocation ? OUTCOMES.updateLocation : OUTCOMES.mobility);
    const hlr = p.hlrs[index % p.hlrs.length] as string;
    const rec = this.map(
      t,
      r,
      'out',
      op,
      o,
      vlr,
      hlr,
      SSN.vlr,
      SSN.hlr,
      r.ingress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    if (op !== M.sendAuthenticationInfo) rec.vlrGt = vlr;
    return rec;
  }

  /** The reporter's HLR towards the VLR serving an outbound roamer: ISD, PRN, CL. */
  private ownHlrOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const op = this.ownHlrOps.draw(this.rng);
    const o = this.outcome(op === M.provideRoamingNumber ? OUTCOMES.roamingNumber : OUTCOMES.hlrToVlr);
    const hlr = r.hlrs[index % r.hlrs.length] as string;
    const vlr = p.vlrs[index % p.vlrs.length] as string;
    return this.map(t, r, 'out', op, o, hlr, vlr, SSN.hlr, SSN.vlr, r.ingress, this.pop.own(rc, index), r.plmn);
  }

  /** The reporter's SMSC delivering an SMS to a partner's subscriber: SRI-SM, then MT-ForwardSM. */
  private ownSmsOut(t: number, canPair: boolean): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = this.anyPartner();
    const index = this.rng.int(1_000_000);
    const hlr = p.hlrs[index % p.hlrs.length] as string;
    const msc = p.vlrs[index % p.vlrs.length] as string;
    return this.smsPair(
      t,
      canPair,
      r,
      'out',
      r.smsc,
      hlr,
      msc,
      r.ingress,
      r.smsc,
      this.pop.partnerHome(rc, p, index),
      p.plmn,
    );
  }

  /** The reporter's MME towards an inbound roamer's home HSS: ULR, AIR, NOR, PUR with the reporter's PLMN. */
  private ownMmeOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const op = this.mmeOps.draw(this.rng);
    const o = this.outcome(op === D.authenticationInformation ? OUTCOMES.air : OUTCOMES.s6a);
    const rec = this.s6a(
      t,
      r,
      'out',
      op,
      o,
      r.realm,
      mme(r.realm),
      p.realm,
      r.diameterIngress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    if (op === D.updateLocation || op === D.authenticationInformation) rec.visitedPlmn = r.plmn;
    return rec;
  }

  /** The reporter's HSS towards the MME serving an outbound roamer: IDR, CLR, DSR. */
  private ownHssOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const op = this.ownHssOps.draw(this.rng);
    const o = this.outcome(OUTCOMES.s6a);
    return this.s6a(
      t,
      r,
      'out',
      op,
      o,
      r.realm,
      hss(r.realm),
      p.realm,
      r.diameterIngress,
      this.pop.own(rc, index),
      r.plmn,
    );
  }

  /** Own network: the gsmSCF's ATI and the GMSC's SRI towards the own HLR (category 1, but not interconnect). */
  private ownInternal(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const index = this.homeSubscriber(rc);
    const hlr = r.hlrs[index % r.hlrs.length] as string;
    const subscriber = this.pop.own(rc, index);
    const o = this.outcome(OUTCOMES.interrogation);
    if (this.rng.chance(0.6)) {
      const rec = this.map(
        t,
        r,
        'in',
        M.anyTimeInterrogation,
        o,
        r.gsmScf,
        hlr,
        SSN.gsmScf,
        SSN.hlr,
        r.internalIngress,
        subscriber,
        r.plmn,
      );
      if (o.result === 'ok') rec.locationReturned = this.rng.chance(0.7);
      return rec;
    }
    return this.map(
      t,
      r,
      'in',
      M.sendRoutingInfo,
      o,
      r.gmscInternal,
      hlr,
      SSN.msc,
      SSN.hlr,
      r.internalIngress,
      subscriber,
      r.plmn,
    );
  }

  /** The reporter's international GMSC asking two partners' HLRs for routing info (category 1, outbound). */
  private ownSriOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = this.rng.pick(rc.sriOut);
    const index = this.rng.int(1_000_000);
    const o = this.outcome(OUTCOMES.interrogation);
    const hlr = p.hlrs[index % p.hlrs.length] as string;
    return this.map(
      t,
      r,
      'out',
      M.sendRoutingInfo,
      o,
      r.gmscIntl,
      hlr,
      SSN.msc,
      SSN.hlr,
      r.ingress,
      this.pop.partnerHome(rc, p, index),
      p.plmn,
    );
  }

  /** CAMEL InitialDP from the partner MSC serving an outbound roamer to the reporter's gsmSCF. */
  private capIn(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const { index, partner: p } = this.roamer(rc, t);
    const o = this.outcome(OUTCOMES.cap);
    const msc = p.vlrs[index % p.vlrs.length] as string;
    const rec = this.map(
      t,
      r,
      'in',
      CAP.initialDP,
      o,
      msc,
      r.gsmScf,
      SSN.cap,
      SSN.cap,
      p.ingress,
      this.pop.own(rc, index),
      r.plmn,
    );
    rec.protocol = 'CAP';
    return rec;
  }

  /** CAMEL InitialDP from the reporter's MSC for an inbound roamer to the home gsmSCF. */
  private capOut(t: number): Rec {
    const rc = this.reporter();
    const r = rc.r;
    const p = rc.roamersFrom.draw(this.rng);
    const index = this.inboundIndex(rc);
    const o = this.outcome(OUTCOMES.cap);
    const msc = r.vlrs[index % r.vlrs.length] as string;
    const rec = this.map(
      t,
      r,
      'out',
      CAP.initialDP,
      o,
      msc,
      p.gsmScf,
      SSN.cap,
      SSN.cap,
      r.ingress,
      this.pop.inbound(rc, p, index),
      p.plmn,
    );
    rec.protocol = 'CAP';
    return rec;
  }
}
