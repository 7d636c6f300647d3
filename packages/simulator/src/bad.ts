/**
 * Bad input on request: lines the processor must send to the dead-letter output, each with the reject reason
 * @gtwatch/schema gives it (packages/schema/src/reasons.ts). `invalid-utf8` is not produced: the simulator emits
 * JavaScript strings, and a text line cannot carry bytes that are not UTF-8.
 */
import { REJECT_REASONS, type RejectReason } from '@gtwatch/schema';
import { Rng } from './prng.js';
import type { Reporter, World } from './world.js';

/**
 * Every reject reason of @gtwatch/schema a line can carry: not `invalid-utf8` (a text line cannot hold it) nor
 * `reporter-mismatch` (it depends on the operator topic a record arrives on, not on the line).
 */
export type BadReason = Exclude<RejectReason, 'invalid-utf8' | 'reporter-mismatch'>;
export const BAD_REASONS: readonly BadReason[] = REJECT_REASONS.filter(
  (reason): reason is BadReason => reason !== 'invalid-utf8' && reason !== 'reporter-mismatch',
);

type Kind = readonly [name: string, reason: BadReason];

/** Each kind of damage and the reason code it must be rejected with. */
export const BAD_KINDS: readonly Kind[] = [
  ['garbage', 'invalid-json'],
  ['truncated-line', 'invalid-json'],
  ['over-16-kib', 'too-large'],
  ['nested-imsi', 'raw-identifier'],
  ['json-array', 'not-an-object'],
  ['digit-subscriber', 'subscriber-not-pseudonymous'],
  ['schema-version-2', 'unsupported-schema-version'],
  ['missing-required', 'missing-field'],
  ['wrong-type', 'invalid-field'],
  ['year-2999', 'time-out-of-range'],
  ['before-2000', 'time-out-of-range'],
];

/** Deterministic assignment of damage kinds to the bad lines of a run: a seeded permutation, repeated. */
export class BadLines {
  private readonly order: readonly number[];
  private readonly rng: Rng;
  private produced = 0;

  constructor(
    seed: number,
    private readonly total: number,
    private readonly world: World,
    private readonly runTag: string,
  ) {
    const rng = new Rng(seed, 'bad-kinds');
    const order = BAD_KINDS.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    this.order = order;
    this.rng = new Rng(seed, 'bad-content');
  }

  /** Count per reason over the whole run, known before the first line. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < this.total; i++) {
      const reason = (BAD_KINDS[this.order[i % this.order.length] as number] as Kind)[1];
      counts[reason] = (counts[reason] ?? 0) + 1;
    }
    return counts;
  }

  /** The next bad line, damaged around a plausible record at `timeMs`. */
  next(timeMs: number): string {
    const i = this.produced++;
    const [kind] = BAD_KINDS[this.order[i % this.order.length] as number] as Kind;
    const rng = this.rng;
    const reporter: Reporter = rng.pick(this.world.reporters);
    const partner = rng.pick(this.world.partners);
    const base: Record<string, unknown> = {
      schemaVersion: 1,
      id: `bad-${this.runTag}-${i}`,
      time: new Date(timeMs).toISOString(),
      reporter: reporter.plmn,
      protocol: 'MAP',
      direction: 'in',
      operation: 56,
      result: 'ok',
      callingGt: rng.pick(partner.vlrs),
      calledGt: rng.pick(reporter.hlrs),
      callingSsn: 7,
      calledSsn: 6,
      ingress: partner.ingress,
      subscriber: `hs256.k1.imsi.${rng.nextU32().toString(16).padStart(8, '0')}${rng.nextU32().toString(16).padStart(8, '0')}`,
      subscriberPlmn: reporter.plmn,
    };
    const digits = (n: number): string => {
      let s = '';
      for (let k = 0; k < n; k++) s += String(rng.int(10));
      return s;
    };
    const mcc = reporter.plmn.replace('-', '');
    switch (kind) {
      case 'garbage':
        return rng.chance(0.5)
          ? JSON.stringify(base).replaceAll('"', "'")
          : '<html><body>502 Bad Gateway</body></html>';
      case 'truncated-line': {
        const text = JSON.stringify(base);
        return text.slice(0, Math.floor(text.length * (0.3 + 0.5 * rng.next())));
      }
      case 'over-16-kib':
        return JSON.stringify({
          ...base,
          diagnostics: 'x'.repeat(17_000 + rng.int(4000)),
        });
      case 'nested-imsi':
        return JSON.stringify({
          ...base,
          extensions: { sim: { IMSI: mcc + digits(15 - mcc.length) } },
        });
      case 'json-array':
        return JSON.stringify([base]);
      case 'digit-subscriber':
        return JSON.stringify({
          ...base,
          subscriber: mcc + digits(15 - mcc.length),
        });
      case 'schema-version-2':
        return JSON.stringify({ ...base, schemaVersion: 2 });
      case 'missing-required': {
        const copy = { ...base };
        delete copy[rng.pick(['result', 'calledGt', 'time', 'operation'])];
        return JSON.stringify(copy);
      }
      case 'wrong-type': {
        const variant = rng.int(4);
        if (variant === 0) return JSON.stringify({ ...base, operation: '56' });
        if (variant === 1)
          return JSON.stringify({
            ...base,
            callingGt: `+${String(base.callingGt)}`,
          });
        if (variant === 2) return JSON.stringify({ ...base, direction: 'inbound' });
        return JSON.stringify({
          ...base,
          time: String(base.time)
            .replace('T', ' ')
            .replace(/\.\d+Z$/, ''),
        });
      }
      case 'year-2999':
        return JSON.stringify({ ...base, time: '2999-01-01T00:00:00Z' });
      default:
        return JSON.stringify({ ...base, time: '1999-12-31T23:59:59Z' });
    }
  }
}
