import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type SimulateOptions, type Simulation, simulate, writeReferenceFiles } from '@gtwatch/simulator';
import { type Command, UsageError } from '../command.js';

const USAGE =
  'gtwatch simulate --records N [--seed S] [--start ISO] [--duration-minutes M] [--bad-rate R] [--disorder-ms D] ' +
  '--output FILE|- --labels FILE [--reference-out DIR]';

/** Lines are written in chunks of this many bytes. */
const CHUNK_BYTES = 1024 * 1024;
/** Buffer of the output file: large enough that writing overlaps with generating the next chunks. */
const FILE_BUFFER_BYTES = 8 * 1024 * 1024;

function parseInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const digits = text.replaceAll('_', '');
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(Number(digits))) {
    throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  }
  return Number(digits);
}

function parseRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--bad-rate must be a number between 0 and 1, got "${text}"`);
  }
  return value;
}

function parseSeed(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  if (text === '') throw new UsageError('--seed must not be empty');
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}

interface Parsed {
  options: SimulateOptions;
  output: string;
  labels: string;
  referenceOut: string | undefined;
}

function parse(args: string[]): Parsed {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        records: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        'duration-minutes': { type: 'string' },
        'bad-rate': { type: 'string' },
        'disorder-ms': { type: 'string' },
        output: { type: 'string', short: 'o' },
        labels: { type: 'string' },
        'reference-out': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const records = parseInteger('records', values.records);
  if (records === undefined) throw new UsageError('--records is required');
  if (records < 1) throw new UsageError('--records must be at least 1');
  if (values.output === undefined || values.output === '')
    throw new UsageError('--output is required (a file, or - for stdout)');
  if (values.labels === undefined || values.labels === '' || values.labels === '-') {
    throw new UsageError('--labels is required and must be a file');
  }
  const options: SimulateOptions = { records };
  const seed = parseSeed(values.seed);
  if (seed !== undefined) options.seed = seed;
  if (values.start !== undefined) options.start = values.start;
  const duration = parseInteger('duration-minutes', values['duration-minutes']);
  if (duration !== undefined) options.durationMinutes = duration;
  const badRate = parseRate(values['bad-rate']);
  if (badRate !== undefined) options.badRate = badRate;
  const disorder = parseInteger('disorder-ms', values['disorder-ms']);
  if (disorder !== undefined) options.disorderMs = disorder;
  return {
    options,
    output: values.output,
    labels: values.labels,
    referenceOut: values['reference-out'],
  };
}

/** Writes `chunk`, waiting for 'drain' when the stream asks for back-pressure; rejects on a stream error. */
async function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (stream.errored !== null) throw stream.errored;
  if (stream.write(chunk)) return;
  await new Promise<void>((resolveDrain, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      stream.off('close', onClose);
      resolveDrain();
    };
    const onError = (error: Error): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      reject(error);
    };
    // A stream destroyed without an error would never drain.
    const onClose = (): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      reject(stream.errored ?? new Error('the output closed before all records were written'));
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/**
 * Encodes lines straight into fixed-size buffers and writes each full buffer. Appending lines to one big string
 * instead builds deep rope strings whose flattening cost more than generating the records.
 */
async function streamLines(sim: Simulation, stream: Writable): Promise<number> {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let lines = 0;
  for (const line of sim.lines) {
    lines++;
    // The simulator's lines are ASCII (its tests check it), so latin1 is a byte-exact and faster encoding.
    const worst = line.length + 1;
    if (used + worst > buffer.length) {
      if (used > 0) await write(stream, buffer.subarray(0, used));
      buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, worst));
      used = 0;
    }
    used += buffer.write(line, used, 'latin1');
    buffer[used++] = 0x0a;
  }
  if (used > 0) await write(stream, buffer.subarray(0, used));
  return lines;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'generate labelled, seeded signalling summaries (benign traffic plus attack campaigns)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parse(args);
    let sim: Simulation;
    try {
      sim = simulate(parsed.options);
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
    const started = performance.now();
    const toStdout = parsed.output === '-';
    const outputPath = resolve(io.cwd, parsed.output);
    const stream = toStdout ? io.stdout : createWriteStream(outputPath, { highWaterMark: FILE_BUFFER_BYTES });
    let failure: Error | undefined;
    const onError = (error: Error): void => {
      failure ??= error;
    };
    stream.on('error', onError);
    let lines: number;
    try {
      lines = await streamLines(sim, stream);
      if (!toStdout) {
        stream.end();
        await finished(stream);
      }
    } catch (error) {
      // Close the file (never stdout) so that a failed run does not leak the descriptor.
      if (!toStdout && !stream.destroyed) stream.destroy();
      throw failure ?? error;
    } finally {
      stream.off('error', onError);
    }
    if (failure !== undefined) throw failure;

    const labels = sim.labels();
    await writeFile(resolve(io.cwd, parsed.labels), `${JSON.stringify(labels, null, 2)}\n`, 'utf8');
    if (parsed.referenceOut !== undefined) await writeReferenceFiles(sim.world, resolve(io.cwd, parsed.referenceOut));

    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(lines / seconds) : lines;
    io.stderr.write(
      `gtwatch simulate: ${lines} records (${labels.badRecords} bad, ${labels.campaigns.length} campaigns, seed ${String(labels.seed)}) ` +
        `${labels.start} to ${labels.end} -> ${toStdout ? 'stdout' : parsed.output} in ${seconds.toFixed(1)} s (${rate} lines/s)\n`,
    );
    return 0;
  },
};
