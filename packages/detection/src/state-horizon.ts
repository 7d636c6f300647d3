import type { DetectionConfig } from './config.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How far back in event time a stage's state reaches: a stream processor that replays this much of its input
 * before the point it resumes from rebuilds the state an uninterrupted run would hold there.
 *
 * - source stage: the longest window (and the ingress history of gt-spoofing), plus the quiet period after which
 *   an alert resolves — an alert open at the resume point was fed by evidence inside that span — plus lateness.
 * - subscriber stage: a subscriber's last location update counts for `velocity.maxGapHours`, plus the quiet period
 *   of the velocity alerts, plus lateness.
 *
 * State that decays rather than expires (the volume-anomaly baseline, the ingress history of a source active for
 * longer than this) is rebuilt from this span only, which the baseline's exponential weighting makes converge.
 */
export function stateHorizonMs(config: DetectionConfig, stage: 'source' | 'subscriber'): number {
  const lateness = config.allowedLatenessSeconds * 1000;
  const quiet = config.alerts.resolveAfterQuietMinutes * MINUTE_MS;
  if (stage === 'subscriber') return config.velocity.maxGapHours * HOUR_MS + quiet + lateness;
  const { imsiHarvesting, scanning, gtLeasing, gtSpoofing, volumeAnomaly } = config;
  const longestWindow = Math.max(
    imsiHarvesting.windowMinutes,
    scanning.windowMinutes,
    gtLeasing.windowMinutes,
    gtSpoofing.ingressMinMinutes,
    volumeAnomaly.minBaselineMinutes,
  );
  return (longestWindow + 1) * MINUTE_MS + quiet + lateness;
}
