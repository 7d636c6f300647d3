import { PATTERN_IDS, SEVERITIES, TLP_LABELS, type TlpLabel } from '@gtwatch/schema';
import { z } from 'zod';

export type { PatternId } from '@gtwatch/schema';
export type Tlp = TlpLabel;

const tlp = z.enum(TLP_LABELS);
const positiveInt = z.int().positive();
const fraction = z.number().min(0).max(1);
const minutes = z.number().positive();

/**
 * Every threshold of detection-v1.md with its shipped default; a `--config` file or service configuration may
 * override any of them. Durations are in minutes (seconds for lateness) as the contract states them.
 */
export const detectionConfigSchema = z
  .object({
    allowedLatenessSeconds: z.number().min(0).default(60),
    imsiHarvesting: z
      .object({
        windowMinutes: minutes.default(15),
        minSriSm: positiveInt.default(100),
        minDistinctSubscribers: positiveInt.default(50),
        maxMtForwardSmRatio: fraction.default(0.2),
      })
      .prefault({}),
    scanning: z
      .object({
        windowMinutes: minutes.default(5),
        minTransactions: positiveInt.default(50),
        minDistinctSubscribers: positiveInt.default(50),
        minFailureRatio: fraction.default(0.5),
      })
      .prefault({}),
    velocity: z
      .object({
        maxGapHours: z.number().positive().default(24),
        minDistanceKm: z.number().min(0).default(500),
        minSpeedKmh: z.number().positive().default(1000),
      })
      .prefault({}),
    gtSpoofing: z
      .object({
        ingressMinTransactions: positiveInt.default(100),
        ingressMinMinutes: minutes.default(30),
      })
      .prefault({}),
    gtLeasing: z
      .object({
        windowMinutes: minutes.default(60),
        minVictimCountries: positiveInt.default(5),
      })
      .prefault({}),
    volumeAnomaly: z
      .object({
        minTransactions: positiveInt.default(200),
        minRatio: z.number().min(1).default(10),
        minBaselineMinutes: minutes.default(30),
        // EWMA over roughly the last 30 one-minute buckets (alpha = 2 / (30 + 1)).
        ewmaAlpha: fraction.default(2 / 31),
      })
      .prefault({}),
    alerts: z
      .object({
        resolveAfterQuietMinutes: minutes.default(60),
        minUpdateIntervalSeconds: z.number().min(0).default(60),
        jurisdictions: z.array(z.string().regex(/^[a-z]{2}$/)).default(['gb', 'us', 'ca', 'au', 'nz']),
        /**
         * Countries (ISO alpha-2, upper case) whose traffic a configured jurisdiction's regulator oversees besides its
         * own: the US territories that share +1 and MCC 310–316, the Australian external territories that share +61.
         * The Crown Dependencies (JE, GG, IM) share +44 and MCC 234 but have their own regulators, so they are not
         * `gb`; add them here once one of them is onboarded. Every other country maps to its own code.
         */
        territories: z
          .record(z.string().regex(/^[A-Z]{2}$/), z.string().regex(/^[a-z]{2}$/))
          .default({ PR: 'us', GU: 'us', VI: 'us', AS: 'us', MP: 'us', CC: 'au', CX: 'au' }),
        defaultTlp: tlp.default('amber'),
        /** Labels per pattern; the most restrictive of the default, pattern and severity labels applies. */
        tlpByPattern: z.partialRecord(z.enum(PATTERN_IDS), tlp).default({}),
        tlpBySeverity: z.partialRecord(z.enum(SEVERITIES), tlp).default({}),
      })
      .prefault({}),
    state: z
      .object({
        /** Source entities kept in memory; the least recently active are evicted beyond this. */
        maxEntities: positiveInt.default(250_000),
        /** Subscribers whose last location update is remembered for the velocity pattern. */
        maxSubscribers: positiveInt.default(2_000_000),
      })
      .prefault({}),
  })
  .strict();

export type DetectionConfig = z.output<typeof detectionConfigSchema>;
export type DetectionConfigInput = z.input<typeof detectionConfigSchema>;

export const DEFAULT_DETECTION_CONFIG: DetectionConfig = detectionConfigSchema.parse({});

/** Validates a partial configuration (e.g. a parsed `--config` file) and fills in the defaults. */
export function resolveDetectionConfig(input: unknown = {}): DetectionConfig {
  return detectionConfigSchema.parse(input);
}

/** Version of the rule set, part of every alert id: a rule change starts new alerts rather than mutating old ones. */
export const RULE_VERSION = '1';
