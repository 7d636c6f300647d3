/**
 * The in-memory form of one simulated transaction and its serialisation to a signalling-summary-v1 NDJSON line.
 * Serialisation is hand-written (no JSON.stringify): every string the simulator puts in a record is drawn from
 * a safe alphabet (digits, DNS names, labels, pseudonyms), so no escaping is needed, and concatenation is several
 * times faster.
 */
import { hashInts, mix32 } from './prng.js';
import type { Reporter, TimeEncoding } from './world.js';

export type Protocol = 'MAP' | 'CAP' | 'DIAMETER';
export type Direction = 'in' | 'out';
export type Result = 'ok' | 'error' | 'reject' | 'abort' | 'timeout';
export type FirewallVerdict = 'allow' | 'block' | 'monitor';

/** Index of benign traffic in `Rec.group`; campaigns use their index (≥ 0). */
export const BENIGN = -1;

/**
 * One simulated transaction. A class with every field initialised, so that all records share one hidden class
 * and the serialiser's property reads stay monomorphic (object literals with varying keys made it several
 * times slower).
 */
export class Rec {
  callingGt: string | undefined = undefined;
  calledGt: string | undefined = undefined;
  callingSsn: number | undefined = undefined;
  calledSsn: number | undefined = undefined;
  application: number | undefined = undefined;
  originRealm: string | undefined = undefined;
  originHost: string | undefined = undefined;
  destinationRealm: string | undefined = undefined;
  visitedPlmn: string | undefined = undefined;
  idrFlags: number | undefined = undefined;
  ingress: string | undefined = undefined;
  subscriber: string | undefined = undefined;
  subscriberPlmn: string | undefined = undefined;
  vlrGt: string | undefined = undefined;
  scAddress: string | undefined = undefined;
  errorCode: number | undefined = undefined;
  locationReturned: boolean | undefined = undefined;
  firewall: FirewallVerdict | undefined = undefined;
  count: number | undefined = undefined;

  constructor(
    /** Event time in epoch ms (the emission order); the `time` field may be earlier by the disorder jitter. */
    public time: number,
    /** Tie-breaker for equal times: creation order. */
    public seq: number,
    /** Campaign index, or BENIGN. */
    public group: number,
    public reporter: Reporter,
    public protocol: Protocol,
    public direction: Direction,
    public operation: number,
    public result: Result,
  ) {}
}

/** The optional fields of a record, for building records from object literals off the hot path. */
export type RecFields = Partial<
  Omit<Rec, 'time' | 'seq' | 'group' | 'reporter' | 'protocol' | 'direction' | 'operation' | 'result'>
> &
  Pick<Rec, 'protocol' | 'direction' | 'operation' | 'result'>;

/** A record from an object literal (scripted traffic; the benign hot path sets fields directly). */
export function recFrom(time: number, seq: number, group: number, reporter: Reporter, fields: RecFields): Rec {
  const rec = new Rec(time, seq, group, reporter, fields.protocol, fields.direction, fields.operation, fields.result);
  return Object.assign(rec, fields);
}

/** The source entity of a record: `callingGt` for MAP/CAP, `originRealm` for Diameter. */
export function entityOf(rec: Rec): string {
  return (rec.protocol === 'DIAMETER' ? rec.originRealm : rec.callingGt) ?? '';
}

const WORLD_KEY = 0x6b31_5eed;
const PREFIXES = ['hs256.k1.imsi.', 'hs256.k1.imsi.', 'hs256.k1.msisdn.'] as const;

// Four hex digits per entry: two lookups per 32-bit word (about 5x faster than toString(16).padStart).
const HEX4: readonly string[] = Array.from({ length: 65536 }, (_, i) => i.toString(16).padStart(4, '0'));

/** Subscriber pseudonym kinds: own subscriber (by reporter), inbound roamer (by reporter and home partner), probed MSISDN. */
export const PseudonymKind = { Own: 0, Inbound: 1, Msisdn: 2 } as const;
export type PseudonymKind = (typeof PseudonymKind)[keyof typeof PseudonymKind];

/**
 * A deterministic stand-in for the reporter's keyed HMAC: `hs256.k1.imsi.<32 hex>`. The same subscriber of the
 * same reporter always gets the same pseudonym; different reporters never share one.
 */
export function pseudonym(kind: PseudonymKind, reporterIndex: number, partnerIndex: number, index: number): string {
  const w0 = hashInts(WORLD_KEY ^ kind, reporterIndex * 64 + partnerIndex, index, 0x51ab);
  const w1 = mix32(w0 + 0x2f2f2f2f);
  const w2 = mix32(w1 ^ index ^ 0x3e3e3e3e);
  const w3 = mix32(w2 + 0x4d4d4d4d);
  // One concatenation chain with table lookups (a helper per word is twice as slow).
  return (
    (PREFIXES[kind] as string) +
    (HEX4[w0 >>> 16] as string) +
    (HEX4[w0 & 0xffff] as string) +
    (HEX4[w1 >>> 16] as string) +
    (HEX4[w1 & 0xffff] as string) +
    (HEX4[w2 >>> 16] as string) +
    (HEX4[w2 & 0xffff] as string) +
    (HEX4[w3 >>> 16] as string) +
    (HEX4[w3 & 0xffff] as string)
  );
}

// Direct-mapped memo for small, often repeated populations (outbound roamers). It memoises a pure function, so
// output never depends on it; large populations bypass it because retaining their strings only feeds the GC.
const CACHE_BITS = 17;
const cacheKeys = new Float64Array(1 << CACHE_BITS).fill(-1);
const cacheValues: string[] = Array.from({ length: 1 << CACHE_BITS }, () => '');

export function cachedPseudonym(
  kind: PseudonymKind,
  reporterIndex: number,
  partnerIndex: number,
  index: number,
): string {
  const key = ((index * 64 + partnerIndex) * 8 + reporterIndex) * 4 + kind;
  const slot = mix32(index ^ (partnerIndex << 24) ^ (reporterIndex << 28) ^ (kind << 30)) >>> (32 - CACHE_BITS);
  if (cacheKeys[slot] === key) return cacheValues[slot] as string;
  const value = pseudonym(kind, reporterIndex, partnerIndex, index);
  cacheKeys[slot] = key;
  cacheValues[slot] = value;
  return value;
}

/** Formats epoch ms in one encoding; caches the `YYYY-MM-DDTHH:MM:` part per minute. */
export class TimeFormatter {
  private minute = Number.NaN;
  private prefix = '';
  private readonly offsetMs: number;
  private readonly suffix: string;
  private readonly epoch: boolean;

  constructor(encoding: TimeEncoding) {
    this.epoch = encoding.kind === 'epoch';
    const offsetMinutes = encoding.kind === 'rfc3339' ? encoding.offsetMinutes : 0;
    this.offsetMs = offsetMinutes * 60_000;
    if (offsetMinutes === 0) this.suffix = 'Z';
    else {
      const abs = Math.abs(offsetMinutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      this.suffix = `${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
    }
  }

  /** The JSON value (a number, or a quoted string). */
  json(ms: number): string {
    if (this.epoch) return String(ms);
    const local = ms + this.offsetMs;
    const minute = Math.floor(local / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    }
    const withinMinute = local - minute * 60_000;
    const seconds = Math.floor(withinMinute / 1000);
    const millis = withinMinute - seconds * 1000;
    const ss = seconds < 10 ? `0${seconds}` : String(seconds);
    const mmm = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
    return `"${this.prefix}${ss}.${mmm}${this.suffix}"`;
  }
}

interface ReporterOutput {
  /** `{"schemaVersion":1,"id":"<tag>-<run>-` */
  readonly head: string;
  /** `,"reporter":…,"protocol":…,"direction":…,"operation":` per protocol and direction. */
  readonly middle: Readonly<Record<Protocol, Readonly<Record<Direction, string>>>>;
  readonly map: TimeFormatter;
  readonly diameter: TimeFormatter;
  next: number;
}

const PROTOCOLS: readonly Protocol[] = ['MAP', 'CAP', 'DIAMETER'];
const RESULT_FIELD: Readonly<Record<Result, string>> = {
  ok: ',"result":"ok"',
  error: ',"result":"error"',
  reject: ',"result":"reject"',
  abort: ',"result":"abort"',
  timeout: ',"result":"timeout"',
};

/** Serialises records; owns the per-reporter id counters and time formatters. */
export class RecordWriter {
  private readonly outputs = new Map<Reporter, ReporterOutput>();

  constructor(reporters: readonly Reporter[], runTag: string) {
    for (const r of reporters) {
      const middle = {} as Record<Protocol, Record<Direction, string>>;
      for (const protocol of PROTOCOLS) {
        middle[protocol] = {
          in: `,"reporter":"${r.plmn}","protocol":"${protocol}","direction":"in","operation":`,
          out: `,"reporter":"${r.plmn}","protocol":"${protocol}","direction":"out","operation":`,
        };
      }
      this.outputs.set(r, {
        head: `{"schemaVersion":1,"id":"${r.tag}-${runTag}-`,
        middle,
        map: new TimeFormatter(r.timeMap),
        diameter: new TimeFormatter(r.timeDiameter),
        next: 0,
      });
    }
  }

  /** One NDJSON line (without the line break) for `rec`, shown at `shownMs`. */
  line(rec: Rec, shownMs: number): string {
    const r = rec.reporter;
    const out = this.outputs.get(r);
    if (out === undefined) throw new Error(`unknown reporter ${r.plmn}`);
    const id = out.next++;
    const time = rec.protocol === 'DIAMETER' ? out.diameter.json(shownMs) : out.map.json(shownMs);
    let s =
      out.head +
      id +
      '","time":' +
      time +
      out.middle[rec.protocol][rec.direction] +
      rec.operation +
      RESULT_FIELD[rec.result];
    if (rec.callingGt !== undefined) s += `,"callingGt":"${rec.callingGt}"`;
    if (rec.calledGt !== undefined) s += `,"calledGt":"${rec.calledGt}"`;
    if (rec.callingSsn !== undefined) s += `,"callingSsn":${rec.callingSsn}`;
    if (rec.calledSsn !== undefined) s += `,"calledSsn":${rec.calledSsn}`;
    if (rec.application !== undefined) s += `,"application":${rec.application}`;
    if (rec.originRealm !== undefined) s += `,"originRealm":"${rec.originRealm}"`;
    if (rec.originHost !== undefined) s += `,"originHost":"${rec.originHost}"`;
    if (rec.destinationRealm !== undefined) s += `,"destinationRealm":"${rec.destinationRealm}"`;
    if (rec.visitedPlmn !== undefined) s += `,"visitedPlmn":"${rec.visitedPlmn}"`;
    if (rec.idrFlags !== undefined) s += `,"idrFlags":${rec.idrFlags}`;
    if (rec.ingress !== undefined) s += `,"ingress":"${rec.ingress}"`;
    if (rec.subscriber !== undefined) s += `,"subscriber":"${rec.subscriber}"`;
    if (rec.subscriberPlmn !== undefined) s += `,"subscriberPlmn":"${rec.subscriberPlmn}"`;
    if (rec.vlrGt !== undefined) s += `,"vlrGt":"${rec.vlrGt}"`;
    if (rec.scAddress !== undefined) s += `,"scAddress":"${rec.scAddress}"`;
    if (rec.errorCode !== undefined) s += `,"errorCode":${rec.errorCode}`;
    if (rec.locationReturned !== undefined) s += `,"locationReturned":${rec.locationReturned}`;
    const firewall = rec.firewall ?? (r.firewall && rec.direction === 'in' ? 'allow' : undefined);
    if (firewall !== undefined) s += `,"firewall":"${firewall}"`;
    const count = rec.count ?? 1;
    if (count !== 1 || r.explicitCount) s += `,"count":${count}`;
    return `${s}}`;
  }
}
