import { ConfigError, type Env } from '@gtwatch/config';
import { shutdownOnSignals } from '@gtwatch/kafka';
import { createLogger, type Logger } from '@gtwatch/observability';
import { type ApiConfig, loadApiConfig } from './config.js';
import { type ApiHandle, startApi } from './server.js';
import { TokensFileError } from './tokens.js';

export interface RunApiOptions {
  exit?: (code: number) => void;
  logger?: Logger;
  stderr?: { write(text: string): unknown };
}

/**
 * The process entry behind `node services/api/dist/main.js` (and `gtwatch run api` once the cli knows it):
 * configuration from `env`, the server, graceful shutdown on SIGTERM/SIGINT. A bad environment or token file is
 * reported naming the variable, or the file, line and field, then `exit(1)`.
 */
export async function runApi(env: Env = process.env, options: RunApiOptions = {}): Promise<ApiHandle> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stderr = options.stderr ?? process.stderr;
  let config: ApiConfig;
  let logger = options.logger ?? createLogger({ service: 'gtwatch-api' });
  try {
    config = loadApiConfig(env);
    logger = options.logger ?? createLogger({ service: 'gtwatch-api', level: config.base.logLevel, instance: config.base.instance });
    const api = await startApi(config, { logger });
    shutdownOnSignals([{ name: 'api', close: () => api.close() }], logger, { exit });
    process.stdout.write(`gtwatch api: dashboard at ${api.url}/\n`);
    return api;
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof TokensFileError;
    logger.fatal(known ? { issues: (error as ConfigError).issues } : { err: error }, `gtwatch api cannot start: ${(error as Error).message}`);
    stderr.write(`gtwatch api: ${(error as Error).message}\n`);
    exit(1);
    throw error;
  }
}
