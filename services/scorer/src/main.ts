import { ConfigError, type Env, loadConfig } from '@gtwatch/config';
import { shutdownOnSignals } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import { startScorer } from './scorer.js';

/** `gtwatch run scorer`: configuration from the environment, graceful stop on SIGTERM/SIGINT. */
export async function runScorer(env: Env = process.env): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gtwatch scorer: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const logger = createLogger({ service: 'scorer', level: config.logLevel, instance: config.instance });
  try {
    const scorer = await startScorer(config, { logger });
    shutdownOnSignals([{ name: 'scorer', close: scorer.stop }], logger);
  } catch (error) {
    // Startup problems an operator fixes (reference data, unreachable broker) are one line, not a stack.
    logger.fatal({ err: error }, 'scorer could not start');
    process.stderr.write(`gtwatch scorer: ${(error as Error).message}\n`);
    process.exitCode = 1;
    // A client library may still hold sockets or timers; the supervisor must see the exit and restart the scorer.
    setTimeout(() => process.exit(1), 1_000).unref();
  }
}
