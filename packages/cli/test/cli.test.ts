import { describe, expect, it } from 'vitest';
import { type Command, CommandFailure, runCli, UsageError } from '../src/index.js';
import { captureIo } from './helpers.js';

const echo: Command = {
  name: 'echo',
  summary: 'echo arguments',
  usage: 'gtwatch echo [--fail|--bad] WORDS...',
  async run(args, io) {
    if (args.includes('--bad')) throw new UsageError('--bad is not an option');
    if (args.includes('--fail')) throw new CommandFailure('reference data unreadable');
    if (args.includes('--bug')) throw new TypeError('x is undefined');
    io.stdout.write(`${args.join(' ')}\n`);
    return 0;
  },
};

describe('gtwatch', () => {
  it('prints help listing every command', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: gtwatch <command>');
    expect(io.out()).toContain('version');
  });

  it('exits 2 with help when no command is given', async () => {
    const io = captureIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.out()).toContain('Commands:');
  });

  it('prints its version', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^gtwatch \d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const io = captureIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
  });

  it('maps usage errors to exit 2 with usage, and failures to exit 1 with the message', async () => {
    const bad = captureIo();
    expect(await runCli(['echo', '--bad'], bad, [echo])).toBe(2);
    expect(bad.err()).toContain('--bad is not an option');
    expect(bad.err()).toContain('Usage: gtwatch echo');

    const failing = captureIo();
    expect(await runCli(['echo', '--fail'], failing, [echo])).toBe(1);
    expect(failing.err()).toBe('gtwatch echo: reference data unreadable\n');

    const bug = captureIo();
    expect(await runCli(['echo', '--bug'], bug, [echo])).toBe(1);
    expect(bug.err()).toMatch(/^gtwatch echo: TypeError: x is undefined\n\s+at /);

    const ok = captureIo();
    expect(await runCli(['echo', 'a', 'b'], ok, [echo])).toBe(0);
    expect(ok.out()).toBe('a b\n');
  });

  it('shows a command’s usage for --help', async () => {
    const io = captureIo();
    expect(await runCli(['echo', '--help'], io, [echo])).toBe(0);
    expect(io.out()).toBe('Usage: gtwatch echo [--fail|--bad] WORDS...\n');
  });
});
