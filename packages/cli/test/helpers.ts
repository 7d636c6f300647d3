import { PassThrough } from 'node:stream';
import type { CommandIo } from '../src/index.js';

export interface CapturedIo extends CommandIo {
  out(): string;
  err(): string;
}

/** In-process stdio for running CLI commands in tests. */
export function captureIo(input = '', env: Record<string, string> = {}): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const stdin = new PassThrough();
  stdin.end(input);
  return { stdin, stdout, stderr, env, cwd: process.cwd(), out: () => out, err: () => err };
}
