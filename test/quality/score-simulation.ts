import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer } from '@gtwatch/detection';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import type { Alert } from '@gtwatch/schema';
import { type Labels, referenceFiles, type SimulateOptions, simulate } from '@gtwatch/simulator';
import { evaluate, type Quality } from './evaluate.js';

export interface SimulationScore {
  labels: Labels;
  alerts: Alert[];
  deadLetters: Record<string, number>;
  records: number;
  seconds: number;
  quality: Quality;
}

/**
 * Generates a labelled simulation, scores it with the same code `gtwatch score` runs (against the simulator's own
 * reference data) and judges the alerts against the ground truth.
 */
export function scoreSimulation(options: SimulateOptions): SimulationScore {
  const run = simulate(options);
  const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(run.world)));
  const scorer = new RecordScorer(
    new Detector({ config: DEFAULT_DETECTION_CONFIG, numbering, emitter: { service: 'score', instance: 'eval' } }),
  );
  const alerts: Alert[] = [];
  // A fixed processor clock keeps the evaluation reproducible; the simulated day lies well before it.
  const nowMs = Date.parse('2099-01-01T00:00:00Z');
  let line = 0;
  const started = performance.now();
  for (const text of run.lines) {
    line++;
    // As bytes, the way Kafka and `gtwatch score` hand records over, so the evaluation covers the byte parser.
    const outcome = scorer.score(Buffer.from(text), () => ({ kind: 'file', file: 'simulation', line }), nowMs);
    alerts.push(...outcome.events);
  }
  alerts.push(...scorer.flush());
  const seconds = (performance.now() - started) / 1000;
  const labels = run.labels();
  const deadLetters = Object.fromEntries(Object.entries(scorer.counters.rejected).map(([k, v]) => [k, v ?? 0]));
  return { labels, alerts, deadLetters, records: line, seconds, quality: evaluate(alerts, labels, deadLetters) };
}
