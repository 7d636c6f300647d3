import { z } from 'zod';

/**
 * Where a partition's state begins. Each consumed batch leaves a checkpoint (its first offset, the latest event time
 * in it); the replay point is the first offset of the oldest batch that still holds an event inside the state
 * horizon. A new owner of the partition replays from there to the committed offset, silently, and so holds the
 * state an uninterrupted run would hold.
 */
export class ReplayCheckpoints {
  readonly #horizonMs: number;
  #checkpoints: { firstOffset: bigint; latestEventTime: number }[] = [];
  #streamTime = Number.NEGATIVE_INFINITY;

  constructor(horizonMs: number) {
    this.#horizonMs = horizonMs;
  }

  /** Records one batch: its first offset and the latest event time among its accepted records. */
  record(firstOffset: string, latestEventTime: number): void {
    if (latestEventTime > this.#streamTime) this.#streamTime = latestEventTime;
    const previous = this.#checkpoints.at(-1);
    if (previous !== undefined && previous.latestEventTime >= latestEventTime) return;
    this.#checkpoints.push({ firstOffset: BigInt(firstOffset), latestEventTime });
    const oldest = this.#streamTime - this.#horizonMs;
    // Checkpoints rise in event time, so every one before the first inside the horizon is of no further use.
    let keep = 0;
    while (keep < this.#checkpoints.length - 1 && (this.#checkpoints[keep]?.latestEventTime ?? 0) < oldest) keep++;
    if (keep > 0) this.#checkpoints = this.#checkpoints.slice(keep);
  }

  /**
   * The offset to replay from so that the state at `resumeOffset` is complete; `resumeOffset` itself when nothing
   * was consumed yet. A checkpoint is kept only when its batch's latest event time is newer than every earlier
   * one, so the first checkpoint still inside the horizon starts the replay.
   */
  replayFrom(resumeOffset: string): string {
    const oldest = this.#streamTime - this.#horizonMs;
    const first = this.#checkpoints.find((c) => c.latestEventTime >= oldest);
    if (first === undefined) return resumeOffset;
    return String(first.firstOffset < BigInt(resumeOffset) ? first.firstOffset : BigInt(resumeOffset));
  }
}

const CommitMetadataSchema = z.object({ v: z.literal(1), emittedUntil: z.string().regex(/^\d+$/) });

/**
 * The scorer commits the replay point as the group's offset, so a new owner simply starts there, and stores with it
 * the offset up to which outputs were already published: records before that are replayed without publishing.
 */
export function encodeCommitMetadata(emittedUntil: string): string {
  return JSON.stringify({ v: 1, emittedUntil });
}

/** The emitted-until offset stored with a committed offset; null for a commit without (or with foreign) metadata. */
export function decodeCommitMetadata(metadata: string | null): string | null {
  if (metadata === null || metadata === '') return null;
  try {
    const parsed = CommitMetadataSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data.emittedUntil : null;
  } catch {
    return null;
  }
}
