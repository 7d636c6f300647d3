import { TLP_LABELS, type TlpLabel } from '@gtwatch/schema';

/** 0 for clear … 4 for red: TLP 2.0 labels ranked from least to most restrictive. */
export function tlpRank(label: TlpLabel): number {
  return TLP_LABELS.indexOf(label);
}

/** True when `label` allows wider sharing than `floor`, i.e. it may not be written where `floor` is the minimum. */
export function isBelow(label: TlpLabel, floor: TlpLabel): boolean {
  return tlpRank(label) < tlpRank(floor);
}

/** The most restrictive of the labels: merged evidence is never shared more widely than its strictest part. */
export function mostRestrictive(first: TlpLabel, ...others: readonly TlpLabel[]): TlpLabel {
  let strictest = first;
  for (const label of others) if (tlpRank(label) > tlpRank(strictest)) strictest = label;
  return strictest;
}
