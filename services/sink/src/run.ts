import { ConfigError, type Env, type GtwatchConfig, loadConfig } from '@gtwatch/config';
import { shutdownOnSignals } from '@gtwatch/kafka';
import { createLogger, type Logger } from '@gtwatch/observability';
import { type SinkHandle, type SinkOptions, startSink } from './sink.js';

export interface RunSinkOptions extends Omit<SinkOptions, 'logger' | 'exit'> {
  /** Default `process.exit`: called with 0 after a clean shutdown, 1 after a failed one, a fatal crash or a bad environment. */
  exit?: (code: number) => void;
  /** Default: created from the configuration (service `gtwatch-sink`, `LOG_LEVEL`, `GTWATCH_INSTANCE`). */
  logger?: Logger;
  /** Signals that shut the sink down gracefully. Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Deadline for the graceful shutdown. Default 25 000 ms. */
  shutdownTimeoutMs?: number;
  /** Where a startup failure is also printed as plain text for a person at a terminal. Default `process.stderr`. */
  stderr?: { write(text: string): unknown };
}

/**
 * The process entry behind `gtwatch run sink` and `node services/sink/dist/main.js`: configuration from `env`
 * (`loadConfig`), the sink, and graceful shutdown on SIGTERM/SIGINT. Resolves once the sink is started (not when it
 * stops: the process then lives until a signal or a fatal error calls `exit`).
 *
 * A bad environment is logged at fatal level, naming every bad variable, then `exit(1)`; the ConfigError is also
 * thrown (reached only when an injected `exit` returns).
 */
/**
 * GTWATCH_ROLLUP_INTERVAL_MS: how often the sink re-rolls the hours it wrote into traffic_hour (default 30 000).
 * Read here rather than in @gtwatch/config because only the sink uses it.
 */
export function rollupIntervalFrom(env: Env): number | undefined {
  const text = env.GTWATCH_ROLLUP_INTERVAL_MS;
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 100 || value > 3_600_000) {
    throw new Error(`GTWATCH_ROLLUP_INTERVAL_MS must be whole milliseconds from 100 to 3600000, got ${JSON.stringify(text)}`);
  }
  return value;
}

export async function runSink(env: Env = process.env, options: RunSinkOptions = {}): Promise<SinkHandle> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stderr = options.stderr ?? process.stderr;
  let config: Readonly<GtwatchConfig>;
  let rollupIntervalMs: number | undefined;
  try {
    config = loadConfig(env);
    rollupIntervalMs = rollupIntervalFrom(env);
  } catch (error) {
    const logger = options.logger ?? createLogger({ service: 'gtwatch-sink' });
    if (error instanceof ConfigError) {
      logger.fatal({ issues: error.issues }, `gtwatch sink cannot start: ${error.message}`);
    } else {
      logger.fatal({ err: error }, 'gtwatch sink cannot start: reading the configuration failed');
    }
    stderr.write(`gtwatch sink: ${(error as Error).message}\n`);
    exit(1);
    throw error;
  }
  const logger = options.logger ?? createLogger({ service: 'gtwatch-sink', level: config.logLevel, instance: config.instance });
  const { signals, shutdownTimeoutMs, stderr: _stderr, ...sinkOptions } = options;
  let sink: SinkHandle;
  try {
    sink = await startSink(config, { ...(rollupIntervalMs !== undefined ? { rollupIntervalMs } : {}), ...sinkOptions, logger, exit });
  } catch (error) {
    logger.fatal({ err: error, port: config.port }, 'gtwatch sink cannot start');
    stderr.write(`gtwatch sink: ${(error as Error).message}\n`);
    exit(1);
    throw error;
  }
  shutdownOnSignals([{ name: 'sink', close: () => sink.stop() }], logger, {
    exit,
    ...(signals !== undefined ? { signals } : {}),
    ...(shutdownTimeoutMs !== undefined ? { timeoutMs: shutdownTimeoutMs } : {}),
  });
  sink.ready.then(
    () => logger.info({ port: sink.port, groupId: sink.groupId }, 'sink ready'),
    () => {},
  );
  return sink;
}
