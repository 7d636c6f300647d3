/// <reference path="../../../../test/setup/provided-context.d.ts" />
import { pino } from 'pino';
import { inject } from 'vitest';

export const brokers = (): string => inject('kafkaBrokers');

/** Unique per run and label, usable as a topic prefix. */
export function uniquePrefix(label: string): string {
  return `${inject('runId')}-${label}`.replace(/[^A-Za-z0-9-]/g, '-');
}

export function testLogger(name: string) {
  return pino({ name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
