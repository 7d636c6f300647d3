import { type PatternId, type Severity, TLP_LABELS, type TlpLabel } from '@gtwatch/schema';

/** Starting score per pattern: how damaging the behaviour is on its own (domain.md §4.11 bands). */
const BASE_SCORE: Record<PatternId, number> = {
  'category-1': 70,
  'category-2': 60,
  velocity: 65,
  'imsi-harvesting': 60,
  scanning: 50,
  'gt-spoofing': 60,
  'gt-leasing': 60,
  'volume-anomaly': 40,
};

export interface ScoreInputs {
  pattern: PatternId;
  count: number;
  locationReturned: boolean;
  leased: boolean;
  /** Other patterns currently open for the same source. */
  otherPatterns: number;
  victimCountries: number;
}

/**
 * Score 0–100 rising with evidence: location actually returned (+20: tracking succeeded), volume (up to +15, log
 * scale), corroborating patterns on the same source (+10 each, up to +20), a leased range (+5) and breadth of victim
 * countries (up to +5).
 */
export function scoreAlert(inputs: ScoreInputs): number {
  let score = BASE_SCORE[inputs.pattern];
  if (inputs.locationReturned) score += 20;
  score += Math.min(15, Math.floor(5 * Math.log10(Math.max(1, inputs.count))));
  score += Math.min(20, 10 * inputs.otherPatterns);
  if (inputs.leased) score += 5;
  score += Math.min(5, Math.max(0, inputs.victimCountries - 1));
  return Math.max(0, Math.min(100, score));
}

export function severityOf(score: number): Severity {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 45) return 'medium';
  return 'low';
}

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** When labels meet, the most restrictive wins (TLP 2.0: never lower a label). */
export function mostRestrictive(...labels: ReadonlyArray<TlpLabel | undefined>): TlpLabel {
  let rank = 0;
  for (const label of labels) if (label) rank = Math.max(rank, TLP_LABELS.indexOf(label));
  return TLP_LABELS[rank] ?? 'red';
}
