import type { PatternId } from '@gtwatch/schema';
import type { Contribution, Evidence } from '../contribution.js';
import { type EntityState, Measure, minuteStart } from '../entity.js';
import { MAP_OPS } from '../operations.js';
import type { SlotHashes } from '../slot-hashes.js';
import type { RuleContext } from './context.js';

/** Window-based evidence for minutes [from, to], limited to minutes not yet reported to the same alert. */
function windowContribution(
  context: RuleContext,
  pattern: PatternId,
  entity: EntityState,
  from: number,
  to: number,
  subscribers: SlotHashes,
  evidence: Evidence,
  operationFilter?: (operation: number) => boolean,
): Contribution {
  const operations = entity
    .operationsBetween(from, to)
    .filter((op) => operationFilter === undefined || (op.protocol === 'MAP' && operationFilter(op.operation)));
  const since = minuteStart(from);
  const victimPlmns = [...entity.victimPlmns.since(since)];
  return {
    pattern,
    source: entity.latest,
    firstSeen: since,
    lastSeen: Math.min(entity.lastSeen, minuteStart(to + 1) - 1),
    count: operations.reduce((sum, op) => sum + op.count, 0),
    operations,
    victimPlmns,
    victimCountries: victimPlmns.flatMap((plmn) => context.numbering.countryOfPlmn(plmn) ?? []),
    subscriberHashes: entity.subscribersBetween(subscribers, from, to),
    reporters: [...entity.reporters.since(since)],
    locationReturned: false,
    evidence,
  };
}

/** First minute of `window` ending at `minute` that the open alert has not counted yet. */
function unreported(window: number, minute: number, reportedThrough: number): number {
  return Math.max(minute - window + 1, reportedThrough + 1);
}

export function imsiHarvesting(entity: EntityState, minute: number, context: RuleContext): Contribution | null {
  const { windowMinutes, minSriSm, minDistinctSubscribers, maxMtForwardSmRatio } = context.config.imsiHarvesting;
  const from = minute - windowMinutes + 1;
  const sriSm = entity.sum(Measure.SriSm, from, minute);
  if (sriSm < minSriSm) return null;
  const mtForwardSm = entity.sum(Measure.MtForwardSm, from, minute);
  const ratio = mtForwardSm / sriSm;
  if (ratio > maxMtForwardSmRatio) return null;
  const distinct = entity.subscribersBetween(entity.sriSmSubscribers, from, minute).size;
  if (distinct < minDistinctSubscribers) return null;
  const evidence = {
    windowMinutes,
    sriSm,
    distinctSubscribers: distinct,
    mtForwardSm,
    mtForwardSmRatio: Math.round(ratio * 1000) / 1000,
    thresholds: { sriSm: minSriSm, distinctSubscribers: minDistinctSubscribers, maxMtForwardSmRatio },
  };
  const start = unreported(windowMinutes, minute, entity.reportedThrough.get('imsi-harvesting') ?? -1);
  entity.reportedThrough.set('imsi-harvesting', minute);
  return windowContribution(context, 'imsi-harvesting', entity, start, minute, entity.sriSmSubscribers, evidence, (op) =>
    op === MAP_OPS.sriForSm || op === MAP_OPS.mtForwardSm,
  );
}

export function scanning(entity: EntityState, minute: number, context: RuleContext): Contribution | null {
  const { windowMinutes, minTransactions, minDistinctSubscribers, minFailureRatio } = context.config.scanning;
  const from = minute - windowMinutes + 1;
  const transactions = entity.sum(Measure.Total, from, minute);
  if (transactions < minTransactions) return null;
  const failures = entity.sum(Measure.ScanningFailures, from, minute);
  const ratio = failures / transactions;
  if (ratio < minFailureRatio) return null;
  const distinct = entity.subscribersBetween(entity.subscribers, from, minute).size;
  if (distinct < minDistinctSubscribers) return null;
  const evidence = {
    windowMinutes,
    transactions,
    distinctSubscribers: distinct,
    scanningFailures: failures,
    failurePercent: Math.round(ratio * 100),
    thresholds: { transactions: minTransactions, distinctSubscribers: minDistinctSubscribers, minFailureRatio },
  };
  const start = unreported(windowMinutes, minute, entity.reportedThrough.get('scanning') ?? -1);
  entity.reportedThrough.set('scanning', minute);
  return windowContribution(context, 'scanning', entity, start, minute, entity.subscribers, evidence);
}

/**
 * One-minute buckets against an exponentially weighted baseline. Minutes without traffic decay the baseline, so a
 * source's quiet periods count as the zeros they are.
 */
export function volumeAnomaly(entity: EntityState, minute: number, context: RuleContext): Contribution | null {
  const { minTransactions, minRatio, minBaselineMinutes, ewmaAlpha } = context.config.volumeAnomaly;
  const transactions = entity.sum(Measure.Total, minute, minute);
  if (entity.baselineMinute < 0) {
    entity.baseline = transactions;
    entity.baselineMinute = minute;
    return null;
  }
  if (minute <= entity.baselineMinute) return null;
  const quietMinutes = minute - entity.baselineMinute - 1;
  const baseline = entity.baseline * (1 - ewmaAlpha) ** quietMinutes;
  const history = minute - entity.firstMinute;
  entity.baseline = ewmaAlpha * transactions + (1 - ewmaAlpha) * baseline;
  entity.baselineMinute = minute;
  if (history < minBaselineMinutes || transactions < minTransactions || transactions < minRatio * baseline) return null;
  const evidence = {
    transactions,
    baselinePerMinute: Math.round(baseline * 10) / 10,
    ratio: baseline > 0 ? Math.round((transactions / baseline) * 10) / 10 : null,
    minutesOfHistory: history,
    thresholds: { transactions: minTransactions, ratio: minRatio, baselineMinutes: minBaselineMinutes },
  };
  return windowContribution(context, 'volume-anomaly', entity, minute, minute, entity.subscribers, evidence);
}
