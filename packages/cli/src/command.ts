import type { Writable } from 'node:stream';

/** Where a command reads and writes; injected so tests run commands in-process and read what they print. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Thrown for unusable arguments; the runner prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
