export { runScorer } from './main.js';
export { type BatchOutputs, type PartitionOptions, PartitionScorer } from './partition.js';
export { type ScorerHandle, type ScorerOptions, startScorer } from './scorer.js';
