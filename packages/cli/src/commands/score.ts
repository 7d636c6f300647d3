import { parseArgs } from 'node:util';
import { DEFAULT_DETECTION_CONFIG, Detector, RecordScorer, type ScorerCounters } from '@gtwatch/detection';
import { createNumbering, loadReferenceData, ReferenceDataError } from '@gtwatch/numbering';
import { type Command, type CommandIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.js';
import { ConfigFileError, loadDetectionConfigFile } from '../config-file.js';
import { openInput, readLines } from '../lines.js';
import { LineWriter } from '../output.js';

const USAGE =
  'gtwatch score --input FILE|- --output FILE|- --dlq FILE --reference DIR [--config FILE] [--aggregates FILE] [--instance NAME]';

interface ScoreOptions {
  input: string;
  output: string;
  dlq: string;
  reference: string;
  config: string | undefined;
  aggregates: string | undefined;
  instance: string;
}

function parseOptions(args: string[]): ScoreOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        dlq: { type: 'string' },
        reference: { type: 'string' },
        config: { type: 'string' },
        aggregates: { type: 'string' },
        instance: { type: 'string', default: 'offline' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const required = (name: string): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
    return value;
  };
  const options = {
    input: required('input'),
    output: required('output'),
    dlq: required('dlq'),
    reference: required('reference'),
    config: typeof values.config === 'string' ? values.config : undefined,
    aggregates: typeof values.aggregates === 'string' ? values.aggregates : undefined,
    instance: String(values.instance),
  };
  const toStdout = [options.output, options.dlq, options.aggregates].filter((path) => path === '-').length;
  if (toStdout > 1) throw new UsageError('only one of --output, --dlq and --aggregates can be standard output');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(options.instance)) throw new UsageError('--instance must be 1–64 chars of [A-Za-z0-9._-]');
  return options;
}

function summary(counters: ScorerCounters, seconds: number, late: number): string {
  const lines = [
    `records     ${counters.records.toLocaleString('en-GB')} (${counters.accepted.toLocaleString('en-GB')} accepted, ${late.toLocaleString('en-GB')} late)`,
    `throughput  ${Math.round(counters.records / Math.max(seconds, 1e-9)).toLocaleString('en-GB')} records/s over ${seconds.toFixed(2)} s`,
  ];
  const rejected = Object.entries(counters.rejected).sort();
  lines.push(`rejected    ${rejected.length === 0 ? 'none' : rejected.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  const opened = Object.entries(counters.events.opened ?? {}).sort();
  lines.push(`alerts      ${opened.length === 0 ? 'none' : opened.map(([pattern, n]) => `${pattern} ${n}`).join(', ')}`);
  const kinds = Object.entries(counters.events)
    .map(([kind, byPattern]) => `${kind} ${Object.values(byPattern).reduce((a, b) => a + b, 0)}`)
    .sort();
  lines.push(`events      ${kinds.length === 0 ? 'none' : kinds.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

async function score(options: ScoreOptions, io: CommandIo): Promise<number> {
  let detector: Detector;
  try {
    const config = options.config ? loadDetectionConfigFile(options.config) : DEFAULT_DETECTION_CONFIG;
    const numbering = createNumbering(loadReferenceData(options.reference));
    detector = new Detector({
      config,
      numbering,
      emitter: { service: 'score', instance: options.instance },
      aggregates: options.aggregates !== undefined,
    });
  } catch (error) {
    if (error instanceof ReferenceDataError || error instanceof ConfigFileError) {
      io.stderr.write(`gtwatch score: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  const scorer = new RecordScorer(detector);
  const output = LineWriter.open(options.output, io.stdout);
  const dlq = LineWriter.open(options.dlq, io.stdout);
  const aggregates = options.aggregates === undefined ? null : LineWriter.open(options.aggregates, io.stdout);
  const writeAggregates = async () => {
    if (aggregates) for (const row of detector.takeAggregates()) await aggregates.write(JSON.stringify(row));
  };
  const file = options.input === '-' ? '-' : options.input;
  const started = performance.now();
  for await (const line of readLines(openInput(options.input, io.stdin))) {
    if (line.bytes.length === 0) continue;
    // The processor clock only bounds future timestamps; detection itself runs on event time.
    const outcome = scorer.score(line.bytes, () => ({ kind: 'file', file, line: line.number }), Date.now());
    if (outcome.deadLetter) await dlq.write(JSON.stringify(outcome.deadLetter));
    for (const event of outcome.events) await output.write(JSON.stringify(event));
    await writeAggregates();
  }
  for (const event of scorer.flush()) await output.write(JSON.stringify(event));
  await writeAggregates();
  await output.close();
  await dlq.close();
  await aggregates?.close();
  io.stderr.write(summary(scorer.counters, (performance.now() - started) / 1000, detector.stats.late));
  return EXIT_OK;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score NDJSON signalling summaries offline and write alert events',
  usage: USAGE,
  run: (args, io) => score(parseOptions(args), io),
};
