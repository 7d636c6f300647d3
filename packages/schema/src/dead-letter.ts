/**
 * Dead letters: what the processor writes to `gtwatch.signalling.dlq.v1` (offline: the `--dlq` file) for a
 * rejected summary. Deterministic on purpose (no timestamp, no host): replaying the same input gives
 * byte-identical dead letters, so offline runs can be compared and tested.
 */
import * as z from 'zod';
import { plmnSchema } from './summary.js';
import { REJECT_REASONS, type Rejection } from './reasons.js';

export const KafkaSourceSchema = z.strictObject({
  kind: z.literal('kafka'),
  topic: z.string().min(1),
  partition: z.int().min(0),
  // Kafka offsets are 64-bit; a decimal string survives JSON where a number above 2^53 would not.
  offset: z.string().regex(/^\d+$/),
});

export const FileSourceSchema = z.strictObject({
  kind: z.literal('file'),
  file: z.string().min(1),
  /** 1-based, as editors count. */
  line: z.int().min(1),
});

export const DeadLetterSourceSchema = z.discriminatedUnion('kind', [KafkaSourceSchema, FileSourceSchema]);

export const DeadLetterSchema = z.strictObject({
  schemaVersion: z.literal(1),
  reason: z.strictObject({
    code: z.enum(REJECT_REASONS),
    message: z.string(),
    path: z.string().optional(),
  }),
  source: DeadLetterSourceSchema,
  reporter: plmnSchema.nullable(),
  original: z.string(),
  truncated: z.boolean(),
});

export type DeadLetter = z.output<typeof DeadLetterSchema>;
export type DeadLetterSource = z.output<typeof DeadLetterSourceSchema>;

function copySource(source: DeadLetterSource): DeadLetterSource {
  // Field by field, so that whatever else the caller's object carries never reaches the dead-letter topic.
  if (source.kind === 'kafka') {
    return { kind: 'kafka', topic: source.topic, partition: source.partition, offset: source.offset };
  }
  return { kind: 'file', file: source.file, line: source.line };
}

/** The dead letter for a rejection from `parseSummary`, read from `source`. */
export function toDeadLetter(rejection: Rejection, source: DeadLetterSource): DeadLetter {
  const reason: DeadLetter['reason'] = { code: rejection.reason, message: rejection.message };
  if (rejection.path !== undefined) reason.path = rejection.path;
  return {
    schemaVersion: 1,
    reason,
    source: copySource(source),
    reporter: rejection.reporter,
    original: rejection.original,
    truncated: rejection.truncated,
  };
}
