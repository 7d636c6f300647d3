import { SignallingSummarySchema, type SignallingSummary } from '@gtwatch/schema';
import { z } from 'zod';
import type { Contribution, Evidence } from './contribution.js';

/**
 * A velocity finding on its way from the subscriber-keyed stage to the alert book of its source. In the streaming
 * pipeline velocity is judged per subscriber partition, but an alert is per source entity: the scorer re-keys hits by
 * source so that one book, the source stage's, owns each velocity alert (one `opened` per alert, however many
 * subscriber partitions saw the source).
 */
export interface VelocityHit {
  /** The location update judged impossible. */
  record: SignallingSummary;
  evidence: Evidence;
  subscriberHash: number | null;
}

const evidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.union([z.number(), z.string()]))]);

/** The wire form of a hit (JSON; the record's `time` in epoch milliseconds). */
export const VelocityHitSchema = z.object({
  record: SignallingSummarySchema,
  evidence: z.record(z.string(), evidenceValue),
  subscriberHash: z.int().nullable(),
});

export function velocityHitOf(contribution: Contribution): VelocityHit {
  const [subscriberHash = null] = contribution.subscriberHashes;
  return { record: contribution.source.record, evidence: contribution.evidence, subscriberHash };
}
