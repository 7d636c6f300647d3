/**
 * The `gtwatch simulate` command end to end, in process. The command lives in packages/cli (which depends on this
 * package), so it is loaded by path rather than by package name to avoid a dependency cycle.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseSummary } from '@gtwatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels } from '../src/index.js';

interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out(): string;
  err(): string;
}
interface Command {
  name: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

const commandPath = new URL('../../cli/src/commands/simulate.ts', import.meta.url).href;
const helpersPath = new URL('../../cli/test/helpers.ts', import.meta.url).href;
const runPath = new URL('../../cli/src/run.ts', import.meta.url).href;

let simulateCommand: Command;
let captureIo: () => Io;
let runCli: (argv: readonly string[], io: Io, commands: readonly Command[]) => Promise<number>;
let dir: string;

beforeAll(async () => {
  ({ simulateCommand } = (await import(/* @vite-ignore */ commandPath)) as {
    simulateCommand: Command;
  });
  ({ captureIo } = (await import(/* @vite-ignore */ helpersPath)) as {
    captureIo: () => Io;
  });
  ({ runCli } = (await import(/* @vite-ignore */ runPath)) as {
    runCli: typeof runCli;
  });
  dir = await mkdtemp(join(tmpdir(), 'gtwatch-simulate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(): Io {
  const captured = captureIo();
  captured.cwd = dir;
  return captured;
}

describe('gtwatch simulate', () => {
  it('writes records, labels and reference data, and prints a summary', async () => {
    const out = io();
    const code = await simulateCommand.run(
      [
        '--records',
        '12000',
        '--seed',
        '42',
        '--bad-rate',
        '0.01',
        '--output',
        'out.ndjson',
        '--labels',
        'labels.json',
        '--reference-out',
        'ref',
      ],
      out,
    );
    expect(out.err()).toMatch(/^gtwatch simulate: 12000 records \(120 bad, \d+ campaigns, seed 42\)/);
    expect(code).toBe(0);
    const lines = (await readFile(join(dir, 'out.ndjson'), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(12_000);
    const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as Labels;
    expect(labels.records).toBe(12_000);
    expect(labels.badRecords).toBe(120);
    expect(labels.seed).toBe(42);
    const nowMs = Date.parse(labels.end) + 7_200_000;
    const rejected = lines.filter((line) => !parseSummary(line, { nowMs }).ok).length;
    expect(rejected).toBe(120);
    expect((await readdir(join(dir, 'ref'))).sort()).toEqual(['allowlist.csv', 'gt-ranges.csv', 'realms.csv']);
  });

  it('streams to stdout with -, identical to the file output for the same options', async () => {
    const toFile = io();
    await simulateCommand.run(
      ['--records', '7000', '--seed', 'x', '--output', 'a.ndjson', '--labels', 'a.json'],
      toFile,
    );
    const toStdout = io();
    expect(
      await simulateCommand.run(['--records', '7000', '--seed', 'x', '--output', '-', '--labels', 'b.json'], toStdout),
    ).toBe(0);
    expect(toStdout.out()).toBe(await readFile(join(dir, 'a.ndjson'), 'utf8'));
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe(await readFile(join(dir, 'a.json'), 'utf8'));
  });

  it('accepts start, duration and disorder', async () => {
    const out = io();
    const args = [
      '--records',
      '7000',
      '--start',
      '2027-01-10T06:00:00Z',
      '--duration-minutes',
      '150',
      '--disorder-ms',
      '1000',
    ];
    expect(await simulateCommand.run([...args, '--output', 'c.ndjson', '--labels', 'c.json'], out)).toBe(0);
    const labels = JSON.parse(await readFile(join(dir, 'c.json'), 'utf8')) as Labels;
    expect(labels.start).toBe('2027-01-10T06:00:00.000Z');
    expect(labels.end).toBe('2027-01-10T08:30:00.000Z');
  });

  it('fails with exit code 1 when the output cannot be written', async () => {
    const out = io();
    const args = ['--records', '7000', '--output', 'missing-dir/out.ndjson', '--labels', 'd.json'];
    expect(await runCli(['simulate', ...args], out, [simulateCommand])).toBe(1);
    expect(out.err()).toMatch(/^gtwatch simulate: .*ENOENT/);
  });

  it.each([
    [[], /--records is required/],
    [['--records', '5000', '--labels', 'l.json'], /--output is required/],
    [['--records', '5000', '--output', '-'], /--labels is required/],
    [['--records', 'many', '--output', '-', '--labels', 'l.json'], /--records must be/],
    [['--records', '5000', '--output', '-', '--labels', 'l.json', '--bad-rate', '2'], /--bad-rate/],
    [['--records', '5000', '--output', '-', '--labels', 'l.json', '--duration-minutes', '30'], /durationMinutes/],
    [['--records', '50', '--output', '-', '--labels', 'l.json'], /records must be at least/],
    [['--records', '5000', '--output', '-', '--labels', 'l.json', '--frobnicate'], /frobnicate/],
  ])('rejects bad arguments with a usage error: %j', async (args, message) => {
    const out = io();
    expect(await runCli(['simulate', ...args], out, [simulateCommand])).toBe(2);
    expect(out.err()).toMatch(message);
    expect(out.err()).toContain('Usage: gtwatch simulate');
  });
});
