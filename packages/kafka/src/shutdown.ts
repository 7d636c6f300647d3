/**
 * Graceful shutdown on SIGTERM/SIGINT: run the closers once, in the order given, each after the previous one
 * settled, under one hard deadline (default 25 s, inside Kubernetes' default 30 s grace period), then exit.
 *
 * A consuming service passes, in this order:
 *   1. `() => consumer.drain()`            stop taking batches, let the running ones finish
 *   2. flush outputs (ClickHouse, producer) and make the last `consumer.commit()`
 *   3. `() => consumer.disconnect()`       leave the group (partitions move at once), close connections
 *   4. `() => producer.disconnect()`       after the consumer: a batch still running may produce
 *   5. HTTP/metrics server, logger flush
 * A failing closer is logged and the next one still runs; the exit code is then 1. A second signal while closing
 * exits at once with 1.
 */
import type { Logger } from 'pino';

export type CloseFn = () => Promise<void> | void;
export type Closer = CloseFn | { name: string; close: CloseFn };

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownOptions {
  signals?: readonly NodeJS.Signals[];
  /** Hard deadline for all closers together. Default 25 000 ms. */
  timeoutMs?: number;
  /** Default `process.exit`; tests inject a recorder. */
  exit?: (code: number) => void;
  /** Default `process`. */
  source?: SignalSource;
}

export interface ClosersResult {
  failed: string[];
  timedOut: boolean;
}

export interface ShutdownHandle {
  /** Runs the closers (once; later calls return the same promise), then exits with `exitCode` or 1 on failure. */
  shutdown(reason: string, exitCode?: number): Promise<ClosersResult>;
  /** Removes the signal listeners without shutting down. */
  dispose(): void;
}

function closerName(closer: Closer, index: number): string {
  return typeof closer === 'function' ? closer.name || `closer #${index + 1}` : closer.name;
}

/** Runs closers in order until done or the deadline passes; never throws. */
export async function runClosers(closers: readonly Closer[], logger: Logger, timeoutMs: number): Promise<ClosersResult> {
  const failed: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const sequence = (async () => {
    for (const [index, closer] of closers.entries()) {
      const name = closerName(closer, index);
      const started = Date.now();
      try {
        await (typeof closer === 'function' ? closer() : closer.close());
        logger.info({ closer: name, ms: Date.now() - started }, 'closed');
      } catch (error) {
        failed.push(name);
        logger.error({ err: error, closer: name }, 'closer failed');
      }
    }
    return 'done' as const;
  })();
  const outcome = await Promise.race([sequence, deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.error({ timeoutMs }, 'shutdown deadline passed with closers still running');
  return { failed, timedOut: outcome === 'timeout' };
}

export function shutdownOnSignals(closers: readonly Closer[], logger: Logger, options: ShutdownOptions = {}): ShutdownHandle {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = options.timeoutMs ?? 25_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const source: SignalSource = options.source ?? process;
  let running: Promise<ClosersResult> | undefined;

  const dispose = () => {
    for (const signal of signals) source.off(signal, listeners[signal]!);
  };

  const shutdown = (reason: string, exitCode = 0): Promise<ClosersResult> => {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const result = await runClosers(closers, logger, timeoutMs);
      const code = result.failed.length > 0 || result.timedOut ? Math.max(exitCode, 1) : exitCode;
      logger.info({ reason, code, ...result }, 'shutdown finished');
      dispose();
      exit(code);
      return result;
    })();
    return running;
  };

  const listeners = Object.fromEntries(
    signals.map((signal) => [
      signal,
      () => {
        if (running) {
          logger.warn({ signal }, 'second signal while shutting down; exiting now');
          dispose();
          exit(1);
          return;
        }
        void shutdown(signal);
      },
    ]),
  ) as Record<NodeJS.Signals, () => void>;
  for (const signal of signals) source.on(signal, listeners[signal]!);

  return { shutdown, dispose };
}
