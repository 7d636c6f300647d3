import type { Alert, PatternId } from '@gtwatch/schema';
import { PATTERN_IDS } from '@gtwatch/schema';

/** The part of the simulator's ground truth that scoring is judged against (packages/simulator README). */
export interface GroundTruth {
  benignEntities: readonly string[];
  campaigns: ReadonlyArray<{ id: string; patterns: readonly string[]; entity: string }>;
  nearMisses: ReadonlyArray<{ pattern: string; entity: string }>;
  bad: Readonly<Record<string, number>>;
}

export interface PatternQuality {
  pattern: PatternId;
  /** Campaigns whose labels say they should raise this pattern. */
  expected: number;
  found: number;
  recall: number;
  /** Distinct (pattern, source) alerts opened. */
  alerts: number;
  truePositives: number;
  /** Alerts on sources the ground truth calls benign (including near misses). */
  falsePositives: number;
  /** Alerts on attack sources for a pattern their campaign was not labelled with. */
  unlabelled: number;
  precision: number;
}

export interface Quality {
  patterns: PatternQuality[];
  missed: Array<{ campaign: string; pattern: string; entity: string }>;
  falsePositives: Array<{ pattern: string; entity: string }>;
  unlabelled: Array<{ pattern: string; entity: string }>;
  /** Dead-letter counts by reason that differ from the labelled bad records. */
  deadLetterMismatches: Array<{ reason: string; expected: number; actual: number }>;
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 1 : numerator / denominator);

/** Scores alerts against the ground truth: an alert is right when its (pattern, source) is a labelled expectation. */
export function evaluate(alerts: readonly Alert[], truth: GroundTruth, deadLetters: Readonly<Record<string, number>>): Quality {
  const raised = new Set(alerts.filter((a) => a.data.status === 'open').map((a) => `${a.data.pattern}|${a.subject}`));
  const expected = new Map<string, string>();
  const attackers = new Set<string>();
  for (const campaign of truth.campaigns) {
    attackers.add(campaign.entity);
    for (const pattern of campaign.patterns) expected.set(`${pattern}|${campaign.entity}`, campaign.id);
  }
  const quality: Quality = { patterns: [], missed: [], falsePositives: [], unlabelled: [], deadLetterMismatches: [] };
  for (const pattern of PATTERN_IDS) {
    const wanted = [...expected.keys()].filter((key) => key.startsWith(`${pattern}|`));
    const found = wanted.filter((key) => raised.has(key));
    const mine = [...raised].filter((key) => key.startsWith(`${pattern}|`));
    let truePositives = 0;
    let falsePositives = 0;
    let unlabelled = 0;
    for (const key of mine) {
      const entity = key.slice(pattern.length + 1);
      if (expected.has(key)) truePositives++;
      else if (attackers.has(entity)) {
        unlabelled++;
        quality.unlabelled.push({ pattern, entity });
      } else {
        falsePositives++;
        quality.falsePositives.push({ pattern, entity });
      }
    }
    for (const key of wanted) {
      if (!raised.has(key)) quality.missed.push({ campaign: expected.get(key) ?? '?', pattern, entity: key.slice(pattern.length + 1) });
    }
    quality.patterns.push({
      pattern,
      expected: wanted.length,
      found: found.length,
      recall: ratio(found.length, wanted.length),
      alerts: mine.length,
      truePositives,
      falsePositives,
      unlabelled,
      precision: ratio(truePositives, mine.length),
    });
  }
  const reasons = new Set([...Object.keys(truth.bad), ...Object.keys(deadLetters)]);
  for (const reason of [...reasons].sort()) {
    const want = truth.bad[reason] ?? 0;
    const got = deadLetters[reason] ?? 0;
    if (want !== got) quality.deadLetterMismatches.push({ reason, expected: want, actual: got });
  }
  return quality;
}
