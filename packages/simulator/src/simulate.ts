/**
 * The generator: merges benign traffic, scripted campaigns and near misses, and bad lines into one time-ordered
 * stream of NDJSON lines. Pure and seeded: no wall clock, no Math.random, no I/O. Memory stays flat: benign
 * traffic is drawn one unit at a time and only pending follow-ups (seconds ahead) and the scripted records
 * (a few thousand, independent of the volume) are held.
 */
import { BadLines } from './bad.js';
import { BenignTraffic } from './benign.js';
import { buildScript, type Script } from './campaigns.js';
import { RecHeap } from './heap.js';
import { Population } from './population.js';
import { Rng, seedWord } from './prng.js';
import { BENIGN, entityOf, type Rec, RecordWriter } from './record.js';
import { buildWorld, type World } from './world.js';

export interface SimulateOptions {
  /** Seed (integer or string). Default 1. */
  seed?: number | string;
  /** Total number of lines to emit, bad ones included. */
  records: number;
  /** Start of the run, RFC 3339 with `Z` or an offset. Default 2026-11-01T00:00:00Z. */
  start?: string;
  /** Length of the run in minutes. Default 240; at least 120 so that the volume-anomaly baseline fits. */
  durationMinutes?: number;
  /** Share of bad lines, 0–1. Default 0. */
  badRate?: number;
  /** Bounded disorder: each record's `time` is moved up to this many ms earlier than its position. Default 0. */
  disorderMs?: number;
}

export interface CampaignLabel {
  id: string;
  /** Every pattern this campaign is expected to raise (detection-v1.md ids). */
  patterns: string[];
  entity: string;
  entityType: 'gt' | 'realm';
  /** The reporter that observes the campaign. */
  reporter: string;
  description: string;
  start: string;
  end: string;
  records: number;
}

export interface Labels {
  seed: number | string;
  /** Total lines, bad ones included. */
  records: number;
  badRecords: number;
  start: string;
  end: string;
  reporters: string[];
  /** Source entities of benign traffic that appeared in the output (near misses included). */
  benignEntities: string[];
  campaigns: CampaignLabel[];
  nearMisses: Array<{ pattern: string; entity: string }>;
  /** Bad lines per reject reason of @gtwatch/schema. */
  bad: Record<string, number>;
}

export interface Simulation {
  /** The lines, in time order (one pass). */
  readonly lines: Iterable<string>;
  /** The labels; complete once `lines` has been iterated to the end. */
  labels(): Labels;
  readonly world: World;
}

export const DEFAULT_START = '2026-11-01T00:00:00Z';
export const DEFAULT_DURATION_MINUTES = 240;
export const MIN_DURATION_MINUTES = 120;
export const MAX_DISORDER_MS = 3_600_000;

const START_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

interface Normalised {
  seed: number | string;
  records: number;
  startMs: number;
  durationMs: number;
  badRate: number;
  disorderMs: number;
}

function normalise(options: SimulateOptions): Normalised {
  const seed = options.seed ?? 1;
  if (typeof seed === 'number' && !Number.isSafeInteger(seed))
    throw new RangeError('seed must be a safe integer or a string');
  if (!Number.isSafeInteger(options.records) || options.records < 1)
    throw new RangeError('records must be a positive integer');
  const start = options.start ?? DEFAULT_START;
  // An explicit offset is required: without one, Date.parse reads local time and the run would depend on TZ.
  const startMs = START_PATTERN.test(start) ? Date.parse(start) : Number.NaN;
  if (!Number.isFinite(startMs)) {
    throw new RangeError(`start must be an RFC 3339 date-time with Z or an offset, got "${start}"`);
  }
  if (startMs < Date.UTC(2000, 0, 2)) throw new RangeError('start must be after 2000-01-01');
  const minutes = options.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  if (!Number.isSafeInteger(minutes) || minutes < MIN_DURATION_MINUTES) {
    throw new RangeError(`durationMinutes must be an integer of at least ${MIN_DURATION_MINUTES}`);
  }
  const badRate = options.badRate ?? 0;
  if (!(badRate >= 0 && badRate <= 1)) throw new RangeError('badRate must be between 0 and 1');
  const disorderMs = options.disorderMs ?? 0;
  if (!Number.isSafeInteger(disorderMs) || disorderMs < 0 || disorderMs > MAX_DISORDER_MS) {
    throw new RangeError(`disorderMs must be an integer between 0 and ${MAX_DISORDER_MS}`);
  }
  return {
    seed,
    records: options.records,
    startMs,
    durationMs: minutes * 60_000,
    badRate,
    disorderMs,
  };
}

interface CampaignStats {
  count: number;
  first: number;
  last: number;
}

class Run implements Simulation {
  readonly world: World;
  readonly lines: Iterable<string>;
  private readonly o: Normalised;
  private readonly script: Script;
  private readonly stats: CampaignStats[];
  private readonly benignSeen = new Set<string>();
  private readonly badCounts: Record<string, number>;
  private readonly badTotal: number;

  constructor(options: SimulateOptions) {
    this.o = normalise(options);
    const o = this.o;
    this.world = buildWorld();
    const seed = seedWord(o.seed);
    const runTag = seed.toString(16).padStart(8, '0');
    const endMs = o.startMs + o.durationMs;
    const pop = new Population(this.world, seed, o.startMs, endMs);
    const seq = { next: 0 };
    this.script = buildScript(this.world, pop, seed, o.startMs, o.durationMs, seq);
    const scripted = this.script.benign.length + this.script.campaigns.reduce((sum, c) => sum + c.records.length, 0);
    this.badTotal = Math.round(o.records * o.badRate);
    const good = o.records - this.badTotal;
    const benignBudget = good - scripted;
    if (benignBudget < 0) {
      throw new RangeError(
        `records must be at least ${scripted + this.badTotal} for these options: campaigns and near misses alone take ${scripted} lines`,
      );
    }
    const bad = new BadLines(seed, this.badTotal, this.world, runTag);
    this.badCounts = bad.counts();
    this.stats = this.script.campaigns.map(() => ({
      count: 0,
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
    }));

    const heap = new RecHeap();
    for (const c of this.script.campaigns) for (const rec of c.records) heap.push(rec);
    for (const rec of this.script.benign) heap.push(rec);
    const benign = new BenignTraffic(this.world, pop, new Rng(seed, 'benign'), {
      nextSeq: () => seq.next++,
      schedule: (rec) => heap.push(rec),
    });
    const writer = new RecordWriter(this.world.reporters, runTag);
    const timing = new Rng(seed, 'benign-time');
    const mixing = new Rng(seed, 'bad-mix');
    const jitter = new Rng(seed, 'disorder');
    const stats = this.stats;
    const benignSeen = this.benignSeen;
    const disorder = o.disorderMs;
    const startMs = o.startMs;
    let badLeft = this.badTotal;

    function* generateLines(): Generator<string, void, undefined> {
      let goodLeft = good;
      let budget = benignBudget;
      let units = 0;
      let unitLines = 0;
      let t = startMs;
      let nextUnit = Number.POSITIVE_INFINITY;
      const advance = (): void => {
        if (budget <= 0) {
          nextUnit = Number.POSITIVE_INFINITY;
          return;
        }
        // Sequential sorted uniforms: the remaining units spread evenly over the rest of the run.
        const mean = (unitLines + benign.meanLines * 200) / (units + 200);
        const k = Math.max(1, Math.round(budget / mean));
        t += (endMs - t) * -Math.expm1(Math.log(timing.nextOpen()) / k);
        nextUnit = Math.min(Math.floor(t), endMs - 1);
      };
      advance();
      for (;;) {
        const top = heap.peek();
        let rec: Rec;
        if (top !== undefined && top.time <= nextUnit) {
          rec = heap.pop() as Rec;
        } else if (nextUnit !== Number.POSITIVE_INFINITY) {
          rec = benign.unit(nextUnit, budget);
          budget -= benign.lastLines;
          units++;
          unitLines += benign.lastLines;
          advance();
        } else break;
        while (badLeft > 0 && mixing.next() * (badLeft + goodLeft) < badLeft) {
          badLeft--;
          yield bad.next(rec.time);
        }
        const shown = disorder > 0 ? rec.time - jitter.int(disorder + 1) : rec.time;
        if (rec.group === BENIGN) benignSeen.add(entityOf(rec));
        else {
          const s = stats[rec.group] as CampaignStats;
          s.count++;
          if (shown < s.first) s.first = shown;
          if (shown > s.last) s.last = shown;
        }
        goodLeft--;
        yield writer.line(rec, shown);
      }
      while (badLeft > 0) {
        badLeft--;
        yield bad.next(endMs - 1);
      }
    }
    let started = false;
    this.lines = {
      [Symbol.iterator]: () => {
        if (started)
          throw new Error('simulation lines can be iterated only once; call simulate() again for another pass');
        started = true;
        return generateLines();
      },
    };
  }

  labels(): Labels {
    const o = this.o;
    const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
    return {
      seed: o.seed,
      records: o.records,
      badRecords: this.badTotal,
      start: iso(o.startMs),
      end: iso(o.startMs + o.durationMs),
      reporters: this.world.reporters.map((r) => r.plmn),
      benignEntities: [...this.benignSeen].sort(),
      campaigns: this.script.campaigns.map((c, i) => {
        const s = this.stats[i] as CampaignStats;
        return {
          id: c.id,
          patterns: [...c.patterns],
          entity: c.source.entity,
          entityType: c.source.entityType,
          reporter: c.reporter.plmn,
          description: c.description,
          start: iso(s.first),
          end: iso(s.last),
          records: s.count,
        };
      }),
      nearMisses: this.script.nearMisses.map((n) => ({
        pattern: n.pattern,
        entity: n.entity,
      })),
      bad: { ...this.badCounts },
    };
  }
}

/** A labelled simulation run. `lines` streams the NDJSON lines (iterate once); `labels()` describes them. */
export function simulate(options: SimulateOptions): Simulation {
  return new Run(options);
}

/** The lines of a simulation run, as a generator. */
export function* generate(options: SimulateOptions): Generator<string, void, undefined> {
  yield* simulate(options).lines;
}
