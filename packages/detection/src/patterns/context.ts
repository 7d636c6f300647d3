import type { Numbering } from '@gtwatch/numbering';
import type { DetectionConfig } from '../config.js';

/** What every rule may consult: the thresholds and the reference data. Nothing with a clock or I/O. */
export interface RuleContext {
  readonly config: DetectionConfig;
  readonly numbering: Numbering;
}
